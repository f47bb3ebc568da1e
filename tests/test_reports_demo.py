"""The demo data reproduces the published Tabel 5.1 of 2023 to the last cell, through every
output: the page, the CSV, the XLSX (read back), the command; and the jaarverslag's prose."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from reports import tabel51
from reports.exports import CSV_HEADER
from tests.factories import casemanager, rapportage, teamleider
from woonoverlast.cases.models import Case, Party

PUBLISHED = Path(__file__).parent / "data" / "tabel-5.1-2023.csv"
# The jaarverslag's table truncates the official name of this wijk; we export our names.
PUBLISHED_NAMES = {"Buytenweg": "Buytenwegh"}
JAARVERSLAG_2023 = (
    "In totaal zijn in 2023 284 concrete casussen geregistreerd. Daarvan zijn er 171 afgerond. "
    "Het aantal openstaande casussen is 113. In 71 openstaande casussen gaat het om "
    "corporatiewoningen. Het aantal openstaande casussen van koopwoningen is aanzienlijk lager, "
    "namelijk 31. De overige 11 openstaande casussen hebben betrekking op particuliere "
    "huurwoningen."
)

pytestmark = pytest.mark.usefixtures("demo_data", "db")


def published_rows() -> list[list[str]]:
    """The published CSV with our wijk names: header first, Totaal last."""
    with PUBLISHED.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    return [[PUBLISHED_NAMES.get(row[0], row[0]), *row[1:]] for row in rows]


def published_text() -> str:
    return "".join(",".join(row) + "\n" for row in published_rows())


def test_the_published_file_is_what_we_compare_with():
    rows = published_rows()
    assert tuple(rows[0]) == CSV_HEADER
    assert rows[-1] == ["Totaal", "31", "56", "71", "107", "11", "8", "284"]
    assert len(rows) == 10


def test_the_page(client):
    for user in (casemanager(), rapportage()):
        client.force_login(user)
        html = client.get(reverse("reports:tabel51"), {"jaar": 2023}).content.decode()
        for row in published_rows()[1:]:
            line = re.search(rf'<th scope="row">{re.escape(row[0])}</th>.*?</tr>', html, re.S)
            numbers = re.findall(r'<td class="number[^"]*">(?:<a href="[^"]*">)?(\d+)', line[0])
            assert numbers == row[1:], row[0]
        assert JAARVERSLAG_2023 in html


def test_the_csv_download_byte_for_byte(client):
    client.force_login(rapportage())
    response = client.get(reverse("reports:tabel51_csv"), {"jaar": 2023})
    assert response.content.decode("utf-8") == published_text()
    assert not response.content.startswith(b"\xef\xbb\xbf")  # no BOM, as the published file


def test_the_xlsx_download_read_back(client):
    client.force_login(rapportage())
    response = client.get(reverse("reports:tabel51_xlsx"), {"jaar": 2023})
    sheet = load_workbook(io.BytesIO(response.content))["Tabel 5.1 2023"]
    assert sheet["A1"].value == "Tabel 5.1 Woonoverlast aantallen 2023"
    read = [
        [str(sheet.cell(row, column).value) for column in range(1, 9)]
        for row in range(6, 6 + len(published_rows()) - 1)
    ]
    assert read == published_rows()[1:]
    assert sheet.cell(16, 1).value == JAARVERSLAG_2023


def test_the_command_csv_to_standard_output():
    out = io.StringIO()
    call_command("tabel51", "--jaar", "2023", stdout=out)
    assert out.getvalue() == published_text()


def test_the_command_with_an_explicit_peildatum_and_a_file(tmp_path):
    path = tmp_path / "tabel.csv"
    call_command(
        "tabel51", "--jaar=2023", "--peildatum=31-12-2023", f"--output={path}", stderr=io.StringIO()
    )
    assert path.read_text(encoding="utf-8") == published_text()


def test_the_command_xlsx_read_back(tmp_path):
    path = tmp_path / "tabel.xlsx"
    call_command(
        "tabel51",
        "--jaar",
        "2023",
        "--format",
        "xlsx",
        "--output",
        str(path),
        "--doorlopend",
        stderr=io.StringIO(),
    )
    book = load_workbook(path)
    assert book.sheetnames == ["Tabel 5.1 2023", "Doorlopend 2023"]
    sheet = book["Tabel 5.1 2023"]
    read = [[str(sheet.cell(r, c).value) for c in range(1, 9)] for r in range(6, 15)]
    assert read == published_rows()[1:]


def test_the_command_text_has_the_table_and_the_prose():
    out = io.StringIO()
    call_command("tabel51", "--jaar", "2023", "--format", "tekst", stdout=out)
    text = out.getvalue()
    assert re.search(r"^Buytenwegh\s+1\s+9\s+15\s+38\s+1\s+1\s+65$", text, re.M)
    assert re.search(r"^Totaal\s+31\s+56\s+71\s+107\s+11\s+8\s+284$", text, re.M)
    assert JAARVERSLAG_2023 in text


def test_the_carried_over_cases_add_up_with_an_independent_count():
    eve = datetime.date(2022, 12, 31)
    table = tabel51.carried_over(2023)
    expected = sum(
        1
        for case in Case.objects.filter(registered_on__lte=eve).prefetch_related("status_changes")
        if any(
            row.status == "open"
            and row.effective_on <= eve
            and (row.ended_on is None or row.ended_on > eve)
            for row in case.status_changes.all()
        )
    )
    assert table.total.total == expected > 0


def test_the_rapportage_role_sees_no_personal_data(client):
    client.force_login(rapportage())
    pages = [
        client.get(reverse("reports:tabel51"), {"jaar": 2023, "doorlopend": "on"}),
        client.get(reverse("reports:overview")),
        client.get(reverse("reports:index")),
    ]
    html = "".join(page.content.decode() for page in pages)
    assert all(page.status_code == 200 for page in pages)
    assert "/casussen/" not in html
    assert not re.search(r"WO-20\d\d-\d{4}", html)
    for party in Party.objects.order_by("?")[:50]:
        assert escape(party.name) not in html
    for case in Case.objects.exclude(street="").order_by("?")[:50]:
        assert case.street not in html and case.postcode not in html


def test_a_team_leader_freezes_2023_and_it_matches_the_published_table(client):
    leader = teamleider()
    client.force_login(leader)
    response = client.post(
        reverse("reports:tabel51_freeze"),
        {"jaar": 2023, "peildatum": "2023-12-31", "bevestig": "on"},
    )
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "De actuele tabel op dezelfde peildatum is gelijk aan de vastgestelde." in html
    from reports.models import FrozenTable

    frozen = FrozenTable.objects.get(year=2023)
    assert [
        [row["name"], *map(str, row["cells"]), str(sum(row["cells"]))] for row in frozen.rows
    ] == [row for row in published_rows()[1:-1]]
    assert frozen.cases.count() == 284
