"""The one spreadsheet module: every CSV and XLSX the app exports, and its download response.

Cells: text is always written as text.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and tab or
carriage return can hide such a start). A wijk, name or description typed as
`=HYPERLINK(...)` must arrive as that text, not as a live formula in the file a colleague
opens (OWASP: CSV injection). Every export writes its cells through `csv_cell` (or `csv_row`)
and `xlsx_cell`.

Files: CSV for Dutch Excel (a semicolon between fields, CRLF line ends, UTF-8 with a byte-order
mark, so that Excel NL opens it in columns with "ï" intact) through `excel_csv_writer`; a plain
table as such a CSV (`csv_bytes`) or as a one-sheet workbook (`xlsx_bytes`); `download` wraps
the bytes as an attachment.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from .validation import format_date

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Dates are real dates in a workbook (Excel sorts and filters them as dates), shown as the
# team writes them.
XLSX_DATE_FORMAT = "dd-mm-yyyy"

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """The value for a CSV cell: numbers as they are; text that a spreadsheet would run as a
    formula gets a leading `'` (shown as text, as OWASP advises); other text unchanged."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_row(values) -> list:
    return [csv_cell(value) for value in values]


def xlsx_cell(sheet, row: int, column: int, value=None):
    """sheet.cell(row, column, value), with text stored as a string cell whatever it starts
    with: openpyxl would store text starting with `=` as a formula."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def excel_csv_writer(out):
    """A csv writer for Dutch Excel on `out` (a text stream or an HttpResponse), after
    writing the byte-order mark."""
    out.write("\ufeff")
    return csv.writer(out, delimiter=";", lineterminator="\r\n")


def _csv_value(value):
    return format_date(value) if isinstance(value, datetime.date) else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A plain table as CSV for Dutch Excel; dates as dd-mm-jjjj."""
    out = io.StringIO()
    writer = excel_csv_writer(out)
    writer.writerow(csv_row(header))
    for row in rows:
        writer.writerow(csv_row(_csv_value(value) for value in row))
    return out.getvalue().encode("utf-8")


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


def download(content: bytes, name: str, content_type: str) -> HttpResponse:
    """`content` as a file to save, named `name`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
