"""Vastgestelde tabellen: freezing, and explaining the difference with the live table."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils.html import escape

from reports import frozen, services, tabel51
from reports.models import FrozenCase, FrozenTable
from tests.factories import CaseFactory, casemanager, district, rapportage, teamleider
from woonoverlast.cases import services as case_services
from woonoverlast.cases.choices import ClosingReason, HousingType, Status

pytestmark = pytest.mark.django_db


D = datetime.date
P = D(2023, 12, 31)
KOOP, CORPORATIE = HousingType.KOOP, HousingType.CORPORATIE


@pytest.fixture
def leader():
    return teamleider()


@pytest.fixture
def cases():
    return {
        "open": CaseFactory(registered_on=D(2023, 3, 1)),
        "closed": CaseFactory(registered_on=D(2023, 3, 1), closed_on=D(2023, 6, 1)),
        "corporatie": CaseFactory(
            registered_on=D(2023, 5, 1), housing_type=CORPORATIE, district=district("Meerzicht")
        ),
        "last_year": CaseFactory(registered_on=D(2022, 12, 30)),
    }


def freeze(by, year=2023, as_of=P, **kwargs):
    return services.table_freeze(year=year, as_of=as_of, by=by, **kwargs)


class TestFreeze:
    def test_keeps_the_cells_and_the_cell_of_every_case(self, leader, cases):
        table = freeze(leader, note="Jaarverslag 2023")
        assert (table.year, table.as_of, table.frozen_by, table.note) == (
            2023,
            P,
            leader,
            "Jaarverslag 2023",
        )
        live = tabel51.compute(2023)
        assert frozen.frozen_counts(table) == {row.district_id: row.cells for row in live.rows}
        assert [row["name"] for row in table.rows] == [row.name for row in live.rows]
        entries = {e.case_id: (e.reference, e.housing_type, e.status) for e in table.cases.all()}
        assert entries == {
            cases["open"].pk: (cases["open"].reference, KOOP, Status.OPEN),
            cases["closed"].pk: (cases["closed"].reference, KOOP, Status.CLOSED),
            cases["corporatie"].pk: (cases["corporatie"].reference, CORPORATIE, Status.OPEN),
        }

    def test_only_a_team_leader(self, cases):
        for user in (casemanager(), rapportage()):
            with pytest.raises(ValidationError) as excinfo:
                freeze(user)
            assert "Alleen een teamleider" in excinfo.value.message_dict[NON_FIELD_ERRORS][0]
        assert not FrozenTable.objects.exists()

    def test_once_per_year(self, leader, cases):
        freeze(leader)
        with pytest.raises(ValidationError) as excinfo:
            freeze(teamleider())
        assert "al vastgesteld" in excinfo.value.message_dict["year"][0]
        assert FrozenTable.objects.count() == 1

    def test_not_with_a_peildatum_still_to_come_or_before_the_year(self, leader):
        tomorrow = datetime.date.today() + datetime.timedelta(days=2)
        with pytest.raises(ValidationError) as excinfo:
            freeze(leader, year=tomorrow.year, as_of=tomorrow + datetime.timedelta(days=400))
        assert "toekomst" in excinfo.value.message_dict["as_of"][0]
        with pytest.raises(ValidationError) as excinfo:
            freeze(leader, as_of=D(2022, 12, 31))
        assert "niet voor 1 januari 2023" in excinfo.value.message_dict["as_of"][0]
        assert not FrozenTable.objects.exists()


class TestDifferences:
    def test_none_right_after_freezing(self, leader, cases):
        comparison = frozen.compare(freeze(leader))
        assert not comparison.has_differences
        assert comparison.cases == () and comparison.differing_cells == 0

    def test_every_kind_of_change_explained_case_by_case(self, leader, cases):
        table = freeze(leader)
        centrum, meerzicht = district("Centrum").pk, district("Meerzicht").pk
        # A registration typed in later, dated in the year.
        backfilled = CaseFactory(registered_on=D(2023, 8, 1))
        # Closed later with a date before the peildatum.
        case_services.case_close(
            cases["open"], on=D(2023, 11, 1), reason=ClosingReason.RESOLVED, by=None
        )
        # The wijk was wrong.
        case_services.case_update(cases["corporatie"], district=district("Centrum"), by=None)
        # The registration date was wrong: one case out of the year, one into it.
        case_services.case_update(cases["closed"], registered_on=D(2022, 12, 1), by=None)
        case_services.case_update(cases["last_year"], registered_on=D(2023, 1, 2), by=None)

        comparison = frozen.compare(table)
        found = {case.reference: case for case in comparison.cases}
        assert found[backfilled.reference].reasons == (frozen.BACKFILLED,)
        assert found[backfilled.reference].before is None
        assert found[backfilled.reference].after == (centrum, KOOP, Status.OPEN)
        assert found[cases["open"].reference].reasons == (frozen.STATUS,)
        assert found[cases["open"].reference].before == (centrum, KOOP, Status.OPEN)
        assert found[cases["open"].reference].after == (centrum, KOOP, Status.CLOSED)
        assert found[cases["corporatie"].reference].reasons == (frozen.DISTRICT,)
        assert found[cases["corporatie"].reference].before[0] == meerzicht
        assert found[cases["closed"].reference].reasons == (frozen.REGISTRATION_DATE,)
        assert found[cases["closed"].reference].after is None
        assert found[cases["last_year"].reference].reasons == (frozen.REGISTRATION_DATE,)
        assert found[cases["last_year"].reference].before is None
        assert len(comparison.cases) == 5

        # The frozen numbers stay as they were ...
        table.refresh_from_db()
        assert frozen.frozen_counts(table)[centrum] == (1, 1, 0, 0, 0, 0)
        # ... and each cell's difference is exactly the cases that moved in and out of it.
        for row in comparison.rows:
            for index, (before, now) in enumerate(row.cells):
                key = (row.district_id, *tabel51.COLUMNS[index])
                moved_in = sum(1 for c in comparison.cases if c.after == key)
                moved_out = sum(1 for c in comparison.cases if c.before == key)
                assert now - before == moved_in - moved_out, key
        assert comparison.total.live_total - comparison.total.frozen_total == 1

    def test_a_removed_case_keeps_its_frozen_cell(self, leader, cases):
        table = freeze(leader)
        # As if the case were gone (retention): the entry loses its case, the case the year.
        FrozenCase.objects.filter(case=cases["closed"]).update(case=None)
        case_services.case_update(cases["closed"], registered_on=D(2022, 1, 2), by=None)
        (difference,) = frozen.case_differences(table)
        assert difference.reasons == (frozen.REMOVED,)
        assert difference.reference == cases["closed"].reference

    def test_a_housing_type_correction(self, leader, cases):
        table = freeze(leader)
        case_services.case_update(cases["open"], housing_type=HousingType.PARTICULIER, by=None)
        (difference,) = frozen.case_differences(table)
        assert difference.reasons == (frozen.HOUSING_TYPE,)
        comparison = frozen.compare(table)
        assert comparison.cell_label(difference.after) == "Centrum, particulier, lopend"

    @pytest.mark.parametrize("n", [1, 40])
    def test_a_fixed_number_of_queries(self, n, leader, django_assert_num_queries):
        for i in range(n):
            CaseFactory(registered_on=D(2023, 1 + i % 12, 1))
        table = freeze(leader)
        for case in list(table.cases.select_related("case"))[: n // 2 + 1]:
            case_services.case_close(
                case.case, on=D(2023, 12, 31), reason=ClosingReason.RESOLVED, by=None
            )
        table = FrozenTable.objects.get(pk=table.pk)
        with django_assert_num_queries(4):  # wijken, live table, moved cases, removed cases
            comparison = frozen.compare(table)
        assert len(comparison.cases) == n // 2 + 1


class TestPage:
    def test_case_workers_see_the_cases_with_links(self, client, leader, cases):
        table = freeze(leader)
        backfilled = CaseFactory(registered_on=D(2023, 8, 1))
        client.force_login(casemanager())
        response = client.get(reverse("reports:tabel51_frozen", kwargs={"year": 2023}))
        html = response.content.decode()
        assert response.status_code == 200
        assert reverse("cases:detail", kwargs={"reference": backfilled.reference}) in html
        assert "Later geregistreerd (nagekomen registratie)" in html
        assert "vastgesteld: 1" in html  # Centrum koop lopend: 1 then, 2 now
        # As the page writes it (a generated name may hold an apostrophe: "van 't Erve").
        assert escape(table.frozen_by.get_full_name()) in html

    def test_rapportage_sees_only_counts_and_reasons(self, client, leader, cases):
        freeze(leader)
        backfilled = CaseFactory(registered_on=D(2023, 8, 1))
        client.force_login(rapportage())
        html = client.get(reverse("reports:tabel51_frozen", kwargs={"year": 2023})).content
        html = html.decode()
        assert "Later geregistreerd (nagekomen registratie)" in html
        assert "Centrum, koop, lopend" in html
        assert backfilled.reference not in html and "/casussen/" not in html

    def test_a_year_not_frozen_is_not_found(self, client):
        client.force_login(teamleider())
        assert (
            client.get(reverse("reports:tabel51_frozen", kwargs={"year": 2021})).status_code == 404
        )

    def test_freezing_from_the_page(self, client, leader, cases):
        client.force_login(leader)
        url = reverse("reports:tabel51_freeze")
        page = client.get(url, {"jaar": 2023})
        assert page.status_code == 200 and "Vaststellen" in page.content.decode()
        refused = client.post(url, {"jaar": 2023, "peildatum": "2023-12-31", "toelichting": "x"})
        assert refused.status_code == 200
        assert "Vink aan dat u de tabel wilt vaststellen." in refused.content.decode()
        assert not FrozenTable.objects.exists()
        done = client.post(
            url,
            {
                "jaar": 2023,
                "peildatum": "31-12-2023",
                "toelichting": "Jaarverslag",
                "bevestig": "on",
            },
        )
        assert done.status_code == 302
        table = FrozenTable.objects.get()
        assert done.url == reverse("reports:tabel51_frozen", kwargs={"year": 2023})
        assert (table.as_of, table.note, table.frozen_by) == (P, "Jaarverslag", leader)
        again = client.post(url, {"jaar": 2023, "peildatum": "2023-12-31", "bevestig": "on"})
        assert "al vastgesteld" in again.content.decode()
        assert FrozenTable.objects.count() == 1
