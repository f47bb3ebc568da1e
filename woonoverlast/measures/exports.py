"""Plain tables as CSV (Excel NL: `;`, UTF-8 with BOM) or XLSX, for the maatregelen list and
the maatregelen report."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from woonoverlast.common.spreadsheets import csv_row, xlsx_cell
from woonoverlast.common.validation import format_date

# Dates are real dates in a workbook (Excel sorts and filters them as dates), shown as the
# team writes them.
XLSX_DATE_FORMAT = "dd-mm-yyyy"


def _csv_value(value):
    return format_date(value) if isinstance(value, datetime.date) else value


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_row(header))
    for row in rows:
        writer.writerow(csv_row(_csv_value(value) for value in row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet: a bold title, an empty row, the header, the rows (numbers stay numbers)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.cell(1, 1, title).font = Font(bold=True, size=14)
    for column, text in enumerate(header, start=1):
        sheet.cell(3, column, text).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(3, column).column_letter].width = max(12, len(text) + 2)
    for row_number, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=1):
            # Text is stored as text (never a formula); numbers and dates stay what they are.
            cell = xlsx_cell(sheet, row_number, column, value)
            if isinstance(value, datetime.date):
                cell.number_format = XLSX_DATE_FORMAT
    sheet.freeze_panes = "A4"
    workbook.properties.title = title
    workbook.properties.creator = "Woonoverlast Zoetermeer"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
