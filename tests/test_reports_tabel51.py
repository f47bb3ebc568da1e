"""The rule of Tabel 5.1, its boundaries, and the number of queries it takes."""

import datetime

import pytest

from reports import tabel51
from reports.tabel51 import COLUMNS
from tests.factories import CaseFactory, district
from woonoverlast.cases import services
from woonoverlast.cases.choices import HousingType, Status
from woonoverlast.cases.models import District

pytestmark = pytest.mark.django_db


D = datetime.date
KOOP, CORPORATIE, PARTICULIER = HousingType.KOOP, HousingType.CORPORATIE, HousingType.PARTICULIER
OPEN, CLOSED = Status.OPEN, Status.CLOSED
ACTIVE = [
    "Centrum",
    "Meerzicht",
    "Buytenwegh",
    "De Leyens",
    "Seghwaert",
    "Noordhove",
    "Rokkeveen",
    "Oosterheem",
]


def cell(table, name, housing_type, status) -> int:
    row = next(row for row in table.rows if row.name == name)
    return row.cell(housing_type, status)


def counted(table) -> int:
    return table.total.total


class TestRegistrationWindow:
    def test_counts_the_first_and_the_last_day_of_the_year_only(self):
        CaseFactory(registered_on=D(2022, 12, 31))
        CaseFactory(registered_on=D(2023, 1, 1))
        CaseFactory(registered_on=D(2023, 12, 31))
        CaseFactory(registered_on=D(2024, 1, 1))
        table = tabel51.compute(2023)
        assert counted(table) == 2
        assert cell(table, "Centrum", KOOP, OPEN) == 2

    def test_a_peildatum_in_the_year_counts_registrations_up_to_it(self):
        CaseFactory(registered_on=D(2023, 6, 30))
        CaseFactory(registered_on=D(2023, 7, 1))
        table = tabel51.compute(2023, D(2023, 6, 30))
        assert (table.registered_from, table.registered_to) == (D(2023, 1, 1), D(2023, 6, 30))
        assert counted(table) == 1

    def test_a_peildatum_after_the_year_keeps_the_year_but_takes_the_later_status(self):
        CaseFactory(registered_on=D(2023, 11, 1), closed_on=D(2024, 2, 1))
        CaseFactory(registered_on=D(2024, 1, 15))
        table = tabel51.compute(2023, D(2024, 3, 1))
        assert table.registered_to == D(2023, 12, 31)
        assert counted(table) == 1
        assert cell(table, "Centrum", KOOP, CLOSED) == 1


class TestStatusOnThePeildatum:
    def test_closed_on_the_peildatum_is_afgerond_and_a_day_later_lopend(self):
        CaseFactory(registered_on=D(2023, 3, 1), closed_on=D(2023, 12, 31))
        CaseFactory(registered_on=D(2023, 3, 1), closed_on=D(2024, 1, 1))
        CaseFactory(registered_on=D(2023, 3, 1), closed_on=D(2024, 1, 2))
        table = tabel51.compute(2023)
        assert cell(table, "Centrum", KOOP, CLOSED) == 1
        assert cell(table, "Centrum", KOOP, OPEN) == 2

    def test_closed_then_reopened_after_the_peildatum_stays_afgerond(self):
        CaseFactory(
            registered_on=D(2023, 3, 1), closed_on=D(2023, 11, 20), reopened_on=D(2024, 2, 1)
        )
        assert cell(tabel51.compute(2023), "Centrum", KOOP, CLOSED) == 1
        # ... also when the table is made again with a later status history on top
        case = CaseFactory(
            registered_on=D(2023, 4, 1), closed_on=D(2023, 5, 1), reopened_on=D(2023, 6, 1)
        )
        services.case_close(case, on=D(2025, 1, 10), reason="opgelost", by=None)
        table = tabel51.compute(2023)
        assert cell(table, "Centrum", KOOP, CLOSED) == 1
        assert cell(table, "Centrum", KOOP, OPEN) == 1

    def test_reopened_on_the_peildatum_is_lopend(self):
        CaseFactory(
            registered_on=D(2023, 3, 1), closed_on=D(2023, 6, 1), reopened_on=D(2023, 12, 31)
        )
        assert cell(tabel51.compute(2023), "Centrum", KOOP, OPEN) == 1

    def test_a_peildatum_in_the_year_reads_the_status_then(self):
        CaseFactory(registered_on=D(2023, 2, 1), closed_on=D(2023, 6, 30))
        CaseFactory(registered_on=D(2023, 2, 1), closed_on=D(2023, 7, 1))
        table = tabel51.compute(2023, D(2023, 6, 30))
        assert cell(table, "Centrum", KOOP, CLOSED) == 1
        assert cell(table, "Centrum", KOOP, OPEN) == 1


class TestRows:
    def test_every_active_wijk_in_display_order_also_without_cases_then_totaal(self):
        CaseFactory(district=district("Rokkeveen"), housing_type=PARTICULIER)
        table = tabel51.compute(2023)
        assert [row.name for row in table.rows] == ACTIVE
        assert table.total.name == "Totaal" and table.all_rows[-1] is table.total
        assert cell(table, "Rokkeveen", PARTICULIER, OPEN) == 1
        assert table.row_for(district("Centrum").pk).cells == (0,) * 6

    def test_a_year_without_cases_gives_zeros(self):
        table = tabel51.compute(2015)
        assert [row.name for row in table.rows] == ACTIVE
        assert table.total.cells == (0,) * 6 and table.total.total == 0

    def test_a_deactivated_wijk_only_when_it_has_cases_in_the_table(self):
        CaseFactory(district=district("Noordhove"), registered_on=D(2022, 5, 1))
        CaseFactory(district=district("Noordhove"), registered_on=D(2023, 5, 1))
        District.objects.filter(name="Noordhove").update(is_active=False)
        with_case = tabel51.compute(2023)
        without = tabel51.compute(2021)
        noordhove = next(row for row in with_case.rows if row.name == "Noordhove")
        assert not noordhove.is_active and noordhove.total == 1
        assert [row.name for row in with_case.rows] == ACTIVE  # in its place in the order
        assert "Noordhove" not in [row.name for row in without.rows]
        assert with_case.total.total == 1  # the totals add up

    def test_a_new_wijk_comes_in_its_display_order(self):
        District.objects.create(name="Bleizo", display_order=75)
        names = [row.name for row in tabel51.compute(2023).rows]
        assert names.index("Bleizo") == names.index("Rokkeveen") + 1

    def test_totals_add_up_by_row_and_column(self):
        for i, (housing_type, status) in enumerate(COLUMNS * 2):
            name = ACTIVE[i % len(ACTIVE)]
            CaseFactory(
                district=district(name),
                housing_type=housing_type,
                registered_on=D(2023, 1 + i % 12, 1),
                closed_on=D(2023, 12, 1) if status == CLOSED else None,
            )
        table = tabel51.compute(2023)
        assert table.total.total == 12
        for i in range(len(COLUMNS)):
            assert table.total.cells[i] == sum(row.cells[i] for row in table.rows)
        assert table.open_total + table.closed_total == 12
        assert table.open_total == 6


class TestCarriedOver:
    def test_cases_from_before_the_year_still_open_on_new_years_eve(self):
        eve = D(2022, 12, 31)
        CaseFactory(registered_on=D(2022, 3, 1))  # open throughout: lopend
        CaseFactory(registered_on=eve)  # registered on the eve: lopend
        CaseFactory(registered_on=D(2022, 3, 1), closed_on=D(2023, 1, 1))  # open at the end
        CaseFactory(registered_on=D(2022, 3, 1), closed_on=eve)  # closed on the eve: not
        CaseFactory(registered_on=D(2021, 3, 1), closed_on=D(2021, 5, 1))  # long closed: not
        CaseFactory(  # closed in 2022 and reopened in 2023: not open on the eve
            registered_on=D(2022, 3, 1), closed_on=D(2022, 6, 1), reopened_on=D(2023, 2, 1)
        )
        CaseFactory(registered_on=D(2023, 1, 1))  # registered in the year itself: not
        table = tabel51.carried_over(2023)
        assert table.kind == tabel51.CARRIED_OVER
        assert table.registered_to == eve
        assert cell(table, "Centrum", KOOP, OPEN) == 2
        assert cell(table, "Centrum", KOOP, CLOSED) == 1
        assert table.total.total == 3

    def test_their_status_is_read_on_the_peildatum(self):
        CaseFactory(registered_on=D(2022, 3, 1), closed_on=D(2023, 7, 1))
        assert cell(tabel51.carried_over(2023, D(2023, 6, 30)), "Centrum", KOOP, OPEN) == 1
        assert cell(tabel51.carried_over(2023, D(2023, 7, 1)), "Centrum", KOOP, CLOSED) == 1


class TestQueries:
    def make_cases(self, n):
        for i in range(n):
            CaseFactory(
                district=district(ACTIVE[i % len(ACTIVE)]),
                housing_type=(KOOP, CORPORATIE, PARTICULIER)[i % 3],
                registered_on=D(2023 - i % 2, 1 + i % 12, 1 + i % 28),
                closed_on=D(2023, 12, 31) if i % 2 else None,
            )

    @pytest.mark.parametrize("n", [1, 60])
    def test_the_table_is_one_aggregate_query_plus_the_wijken(self, n, django_assert_num_queries):
        self.make_cases(n)
        with django_assert_num_queries(2):
            table = tabel51.compute(2023)
        districts = tabel51.districts_in_order()
        with django_assert_num_queries(1) as captured:
            tabel51.compute(2023, districts=districts)
        sql = captured.captured_queries[0]["sql"].upper()
        assert "GROUP BY" in sql and sql.count("SELECT") == 1
        assert table.total.total == (n + 1) // 2

    @pytest.mark.parametrize("n", [1, 60])
    def test_the_carried_over_table_too(self, n, django_assert_num_queries):
        self.make_cases(n)
        districts = tabel51.districts_in_order()
        with django_assert_num_queries(1):
            table = tabel51.carried_over(2023, districts=districts)
        assert table.total.total == n // 2


def test_the_peildatum_a_year_earlier():
    assert tabel51.same_day_a_year_earlier(D(2024, 2, 29)) == D(2023, 2, 28)
    assert tabel51.same_day_a_year_earlier(D(2023, 12, 31)) == D(2022, 12, 31)
