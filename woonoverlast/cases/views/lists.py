"""The case list with its filters, its CSV export, *Mijn casussen* and the team overview."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import can_lead_team, can_work_cases
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record, record_list_view
from woonoverlast.common.pagination import LongListPaginator
from woonoverlast.common.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_row,
    download,
    excel_csv_writer,
)
from woonoverlast.common.validation import today
from woonoverlast.common.views import add_service_errors

from .. import services
from ..choices import HousingType, Status
from ..filters import UNASSIGNED, CaseFilter, list_url
from ..forms import BulkReassignForm
from ..models import Action, Case, District
from ..sections import TEAM_OVERVIEW, WORKLIST, sections_context
from ..team_counts import team_counts

PAGE_SIZE = 25
# The parameter the header's search box adds (?via=kop): not a filter, the list ignores it.
HEADER_SEARCH, HEADER_SEARCH_VALUE = "via", "kop"

# (sorteer key or None when the column does not sort, header, default direction)
COLUMNS = [
    ("referentie", "Referentie", ""),
    ("wijk", "Wijk", ""),
    ("woningtype", "Woningtype", ""),
    ("adres", "Adres", ""),
    (None, "Categorieën", ""),
    ("casemanager", "Casemanager", ""),
    (None, "Volgende vervolgactie", ""),
    ("geregistreerd", "Geregistreerd", "-"),
    ("status", "Status", ""),
]


def _columns(current_sort: str) -> list[dict]:
    columns = []
    for key, label, default_direction in COLUMNS:
        column = {"key": key, "label": label, "aria_sort": None, "next_sort": None}
        if key:
            if current_sort == key:
                column["aria_sort"], column["next_sort"] = "ascending", f"-{key}"
            elif current_sort == f"-{key}":
                column["aria_sort"], column["next_sort"] = "descending", key
            else:
                column["next_sort"] = f"{default_direction}{key}"
        columns.append(column)
    return columns


@role_required(can_work_cases)
def case_list(request):
    return _case_list_page(request)


def _case_list_page(request, bulk_form=None):
    """The list for request.GET's filters; a team leader gets the bulk reassignment form
    (`bulk_form`: bound, with its errors, after a refused POST)."""
    cases = Case.objects.for_list().with_data_visible_to(request.user)
    filterset = CaseFilter(request.GET, queryset=cases, request=request)
    valid = filterset.is_valid()
    cases = filterset.qs if valid else Case.objects.none()
    page = LongListPaginator(cases, PAGE_SIZE).get_page(request.GET.get("pagina"))
    # The next follow-up of the page's cases in one query (not a subquery the count and
    # the sort would also pay for).
    next_follow_ups = Action.objects.next_follow_up_by_case([case.pk for case in page])
    for case in page:
        case.next_follow_up_on = next_follow_ups.get(case.pk)
    active = filterset.active()
    empty_reason = ""
    if not valid:
        empty_reason = "invalid"
    elif page.paginator.count == 0:
        empty_reason = "filtered" if active else "none"
    as_of = filterset.form.cleaned_data.get("peildatum") if valid else None
    # The header's search box (base.html) marks its searches: one hit opens that case, and
    # the hits are not pushed down by the filter panel the list opens on wide screens.
    from_header = request.GET.get(HEADER_SEARCH) == HEADER_SEARCH_VALUE
    if from_header and valid and request.GET.get("q") and page.paginator.count == 1:
        return redirect(page[0].get_absolute_url())
    record_list_view(
        request,
        page="Casussen",
        references=[case.reference for case in page if case.data_visible and case.address],
    )
    return render(
        request,
        "cases/list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "columns": _columns(filterset.sort),
            "active_filters": active,
            "empty_reason": empty_reason,
            "as_of": as_of,
            "from_header": from_header,
            "advanced_open": any(
                filterset.form[name].value() not in (None, "", False)
                for name in CaseFilter.ADVANCED
                if name in filterset.form.fields
            ),
            "can_export": can_lead_team(request.user),
            "retention_months": settings.RETENTION_MONTHS,
            "archive_included": bool(valid and filterset.form.cleaned_data.get("ook_archief")),
            "bulk_form": bulk_form
            if bulk_form is not None
            else (BulkReassignForm() if can_lead_team(request.user) else None),
            "selected": set(bulk_form["casussen"].value() or []) if bulk_form else set(),
        },
    )


@role_required(can_lead_team)
@require_POST
def case_reassign_many(request):
    """Reassign the cases ticked in the list (a team leader): one service call for all, in
    one transaction; back to the same list. The form posts to this URL with the list's own
    query string, so a refused form is shown on the same list with the input kept."""
    form = BulkReassignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["alle"]:  # the filters of the list this form was posted from
                done = services.case_reassign_matching(
                    request.GET,
                    expected=data["aantal"],
                    casemanager=data["casemanager"],
                    reason=data["reason"],
                    by=request.user,
                )
            else:
                done = services.case_reassign_many(
                    data["casussen"],
                    casemanager=data["casemanager"],
                    reason=data["reason"],
                    by=request.user,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = len(done)
            messages.success(
                request,
                f"{count} {'casus is' if count == 1 else 'casussen zijn'} toegewezen aan "
                f"{form.cleaned_data['casemanager']}.",
            )
            return redirect(f"{reverse('cases:list')}?{request.GET.urlencode()}")
    return _case_list_page(request, bulk_form=form)


# Al mijn lopende casussen shows this many open cases (as many as of each folded group of
# termijnen), the most urgent first; the case list has the rest, one click away.
WORKLIST_SHOWN = 25


def worklist_context(user) -> dict:
    """*Mijn casussen*: what needs doing today first (overdue and today's deadlines), then
    collapsible groups with their counts: this week, stalled, nazorg (the termijnen: a
    section of the followups app), and the count of all open cases. That last group is folded
    and its list is a page of its own (`open_cases_context`), fetched when it is opened: the
    page does not make and render a list that is seldom looked at (docs/performance.md)."""
    return {
        "open_count": Case.objects.worklist_of(user).count(),
        **sections_context(WORKLIST, user),
    }


def open_cases_context(user) -> dict:
    """*Al mijn lopende casussen*: the first WORKLIST_SHOWN open cases of `user`, those with
    the earliest follow-up first, their count and the case list of all of them."""
    cases = Case.objects.worklist_of(user)
    shown = list(cases.for_list()[:WORKLIST_SHOWN])
    return {
        "cases": shown,
        # Counted only when the page is full: the usual short list costs no extra query.
        "open_count": cases.count() if len(shown) == WORKLIST_SHOWN else len(shown),
        "worklist_shown": WORKLIST_SHOWN,
        "all_open_url": list_url(casemanager=user.pk, status=Status.OPEN),
    }


@role_required(can_work_cases)
def my_cases(request):
    return render(request, "cases/mine.html", worklist_context(request.user))


@role_required(can_work_cases)
def my_open_cases(request):
    """The list of the folded group of *Mijn casussen*, as a page of its own (the group's
    link without JavaScript; static/js/fold-load.js puts its list into the group)."""
    context = open_cases_context(request.user)
    record_list_view(
        request,
        page="Al mijn lopende casussen",
        references=[case.reference for case in context["cases"] if case.address],
    )
    return render(request, "cases/mine_open.html", context)


def team_overview_context() -> dict:
    """The team leader's start page: open cases per wijk and housing type and per casemanager,
    every number a link to the case list filtered to exactly those cases. The counts are
    stored while the open cases' assignment is unchanged (team_counts); the wijken, names and
    links are read and made per request."""
    counted = team_counts()
    counts = counted.by_district_and_housing_type
    housing_types = list(HousingType)
    rows = []
    for district in District.objects.all():
        cells = [
            {
                "count": counts.get((district.pk, housing_type), 0),
                "url": list_url(wijk=district.pk, woningtype=housing_type, status=Status.OPEN),
                "label": housing_type.label,
            }
            for housing_type in housing_types
        ]
        total = sum(cell["count"] for cell in cells)
        if not district.is_active and not total:
            continue
        rows.append(
            {
                "district": district,
                "cells": cells,
                "total": total,
                "url": list_url(wijk=district.pk, status=Status.OPEN),
            }
        )
    column_totals = [
        {
            "count": sum(count for (_, kind), count in counts.items() if kind == housing_type),
            "url": list_url(woningtype=housing_type, status=Status.OPEN),
            "label": housing_type.label,
        }
        for housing_type in housing_types
    ]

    per_casemanager = counted.by_casemanager
    users = get_user_model().objects.in_bulk([manager for manager in per_casemanager if manager])
    workload = [
        {
            "name": str(users[manager]) if manager else "Niet toegewezen",
            "count": count,
            "url": list_url(casemanager=manager or UNASSIGNED, status=Status.OPEN),
        }
        for manager, count in per_casemanager.items()
    ]
    # Unassigned first (work to divide), then by name.
    workload.sort(key=lambda row: (row["name"] != "Niet toegewezen", row["name"]))
    return {
        "housing_types": housing_types,
        "rows": rows,
        "column_totals": column_totals,
        "total": sum(counts.values()),
        "total_url": list_url(status=Status.OPEN),
        "workload": workload,
        # The termijnen per casemanager (a section of the followups app).
        **sections_context(TEAM_OVERVIEW),
    }


# -- export -------------------------------------------------------------------------------


def _date(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _categories(case) -> str:
    return ", ".join(category.name for category in case.categories.all())


# The list's columns, in the screen's order (COLUMNS), then what the screen leaves out.
# (header, value of a case); dates stay dates here (text in CSV, date cells in XLSX).
EXPORT_COLUMNS = [
    ("Referentie", lambda case: case.reference),
    ("Wijk", lambda case: str(case.district)),
    ("Woningtype", lambda case: case.get_housing_type_display()),
    # As on the screen: a closed case's address only for who may see its personal data.
    ("Adres", lambda case: case.address if case.data_visible else "Afgeschermd"),
    ("Categorieën", _categories),
    ("Casemanager", lambda case: str(case.casemanager or "Niet toegewezen")),
    ("Volgende vervolgactie", lambda case: case.next_follow_up_on),
    ("Geregistreerd op", lambda case: case.registered_on),
    ("Status", lambda case: case.get_status_display()),
]
EXPORT_EXTRA_COLUMNS = [
    ("Afgerond op", lambda case: case.closed_on),
    ("Complexiteit", lambda case: case.get_complexity_display()),
]


def _export_columns(as_of) -> list:
    columns = list(EXPORT_COLUMNS)
    if as_of:
        columns.append((f"Status op {_date(as_of)}", lambda case: Status(case.status_on).label))
    return columns + EXPORT_EXTRA_COLUMNS


def _csv_response(columns, cases) -> tuple[HttpResponse, int]:
    response = download(b"", f"casussen-{today():%Y-%m-%d}.csv", CSV_CONTENT_TYPE)
    writer = excel_csv_writer(response)
    writer.writerow(csv_row(header for header, _ in columns))
    exported = 0
    for case in cases:
        row = [value(case) for _, value in columns]
        writer.writerow(
            csv_row(_date(item) if isinstance(item, datetime.date) else item for item in row)
        )
        exported += 1
    return response, exported


def _xlsx_response(columns, cases) -> tuple[HttpResponse, int]:
    """The same table as an Excel workbook: text as text cells (a reference or address that
    starts with "=" is never a formula), dates as date cells shown dd-mm-jjjj."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Casussen")
    bold = Font(bold=True)

    def cell(value, *, header=False):
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime.date):
            item.number_format = "DD-MM-YYYY"
        elif value is not None:
            item.value = str(value)
            item.data_type = "s"
        if header:
            item.font = bold
        return item

    sheet.append([cell(header, header=True) for header, _ in columns])
    exported = 0
    for case in cases:
        sheet.append([cell(value(case)) for _, value in columns])
        exported += 1
    response = download(b"", f"casussen-{today():%Y-%m-%d}.xlsx", XLSX_CONTENT_TYPE)
    workbook.save(response)
    return response, exported


@role_required(can_lead_team)
def case_export(request):
    """The filtered case list with the screen's columns (and a few more), as CSV for Excel
    (NL: `;`, UTF-8 with BOM) or, with formaat=xlsx, as an Excel workbook. Dutch headers.

    The address is in it (as on the screen); the parties' personal data is not. Every
    export is in the audit log.
    """
    filterset = CaseFilter(
        request.GET,
        queryset=Case.objects.for_list().with_next_follow_up().with_data_visible_to(request.user),
        request=request,
    )
    if not filterset.is_valid():
        messages.error(request, "De filters bevatten een fout; er is niets geëxporteerd.")
        return redirect(f"{reverse('cases:list')}?{request.GET.urlencode()}")
    as_of = filterset.form.cleaned_data.get("peildatum")
    columns = _export_columns(as_of)
    cases = filterset.qs.iterator(chunk_size=500)
    file_format = "xlsx" if request.GET.get("formaat") == "xlsx" else "csv"
    write = _xlsx_response if file_format == "xlsx" else _csv_response
    response, exported = write(columns, cases)
    record(
        AuditAction.EXPORT,
        by=request.user,
        changes={
            "casussen": exported,
            "formaat": file_format,
            "filters": filterset.used_for_audit(),
        },
    )
    return response
