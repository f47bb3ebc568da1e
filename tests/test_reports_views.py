"""The report pages per role: links only for case workers, the same numbers for everyone,
a fixed number of queries, Dutch errors for a bad period, downloads."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CaseFactory, action, casemanager, district, rapportage, teamleider
from woonoverlast.cases import services
from woonoverlast.cases.choices import ActionType, HousingType, PartyRole

pytestmark = pytest.mark.django_db


D = datetime.date
WIJKEN = ["Centrum", "Meerzicht", "Buytenwegh", "De Leyens", "Seghwaert", "Noordhove"]


def numbers_in(html: str, row_name: str) -> list[str]:
    """The numbers of one row of the first table on the page, links or not."""
    row = re.search(rf'<th scope="row">{re.escape(row_name)}.*?</tr>', html, re.S).group(0)
    return re.findall(r'<td class="number[^"]*">(?:<a href="[^"]*">)?(\d+)', row)


def make_cases(n: int):
    made = []
    for i in range(n):
        case = CaseFactory(
            district=district(WIJKEN[i % len(WIJKEN)]),
            housing_type=(HousingType.KOOP, HousingType.CORPORATIE)[i % 2],
            registered_on=D(2023 - i % 2, 1 + i % 12, 1 + i % 28),
            closed_on=D(2023, 12, 31) if i % 3 == 0 else None,
        )
        services.party_add(case, role=PartyRole.REPORTER, name=f"Melder Jansen{i}", by=None)
        action(case, performed_on=D(2023, 12, 31))
        made.append(case)
    return made


class TestTabel51Page:
    def test_case_workers_get_links_rapportage_the_same_numbers_without(self, client):
        make_cases(6)
        client.force_login(casemanager())
        linked = client.get(reverse("reports:tabel51"), {"jaar": 2023}).content.decode()
        client.force_login(rapportage())
        plain = client.get(reverse("reports:tabel51"), {"jaar": 2023}).content.decode()
        assert numbers_in(linked, "Centrum") == numbers_in(plain, "Centrum")
        assert numbers_in(linked, "Totaal")[-1] == "3"
        assert "/casussen/?wijk=" in linked
        assert "/casussen/" not in plain

    def test_the_default_is_the_last_complete_year(self, client):
        client.force_login(rapportage())
        response = client.get(reverse("reports:tabel51"))
        year = datetime.date.today().year - 1
        assert f"Tabel 5.1 Woonoverlast aantallen {year}" in response.content.decode()

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"jaar": "1999"}, "Kies een jaar vanaf 2000."),
            ({"jaar": "3000"}, "Het jaar 3000 is nog niet begonnen."),
            ({"jaar": "twee"}, "Voer een geheel getal in."),
            ({"jaar": "2023", "peildatum": "2022-12-31"}, "niet voor 1 januari 2023"),
            ({"jaar": "2023", "peildatum": "31-13-2023"}, "Voer een geldige datum in."),
        ],
    )
    def test_a_bad_period_is_explained_in_dutch_next_to_the_field(self, client, params, message):
        client.force_login(rapportage())
        response = client.get(reverse("reports:tabel51"), params)
        html = response.content.decode()
        assert response.status_code == 200
        assert message in html and "field__errors" in html
        assert "<caption>" not in html  # no table
        assert f'value="{params["jaar"]}"' in html  # the input is kept

    def test_a_typed_peildatum_is_kept_when_the_year_is_refused(self, client):
        client.force_login(rapportage())
        html = client.get(
            reverse("reports:tabel51"), {"jaar": "1999", "peildatum": "30-06-1999"}
        ).content.decode()
        assert "Kies een jaar vanaf 2000." in html
        assert 'value="1999-06-30"' in html  # the date picker shows what was typed

    def test_a_peildatum_typed_as_dd_mm_jjjj(self, client):
        CaseFactory(registered_on=D(2023, 2, 1), closed_on=D(2023, 7, 1))
        client.force_login(casemanager())
        html = client.get(
            reverse("reports:tabel51"), {"jaar": 2023, "peildatum": "30-06-2023"}
        ).content.decode()
        assert "peildatum 30-06-2023" in html
        assert numbers_in(html, "Centrum")[:2] == ["1", "0"]

    def test_year_over_year_and_carried_over(self, client):
        CaseFactory(registered_on=D(2022, 5, 1))
        CaseFactory(registered_on=D(2023, 5, 1))
        CaseFactory(registered_on=D(2023, 6, 1))
        client.force_login(teamleider())
        html = client.get(
            reverse("reports:tabel51"), {"jaar": 2023, "doorlopend": "on"}
        ).content.decode()
        assert "Vergelijking met 2022" in html
        assert re.search(r"Geregistreerd</th>\s*<td[^>]*>.*?>1</a></td>\s*<td[^>]*>.*?>2</a>", html)
        assert "+100%" in html
        assert "Doorlopende casussen 2023" in html
        assert "vaststellen" in html  # a team leader may freeze

    @pytest.mark.parametrize("n", [1, 30])
    def test_a_fixed_number_of_queries(self, n, client, django_assert_num_queries):
        make_cases(n)
        client.force_login(casemanager())
        # Counted (cold): session, user, roles, unread berichten, open binnengekomen meldingen
        # (the menu), wijken, the figures' version, table, previous year, carried over,
        # frozen?, the version again before storing the three tables (reports/stored.py).
        with django_assert_num_queries(12):
            response = client.get(reverse("reports:tabel51"), {"jaar": 2023, "doorlopend": "on"})
        assert response.status_code == 200
        # Stored (warm): the same without the three counts and the second version.
        with django_assert_num_queries(8):
            warm = client.get(reverse("reports:tabel51"), {"jaar": 2023, "doorlopend": "on"})
        for name in ("Centrum", "Totaal"):
            assert numbers_in(warm.content.decode(), name) == numbers_in(
                response.content.decode(), name
            )


class TestDownloads:
    def test_csv(self, client):
        CaseFactory(registered_on=D(2023, 5, 1), district=district("Meerzicht"))
        client.force_login(rapportage())
        response = client.get(reverse("reports:tabel51_csv"), {"jaar": 2023})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="tabel-5.1-2023.csv"'
        lines = response.content.decode().splitlines()
        assert lines[2] == "Meerzicht,1,0,0,0,0,0,1"
        assert lines[-1] == "Totaal,1,0,0,0,0,0,1"

    def test_csv_for_dutch_excel_is_semicolon_separated(self, client):
        """Issue 27, item 19: Dutch Excel opens a comma-separated file as one column."""
        CaseFactory(registered_on=D(2023, 5, 1), district=district("Meerzicht"))
        client.force_login(rapportage())
        page = client.get(reverse("reports:tabel51"), {"jaar": 2023}).content.decode()
        assert "formaat=excel" in page and "CSV (Excel)" in page
        response = client.get(reverse("reports:tabel51_csv"), {"jaar": 2023, "formaat": "excel"})
        assert 'filename="tabel-5.1-2023-excel.csv"' in response["Content-Disposition"]
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeffwijk;koop_lopend;")
        lines = text.split("\r\n")
        assert lines[2] == "Meerzicht;1;0;0;0;0;0;1"
        assert lines[-2] == "Totaal;1;0;0;0;0;0;1"

    def test_csv_of_the_carried_over_cases(self, client):
        CaseFactory(registered_on=D(2022, 5, 1))
        client.force_login(rapportage())
        response = client.get(reverse("reports:tabel51_csv"), {"jaar": 2023, "tabel": "doorlopend"})
        assert "tabel-5.1-2023-doorlopend.csv" in response["Content-Disposition"]
        assert response.content.decode().splitlines()[-1] == "Totaal,1,0,0,0,0,0,1"

    def test_xlsx_with_the_carried_over_sheet(self, client):
        CaseFactory(registered_on=D(2023, 5, 1))
        client.force_login(rapportage())
        response = client.get(reverse("reports:tabel51_xlsx"), {"jaar": 2023, "doorlopend": "1"})
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["Tabel 5.1 2023", "Doorlopend 2023"]
        assert book["Tabel 5.1 2023"]["H6"].value == 1

    def test_a_bad_period_is_a_dutch_400(self, client):
        client.force_login(rapportage())
        response = client.get(reverse("reports:tabel51_csv"), {"jaar": "1999"})
        assert response.status_code == 400
        assert "Kies een jaar vanaf 2000." in response.content.decode()


class TestOverview:
    def test_the_blocks_with_links_for_case_workers(self, client):
        today = datetime.date.today()
        worker = casemanager(first_name="Sanne", last_name="de Vries")
        old = CaseFactory(registered_on=today - datetime.timedelta(days=400), casemanager=worker)
        new = CaseFactory(
            registered_on=today - datetime.timedelta(days=10),
            district=district("Meerzicht"),
            housing_type=HousingType.CORPORATIE,
        )
        CaseFactory(registered_on=today - datetime.timedelta(days=50), closed_on=today)
        action(
            new, action_type=ActionType.HOME_VISIT, performed_on=today, present="x", findings="y"
        )
        action(old, performed_on=today - datetime.timedelta(days=40))
        client.force_login(teamleider())
        html = client.get(reverse("reports:overview")).content.decode()
        assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
        svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
        assert not re.search(r'="[\d.]*,\d', svg)  # coordinates without a decimal comma
        assert re.search(r'<text x="[\d.]+" y="\d+\.\d"', svg)
        assert numbers_in(html, "Centrum") == ["1", "0", "0", "1"]
        assert numbers_in(html, "Meerzicht") == ["0", "1", "0", "1"]
        assert "Sanne de Vries" in html and "Niet toegewezen" in html
        assert "casemanager=geen" in html
        # The stalled definition: activity on the day 30 days ago or earlier is stalled, so
        # the list asks for no activity on or after the day after it.
        since = (today - datetime.timedelta(days=29)).isoformat()
        assert f"geen_actie_sinds={since}" in html
        assert "actie_soort=huisbezoek" in html

    def test_rapportage_sees_the_numbers_without_links_or_personal_data(self, client):
        cases = make_cases(3)
        client.force_login(rapportage())
        html = client.get(reverse("reports:overview")).content.decode()
        assert "/casussen/" not in html
        for case in cases:
            assert case.reference not in html and case.street not in html
        assert "Melder Jansen" not in html

    def test_rapportage_sees_the_teams_workload_without_casemanagers_names(self, client):
        """Issue 27, item 18: a colleague's workload is personal data of staff; rapportage
        needs figures, not names (docs/privacy.md)."""
        worker = casemanager(first_name="Sanne", last_name="de Vries")
        CaseFactory(registered_on=D(2024, 1, 1), casemanager=worker)
        CaseFactory(registered_on=D(2024, 1, 1), casemanager=None)
        client.force_login(rapportage())
        html = client.get(reverse("reports:overview")).content.decode()
        assert "Sanne" not in html and "de Vries" not in html
        assert "Niet toegewezen" not in html
        section = html[html.index('id="per-casemanager"') :]
        assert numbers_in(section, "Totaal")[-2] == "2"  # Totaal open

    @pytest.mark.parametrize("n", [1, 30])
    def test_one_query_per_block(self, n, client, django_assert_num_queries):
        make_cases(n)
        CaseFactory(registered_on=D(2024, 1, 1), casemanager=casemanager())
        client.force_login(teamleider())
        # session, user, roles, unread berichten, open binnengekomen meldingen (the menu),
        # wijken, termijnbewaking's settings (the stalled definition), the open cases counted
        # once for four blocks (open, age, stale, casemanager) and their casemanagers, the
        # actions (their kept counts); the doorlooptijd is a page of its own
        with django_assert_num_queries(10):
            assert client.get(reverse("reports:overview")).status_code == 200


def test_the_landing_page_lists_the_reports_and_frozen_tables(client):
    client.force_login(rapportage())
    html = client.get(reverse("reports:index")).content.decode()
    for name in ("reports:tabel51", "reports:overview", "reports:exports"):
        assert reverse(name) in html
    assert "Er is nog geen tabel vastgesteld." in html


def test_the_navigation_shows_the_reports(client):
    client.force_login(rapportage())
    html = client.get(reverse("reports:index")).content.decode()
    assert f'href="{reverse("reports:tabel51")}"' in html
    assert f'href="{reverse("reports:overview")}"' in html


class TestStoredQueries:
    """The downloads and the API read a stored Tabel 5.1 without counting (reports/stored.py):
    the pins state the count before the table is stored (cold) and after (warm)."""

    @pytest.mark.parametrize(
        ("name", "cold", "warm"),
        [
            # session, user, roles, the figures' version, the table, the wijken, the version
            # again; stored: without the table and the second version
            ("reports:tabel51_csv", 7, 5),
            ("reports:tabel51_xlsx", 7, 5),
        ],
    )
    def test_downloads(self, name, cold, warm, client, django_assert_num_queries):
        make_cases(3)
        client.force_login(rapportage())
        with django_assert_num_queries(cold):
            first = client.get(reverse(name), {"jaar": 2023})
        with django_assert_num_queries(warm):
            again = client.get(reverse(name), {"jaar": 2023})
        assert first.status_code == again.status_code == 200
        if name.endswith("csv"):  # (an XLSX carries the time it was made)
            assert first.content == again.content
