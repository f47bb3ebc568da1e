"""The case list with its filters, its CSV export, *Mijn casussen* and the team overview."""

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import can_lead_team, can_work_cases
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.followups.selection import due_for_team, due_for_user, team_rows
from woonoverlast.spreadsheets import csv_cell, csv_row

from ..choices import HousingType, Status
from ..filters import UNASSIGNED, CaseFilter, list_url
from ..models import Case, District
from ..pagination import LongListPaginator
from ..services.validation import today

PAGE_SIZE = 25

# (sorteer key or None when the column does not sort, header, default direction)
COLUMNS = [
    ("referentie", "Referentie", ""),
    ("wijk", "Wijk", ""),
    ("woningtype", "Woningtype", ""),
    ("adres", "Adres", ""),
    (None, "Categorieën", ""),
    ("casemanager", "Casemanager", ""),
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
    filterset = CaseFilter(request.GET, queryset=Case.objects.for_list())
    valid = filterset.is_valid()
    cases = filterset.qs if valid else Case.objects.none()
    page = LongListPaginator(cases, PAGE_SIZE).get_page(request.GET.get("pagina"))
    active = filterset.active()
    empty_reason = ""
    if not valid:
        empty_reason = "invalid"
    elif page.paginator.count == 0:
        empty_reason = "filtered" if active else "none"
    as_of = filterset.form.cleaned_data.get("peildatum") if valid else None
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
            "advanced_open": any(
                filterset.form[name].value() not in (None, "") for name in CaseFilter.ADVANCED
            ),
            "can_export": can_lead_team(request.user),
        },
    )


# Mijn casussen shows this many open cases, the most urgent first; the rest is one click away
# in the case list (a casemanager with thousands of open cases would get megabytes of page).
WORKLIST_SHOWN = 100


def worklist_context(user) -> dict:
    cases = Case.objects.worklist_of(user)
    shown = list(cases.for_list()[:WORKLIST_SHOWN])
    return {
        "cases": shown,
        # Counted only when the page is full: the usual short list costs no extra query.
        "open_count": cases.count() if len(shown) == WORKLIST_SHOWN else len(shown),
        "worklist_shown": WORKLIST_SHOWN,
        "all_open_url": list_url(casemanager=user.pk, status=Status.OPEN),
        "due": due_for_user(user),
    }


@role_required(can_work_cases)
def my_cases(request):
    return render(request, "cases/mine.html", worklist_context(request.user))


def team_overview_context() -> dict:
    """The team leader's start page: open cases per wijk and housing type and per casemanager,
    every number a link to the case list filtered to exactly those cases."""
    open_cases = Case.objects.open()
    counts = {
        (row["district"], row["housing_type"]): row["count"]
        for row in open_cases.count_by_district_and_housing_type()
    }
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

    per_casemanager = list(open_cases.count_by_casemanager())
    users = get_user_model().objects.in_bulk(
        [row["casemanager"] for row in per_casemanager if row["casemanager"]]
    )
    workload = [
        {
            "name": str(users[row["casemanager"]]) if row["casemanager"] else "Niet toegewezen",
            "count": row["count"],
            "url": list_url(casemanager=row["casemanager"] or UNASSIGNED, status=Status.OPEN),
        }
        for row in per_casemanager
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
        "team_rows": team_rows(due_for_team()),
    }


# -- export -------------------------------------------------------------------------------


# The former name, imported by code on other branches (measures exports): new code calls
# woonoverlast.spreadsheets (csv_cell, csv_row, xlsx_cell) directly.
_cell = csv_cell


def _date(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


@role_required(can_lead_team)
def case_export(request):
    """The filtered case list as CSV for Excel (NL): `;`, UTF-8 with BOM, Dutch headers.

    No personal data and no address: team leaders use it for counts and dividing the work.
    """
    filterset = CaseFilter(request.GET, queryset=Case.objects.for_list())
    if not filterset.is_valid():
        messages.error(request, "De filters bevatten een fout; er is niets geëxporteerd.")
        return redirect(f"{reverse('cases:list')}?{request.GET.urlencode()}")
    as_of = filterset.form.cleaned_data.get("peildatum")

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="casussen-{today():%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    header = ["Referentie", "Wijk", "Woningtype", "Status"]
    if as_of:
        header.append(f"Status op {_date(as_of)}")
    header += [
        "Geregistreerd op",
        "Afgerond op",
        "Casemanager",
        "Categorieën",
        "Complexiteit",
    ]
    writer.writerow(csv_row(header))
    exported = 0
    for case in filterset.qs.iterator(chunk_size=500):
        row = [case.reference, case.district, case.get_housing_type_display()]
        row.append(case.get_status_display())
        if as_of:
            row.append(Status(case.status_on).label)
        row += [
            _date(case.registered_on),
            _date(case.closed_on),
            case.casemanager or "",
            ", ".join(category.name for category in case.categories.all()),
            case.get_complexity_display(),
        ]
        writer.writerow(csv_row(row))
        exported += 1
    record(
        AuditAction.EXPORT,
        by=request.user,
        changes={"casussen": exported, "filters": filterset.used_for_audit()},
    )
    return response
