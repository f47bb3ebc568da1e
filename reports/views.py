"""The report pages. Every figure is computed by the modules beside this one; the views pick the
period, decide whether numbers link to the case list (only for roles that may see cases) and
render. The rapportage role sees every figure but never a case file or personal data."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import (
    can_lead_team,
    can_see_staff_workload,
    can_view_reports,
    can_work_cases,
)
from woonoverlast.common import spreadsheets
from woonoverlast.common.validation import Errors, today
from woonoverlast.common.views import add_service_errors
from woonoverlast.db_router import use_replica

from . import exports, frozen, services, tabel51, yearly
from .forms import (
    EXPORT_FIELDS,
    FREEZE_FIELDS,
    ExportForm,
    FreezeForm,
    PeriodForm,
)
from .links import display_rows, table_cell_url
from .models import ExportJob, FrozenTable
from .overview_page import overview_page_context
from .period import check_period
from .prose import totals_in_words
from .stored import StoredTables

RECENT_EXPORTS = 20


def default_year() -> int:
    """The last complete year: the one the jaarverslag is written about."""
    return today().year - 1


def _period_form(request) -> PeriodForm:
    data = request.GET if "jaar" in request.GET else {"jaar": default_year()}
    return PeriodForm(data)


def _period(form: PeriodForm) -> tuple[int, datetime.date]:
    year = form.cleaned_data["jaar"]
    return year, form.cleaned_data.get("peildatum") or tabel51.default_as_of(year)


def _period_query(table: tabel51.Table, **extra) -> str:
    params = {"jaar": table.year}
    if not table.is_default_as_of:
        params["peildatum"] = table.as_of.isoformat()
    params.update(extra)
    return urlencode(params)


# -- start -----------------------------------------------------------------------------------


@role_required(can_view_reports)
def index(request):
    frozen_tables = FrozenTable.objects.select_related("frozen_by").order_by("-year")
    return render(
        request,
        "reports/index.html",
        {"frozen_tables": frozen_tables, "last_year": default_year()},
    )


# -- Tabel 5.1 -------------------------------------------------------------------------------


@role_required(can_view_reports)
@use_replica
def tabel51_page(request):
    form = _period_form(request)
    context = {"form": form}
    if not form.is_valid():
        return render(request, "reports/tabel51.html", context, status=200)
    year, as_of = _period(form)
    with_links = can_work_cases(request.user)
    stored = StoredTables()
    districts = stored.districts
    table = stored.compute(year, as_of)
    previous = stored.compute(year - 1, tabel51.same_day_a_year_earlier(as_of))
    carried = None
    if form.cleaned_data["doorlopend"]:
        carried = stored.carried_over(year, as_of)
    frozen_table = FrozenTable.objects.filter(year=year).select_related("frozen_by").first()
    frozen_differences = None
    if frozen_table:
        live = table
        if frozen_table.as_of != as_of:
            live = stored.compute(year, frozen_table.as_of)
        frozen_differences = sum(
            before != now
            for row in frozen.row_differences(frozen_table, live, districts)
            for before, now in row.cells
        )

    stored.save()
    figures = yearly.figures(table, previous)
    context.update(
        {
            "table": table,
            "table_title": exports.title(table),
            "carried_title": exports.title(carried) if carried else "",
            "rows": display_rows(table, with_links=with_links),
            "carried": carried,
            "carried_rows": display_rows(carried, with_links=with_links) if carried else None,
            "prose": totals_in_words(table),
            "previous": previous,
            "figures": [
                (
                    figure,
                    _figure_url(previous, figure, with_links),
                    _figure_url(table, figure, with_links),
                )
                for figure in figures
            ],
            "frozen_table": frozen_table,
            "frozen_differences": frozen_differences,
            "with_links": with_links,
            "may_freeze": can_lead_team(request.user) and frozen_table is None,
            "period_query": _period_query(table),
            "carried_query": _period_query(table, tabel="doorlopend"),
            "xlsx_query": _period_query(table, **({"doorlopend": "1"} if carried else {})),
            "as_of_in_future": as_of > today(),
        }
    )
    return render(request, "reports/tabel51.html", context)


def _figure_url(table: tabel51.Table, figure: yearly.Figure, with_links: bool) -> str | None:
    if not with_links:
        return None
    district_id, housing_type, status = figure.key
    return table_cell_url(table, district_id=district_id, housing_type=housing_type, status=status)


def _table_from_request(request, stored: StoredTables) -> tabel51.Table | HttpResponse:
    form = _period_form(request)
    if not form.is_valid():
        problems = " ".join(message for messages_ in form.errors.values() for message in messages_)
        return HttpResponseBadRequest(
            f"Deze tabel kan niet gemaakt worden: {problems}",
            content_type="text/plain; charset=utf-8",
        )
    year, as_of = _period(form)
    if request.GET.get("tabel") == "doorlopend":
        return stored.carried_over(year, as_of)
    return stored.compute(year, as_of)


@require_GET
@role_required(can_view_reports)
@use_replica
def tabel51_csv(request):
    stored = StoredTables()
    table = _table_from_request(request, stored)
    if isinstance(table, HttpResponse):
        return table
    stored.save()
    if request.GET.get("formaat") == "excel":  # semicolons, for Dutch Excel
        return spreadsheets.download(
            exports.excel_csv_bytes(table),
            exports.filename(table, "csv", suffix="excel"),
            spreadsheets.CSV_CONTENT_TYPE,
        )
    return spreadsheets.download(
        exports.csv_bytes(table), exports.filename(table, "csv"), spreadsheets.CSV_CONTENT_TYPE
    )


@require_GET
@role_required(can_view_reports)
@use_replica
def tabel51_xlsx(request):
    form = _period_form(request)
    stored = StoredTables()
    table = _table_from_request(request, stored)
    if isinstance(table, HttpResponse):
        return table
    tables = [table]
    if form.is_valid() and form.cleaned_data["doorlopend"] and table.kind == tabel51.YEAR:
        tables.append(stored.carried_over(table.year, table.as_of))
    stored.save()
    return spreadsheets.download(
        exports.xlsx_bytes(tables), exports.filename(table, "xlsx"), spreadsheets.XLSX_CONTENT_TYPE
    )


# -- vastgestelde tabellen -------------------------------------------------------------------


@role_required(can_lead_team)
def tabel51_freeze(request):
    """Confirm and freeze a year's table (team leaders; the service checks the rule too)."""
    if request.method == "POST":
        form = FreezeForm(request.POST)
        if form.is_valid():
            try:
                frozen_table = services.table_freeze(
                    year=form.cleaned_data["jaar"],
                    as_of=form.cleaned_data["peildatum"],
                    note=form.cleaned_data["toelichting"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error, FREEZE_FIELDS)
            else:
                messages.success(
                    request,
                    f"Tabel 5.1 van {frozen_table.year} is vastgesteld. De cijfers blijven zoals "
                    "ze nu zijn; verschillen met de actuele tabel ziet u op deze pagina.",
                )
                return redirect(frozen_table)
        period = _freeze_period(form.cleaned_data.get("jaar"), form.cleaned_data.get("peildatum"))
    else:
        period_form = _period_form(request)
        if not period_form.is_valid():
            return redirect(f"{reverse('reports:tabel51')}?{request.GET.urlencode()}")
        period = _period(period_form)
        form = FreezeForm(initial={"jaar": period[0], "peildatum": period[1]})

    table = tabel51.compute(*period) if period else None
    existing = (
        FrozenTable.objects.filter(year=period[0]).select_related("frozen_by").first()
        if period
        else None
    )
    return render(
        request,
        "reports/tabel51_freeze.html",
        {
            "form": form,
            "table": table,
            "rows": display_rows(table, with_links=False) if table else None,
            "existing": existing,
            "as_of_in_future": bool(period) and period[1] > today(),
        },
    )


def _freeze_period(year, as_of) -> tuple[int, datetime.date] | None:
    """The period of a posted freeze form, when it is one a table can be made for."""
    if year is None or as_of is None:
        return None
    errors = Errors()
    check_period(errors, year, as_of)
    try:
        errors.raise_if_any()
    except ValidationError:
        return None
    return year, as_of


@role_required(can_view_reports)
@use_replica
def tabel51_frozen(request, year: int):
    frozen_table = get_object_or_404(FrozenTable.objects.select_related("frozen_by"), year=year)
    comparison = frozen.compare(frozen_table)
    with_links = can_work_cases(request.user)
    return render(
        request,
        "reports/tabel51_frozen.html",
        {
            "frozen_table": frozen_table,
            "comparison": comparison,
            "with_links": with_links,
            "columns": tabel51.COLUMNS,
            "cases": [
                (
                    case,
                    comparison.cell_label(case.before),
                    comparison.cell_label(case.after),
                )
                for case in comparison.cases
            ]
            if with_links
            else None,
            "summary": None if with_links else comparison.summary(),
            "live_query": _period_query(comparison.live),
        },
    )


# -- live overview ---------------------------------------------------------------------------


@role_required(can_view_reports)
@use_replica
def overview_page(request):
    context = overview_page_context(
        today=today(),
        # Links to the case list only for who may see cases; names only for who may see the
        # colleagues' workloads.
        with_links=can_work_cases(request.user),
        with_names=can_see_staff_workload(request.user),
    )
    return render(request, "reports/overview.html", context)


# -- background exports ----------------------------------------------------------------------


@role_required(can_view_reports)
def export_list(request):
    if request.method == "POST":
        form = ExportForm(request.POST)
        if form.is_valid():
            try:
                job = services.export_request(
                    by=request.user,
                    year_from=form.cleaned_data["van_jaar"],
                    year_to=form.cleaned_data["tot_jaar"],
                    file_format=form.cleaned_data["formaat"],
                    carried_over=form.cleaned_data["doorlopend"],
                )
            except ValidationError as error:
                add_service_errors(form, error, EXPORT_FIELDS)
            else:
                return redirect(job)
    else:
        last = default_year()
        form = ExportForm(initial={"van_jaar": last - 4, "tot_jaar": last, "formaat": "xlsx"})
    services.exports_expire()
    jobs = ExportJob.objects.select_related("requested_by")
    if not can_lead_team(request.user):
        jobs = jobs.filter(requested_by=request.user)
    return render(
        request,
        "reports/exports.html",
        {
            "form": form,
            "jobs": jobs[:RECENT_EXPORTS],
            "show_requester": can_lead_team(request.user),
        },
    )


def _job_for(request, pk: int) -> ExportJob:
    """The job, or 404 both when it does not exist and when it is someone else's: a 403 for
    the one and a 404 for the other would tell which job ids exist."""
    services.exports_expire(pk=pk)  # a job that stopped moving is shown as failed
    job = get_object_or_404(ExportJob.objects.select_related("requested_by"), pk=pk)
    if not job.may_be_seen_by(request.user):
        raise Http404("Deze export bestaat niet.")
    return job


@role_required(can_view_reports)
def export_detail(request, pk: int):
    job = _job_for(request, pk)
    return render(request, "reports/export_detail.html", {"job": job})


@require_GET
@role_required(can_view_reports)
def export_status(request, pk: int):
    """What the progress script polls: a few fields as JSON."""
    job = _job_for(request, pk)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "progress": job.progress,
            "finished": job.is_finished,
            "download_url": reverse("reports:export_download", kwargs={"pk": job.pk})
            if job.state == ExportJob.State.DONE
            else None,
            "error": job.error,
        }
    )


@require_GET
@role_required(can_view_reports)
def export_download(request, pk: int):
    job = _job_for(request, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404("Deze export is (nog) niet klaar.")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("Het bestand van deze export bestaat niet meer.") from missing
    return FileResponse(handle, as_attachment=True, filename=services.export_filename(job))
