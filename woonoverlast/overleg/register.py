"""The register of verstrekkingen for team leaders: filtered rows, and CSV and XLSX."""

from django.http import Http404, HttpResponse
from django.utils import timezone

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.common import spreadsheets

from .models import Disclosure

HEADER = [
    "Verstrekt op",
    "Casus",
    "Organisatie",
    "Soort organisatie",
    "Contactpersoon",
    "Account",
    "Convenant",
    "Overleg",
    "Gegevenscategorieën",
    "Hoe",
]


def register_rows(form) -> list[Disclosure]:
    """The verstrekkingen the filter form asks for (all when it is empty or invalid: an
    invalid form shows its errors and no rows)."""
    rows = Disclosure.objects.for_list()
    if form.is_bound and not form.is_valid():
        return []
    data = form.cleaned_data if form.is_bound else {}
    if data.get("organisation"):
        rows = rows.filter(organisation=data["organisation"])
    if data.get("reference"):
        rows = rows.filter(case__reference__iexact=data["reference"].strip())
    rows = rows.between(data.get("start"), data.get("end"))
    return list(rows.order_by("-disclosed_at", "-pk"))


def _cells(row: Disclosure) -> list:
    return [
        timezone.localtime(row.disclosed_at).strftime("%d-%m-%Y %H:%M"),
        row.case.reference,
        row.organisation.name,
        row.organisation.get_kind_display(),
        row.contact.name if row.contact else "",
        row.user.get_username() if row.user else "",
        row.covenant.title,
        f"{row.meeting.held_on:%d-%m-%Y}" if row.meeting else "",
        ", ".join(row.category_labels()),
        row.get_channel_display(),
    ]


def register_export(rows: list[Disclosure], *, file_format: str, by) -> HttpResponse:
    """The register as CSV or XLSX; the export itself is audited (it names cases)."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    cells = [_cells(row) for row in rows]
    record(
        AuditAction.EXPORT,
        by=by,
        changes={"verstrekkingenregister": file_format, "rijen": len(cells)},
    )
    name = f"verstrekkingen.{file_format}"
    if file_format == "csv":
        return spreadsheets.download(
            spreadsheets.csv_bytes(HEADER, cells), name, spreadsheets.CSV_CONTENT_TYPE
        )
    return spreadsheets.download(
        spreadsheets.xlsx_bytes("Verstrekkingen", HEADER, cells),
        name,
        spreadsheets.XLSX_CONTENT_TYPE,
    )
