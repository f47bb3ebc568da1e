"""The maatregelen per year and the doorlooptijd: counts only, for every role."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import can_view_reports
from woonoverlast.common import spreadsheets
from woonoverlast.common.validation import today
from woonoverlast.db_router import use_replica
from woonoverlast.measures.reports import (
    GROUPINGS,
    latest_year_with_measures,
    measures_per_year,
)

from .forms import PeriodForm
from .leadtime import lead_times
from .views import default_year


class MeasuresPeriodForm(PeriodForm):
    indeling = forms.ChoiceField(
        label="Uitsplitsen", choices=list(GROUPINGS.items()), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["doorlopend"]
        self.fields["jaar"].help_text = "Het jaar waarin de stappen vallen."
        self.fields[
            "peildatum"
        ].help_text = "Tel de stappen tot en met deze datum. Leeg: 31 december."


class LeadTimeForm(PeriodForm):
    """The year of the doorlooptijd (the year the cases were closed in)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["doorlopend"]
        del self.fields["peildatum"]
        self.fields["jaar"].help_text = "Het jaar waarin de casussen afgerond zijn."


def _report(request):
    # Without a year: the latest with any measure (this year when it has one), not a year of
    # zeros; the last complete year when there are no measures at all.
    data = request.GET
    if not data.get("jaar"):
        opening_year = latest_year_with_measures(today()) or default_year()
        data = {**request.GET.dict(), "jaar": opening_year}
    form = MeasuresPeriodForm(data)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, measures_per_year(
        data["jaar"], data.get("peildatum"), by=data.get("indeling") or ""
    )


def _table_download(title: str, header, rows, name: str, file_format: str) -> HttpResponse:
    if file_format == "csv":
        return spreadsheets.download(
            spreadsheets.csv_bytes(header, rows), f"{name}.csv", spreadsheets.CSV_CONTENT_TYPE
        )
    if file_format == "xlsx":
        return spreadsheets.download(
            spreadsheets.xlsx_bytes(title, header, rows),
            f"{name}.xlsx",
            spreadsheets.XLSX_CONTENT_TYPE,
        )
    raise Http404


@require_GET
@role_required(can_view_reports)
def measures_page(request):
    form, report = _report(request)
    return render(
        request,
        "reports/maatregelen.html",
        {"form": form, "report": report, "query": request.GET.urlencode()},
    )


@require_GET
@role_required(can_view_reports)
def measures_export(request, file_format: str):
    form, report = _report(request)
    if report is None:
        return render(
            request, "reports/maatregelen.html", {"form": form, "report": None}, status=400
        )
    name = f"maatregelen-{report.year}"
    return _table_download(report.title, report.header, report.table(), name, file_format)


@require_GET
@role_required(can_view_reports)
@use_replica
def lead_time_page(request):
    """The doorlooptijd of the cases closed in a year (?jaar=Y, default the last complete
    year). A yearly figure over every closing of the year (slow at a large database), so
    on a page of its own, not on the overview of today (docs/performance.md)."""
    form = LeadTimeForm(request.GET or {"jaar": default_year()})
    table = lead_times(form.cleaned_data["jaar"]) if form.is_valid() else None
    return render(request, "reports/doorlooptijd.html", {"form": form, "table": table})


@require_GET
@role_required(can_view_reports)
def lead_time_export(request, file_format: str):
    """The doorlooptijd table, for ?jaar=Y (default: this year)."""
    try:
        year = int(request.GET.get("jaar") or default_year() + 1)
    except ValueError:
        raise Http404 from None
    table = lead_times(year)
    return _table_download(
        f"Doorlooptijd {year}", table.header, table.table(), f"doorlooptijd-{year}", file_format
    )
