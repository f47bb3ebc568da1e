"""Cells for every file the app exports (CSV and XLSX): text is always written as text.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and tab or
carriage return can hide such a start). A wijk, name or description typed as
`=HYPERLINK(...)` must arrive as that text, not as a live formula in the file a colleague
opens (OWASP: CSV injection). Every export writes its cells through these two functions.
"""

from decimal import Decimal

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
