"""Tabel 5.1 as files: CSV in the published format, XLSX laid out like the jaarverslag.

CSV: the header of `tabel-5.1-2023.csv`, one row per wijk with our wijk names, `Totaal` last,
UTF-8 without BOM, LF line ends, exactly as the published file.

XLSX: a title with year and peildatum, the two header rows with merged cells (Koop /
Corporatie / Particulier over Lopende and Afgeronde casuïstiek), the wijken, a bold Totaal
row, and the totals in words under the main table.
"""

import csv
import io
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from woonoverlast.cases.choices import HousingType
from woonoverlast.common.spreadsheets import csv_row, excel_csv_writer, xlsx_cell

from .prose import long_date, totals_in_words
from .tabel51 import CARRIED_OVER, COLUMN_NAMES, COLUMNS, HOUSING_TYPES, Table, year_end

CSV_HEADER = ("wijk", *(f"{h}_{COLUMN_NAMES[s]}" for h, s in COLUMNS), "totaal")
STATUS_HEADERS = ("Lopende casuïstiek", "Afgeronde casuïstiek")
TOTAL_HEADER = "Totaal casuïstiek"

# -- names and titles ------------------------------------------------------------------------


def title(table: Table) -> str:
    if table.kind == CARRIED_OVER:
        return f"Tabel 5.1 Woonoverlast doorlopende casussen {table.year}"
    return f"Tabel 5.1 Woonoverlast aantallen {table.year}"


def subtitle(table: Table) -> str:
    if table.kind == CARRIED_OVER:
        return (
            f"Casussen geregistreerd vóór 1 januari {table.year} die op "
            f"{long_date(table.registered_to)} nog liepen, met hun status op de peildatum "
            f"{long_date(table.as_of)}."
        )
    return (
        f"Casussen geregistreerd van {long_date(table.registered_from)} tot en met "
        f"{long_date(table.registered_to)}, met hun status op de peildatum "
        f"{long_date(table.as_of)}."
    )


def corner_label(table: Table) -> str:
    """The top-left header cell, as in the jaarverslag: "Woonoverlast aantallen 2023"."""
    if table.kind == CARRIED_OVER:
        return f"Doorlopende casussen {table.year}"
    return f"Woonoverlast aantallen {table.year}"


def filename(table: Table, extension: str, *, suffix: str = "") -> str:
    """tabel-5.1-2023.csv; tabel-5.1-2023-doorlopend-peildatum-2024-03-01.xlsx;
    tabel-5.1-2023-excel.csv (suffix "excel")"""
    parts = [f"tabel-5.1-{table.year}"]
    if table.kind == CARRIED_OVER:
        parts.append("doorlopend")
    if table.as_of != year_end(table.year):
        parts.append(f"peildatum-{table.as_of.isoformat()}")
    if suffix:
        parts.append(suffix)
    return "-".join(parts) + f".{extension}"


# -- CSV -------------------------------------------------------------------------------------


def csv_rows(table: Table) -> list[list]:
    return [csv_row([row.name, *row.cells, row.total]) for row in table.all_rows]


def csv_text(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_row(CSV_HEADER))
    writer.writerows(csv_rows(table))
    return out.getvalue()


def csv_bytes(table: Table) -> bytes:
    return csv_text(table).encode("utf-8")


def excel_csv_bytes(table: Table) -> bytes:
    """The same rows for Dutch Excel, which opens a comma-separated file as one column: a
    semicolon between fields, CRLF line ends and a byte-order mark (so that "ï" in the header
    survives), as the case-list export writes them."""
    out = io.StringIO()
    writer = excel_csv_writer(out)
    writer.writerow(csv_row(CSV_HEADER))
    writer.writerows(csv_rows(table))
    return out.getvalue().encode("utf-8")


# -- XLSX ------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="8C8C8C")
_THICK = Side(style="medium", color="1A1A1A")
_HEADER_FILL = PatternFill("solid", fgColor="E6F2F0")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)

# Where the parts of a sheet go (1-based rows and columns).
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 1, 2, 4
FIRST_DATA_ROW = HEADER_ROW + 2
LAST_COLUMN = 2 + len(COLUMNS)  # wijk, six cells, totaal


def _header(sheet, table: Table) -> None:
    top, bottom = HEADER_ROW, HEADER_ROW + 1
    xlsx_cell(sheet, top, 1, corner_label(table))
    sheet.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)
    for index, housing_type in enumerate(HOUSING_TYPES):
        column = 2 + 2 * index
        xlsx_cell(sheet, top, column, HousingType(housing_type).label)
        sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + 1)
        for offset, text in enumerate(STATUS_HEADERS):
            xlsx_cell(sheet, bottom, column + offset, text)
    xlsx_cell(sheet, top, LAST_COLUMN, TOTAL_HEADER)
    sheet.merge_cells(
        start_row=top, start_column=LAST_COLUMN, end_row=bottom, end_column=LAST_COLUMN
    )
    for row in (top, bottom):
        for column in range(1, LAST_COLUMN + 1):
            cell = sheet.cell(row, column)
            cell.font = _BOLD
            cell.fill = _HEADER_FILL
            cell.alignment = _CENTER
            cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
    sheet.row_dimensions[bottom].height = 32


def _body(sheet, table: Table) -> int:
    """Write the rows; returns the row number of the Totaal row."""
    row_number = FIRST_DATA_ROW
    for row in table.all_rows:
        values = [row.name, *row.cells, row.total]
        is_total = row.district_id is None
        for column, value in enumerate(values, start=1):
            cell = xlsx_cell(sheet, row_number, column, value)
            cell.border = Border(
                top=_THICK if is_total else _THIN,
                bottom=_THIN,
                left=_THIN,
                right=_THIN,
            )
            if column > 1:
                cell.number_format = "0"
                cell.alignment = Alignment(horizontal="right")
            if is_total or column == LAST_COLUMN:
                cell.font = _BOLD
        row_number += 1
    return row_number - 1


def add_sheet(workbook: Workbook, table: Table):
    """One sheet laid out like the jaarverslag's table."""
    name = f"Doorlopend {table.year}" if table.kind == CARRIED_OVER else f"Tabel 5.1 {table.year}"
    sheet = workbook.create_sheet(name)
    xlsx_cell(sheet, TITLE_ROW, 1, title(table)).font = Font(bold=True, size=14)
    xlsx_cell(sheet, SUBTITLE_ROW, 1, subtitle(table))
    _header(sheet, table)
    total_row = _body(sheet, table)
    if table.kind != CARRIED_OVER:
        prose_row = total_row + 2
        cell = xlsx_cell(sheet, prose_row, 1, totals_in_words(table))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(
            start_row=prose_row, start_column=1, end_row=prose_row, end_column=LAST_COLUMN
        )
        sheet.row_dimensions[prose_row].height = 90
    sheet.column_dimensions["A"].width = 26
    for column in range(2, LAST_COLUMN + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 13
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 2)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    return sheet


def xlsx_bytes(tables: Iterable[Table]) -> bytes:
    """A workbook with one sheet per table, in the order given."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    tables = list(tables)
    for table in tables:
        add_sheet(workbook, table)
    workbook.properties.title = title(tables[0]) if tables else "Tabel 5.1"
    workbook.properties.creator = "Woonoverlast Zoetermeer"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- several files at once -------------------------------------------------------------------


def zip_bytes(files: Iterable[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return out.getvalue()
