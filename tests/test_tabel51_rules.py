"""Tabel 5.1 cell by cell (reports/tabel51.py), on data where no two cells are alike, so that
a count in the wrong column, row or total cannot pass unnoticed; and the rule that a wijk the
caller did not list still gets its row and its share of Totaal."""

import datetime

import pytest

from reports import tabel51
from tests.factories import CaseFactory, district
from woonoverlast.cases.choices import HousingType, Status
from woonoverlast.cases.models import District

pytestmark = pytest.mark.django_db

D = datetime.date
KOOP, CORPORATIE, PARTICULIER = HousingType.KOOP, HousingType.CORPORATIE, HousingType.PARTICULIER
OPEN, CLOSED = Status.OPEN, Status.CLOSED

# Cases registered in 2023 per wijk and column, lopend and afgerond on 31 December 2023, in
# the published column order (koop, corporatie, particulier; lopend before afgerond).
CENTRUM = (5, 2, 4, 1, 3, 6)
MEERZICHT = (1, 0, 0, 3, 2, 0)
IN_2023 = D(2023, 3, 1)


def make(name: str, cells: tuple[int, ...], *, registered_on=IN_2023):
    for (housing_type, status), n in zip(tabel51.COLUMNS, cells, strict=True):
        for _ in range(n):
            CaseFactory(
                district=district(name),
                housing_type=housing_type,
                registered_on=registered_on,
                closed_on=D(2023, 11, 1) if status == CLOSED else None,
            )


@pytest.fixture
def table():
    make("Centrum", CENTRUM)
    make("Meerzicht", MEERZICHT)
    return tabel51.compute(2023)


def row(table, name):
    return next(row for row in table.rows if row.name == name)


def test_each_case_is_counted_in_its_own_wijk_housing_type_and_status(table):
    assert row(table, "Centrum").cells == CENTRUM
    assert row(table, "Meerzicht").cells == MEERZICHT
    assert row(table, "Centrum").cell(CORPORATIE, OPEN) == 4
    assert row(table, "Centrum").cell(PARTICULIER, CLOSED) == 6
    assert row(table, "Meerzicht").cell(CORPORATIE, CLOSED) == 3


def test_totaal_is_the_sum_of_the_wijken_per_column(table):
    assert table.total.cells == (6, 2, 4, 4, 5, 6)
    assert table.total.total == 27
    assert row(table, "Centrum").total == 21


def test_lopend_and_afgerond_are_never_swapped(table):
    centrum = row(table, "Centrum")
    assert (centrum.by_status(OPEN), centrum.by_status(CLOSED)) == (12, 9)
    assert (table.open_total, table.closed_total) == (15, 12)


def test_by_housing_type_counts_that_housing_type_only(table):
    centrum = row(table, "Centrum")
    assert [centrum.by_housing_type(h) for h in (KOOP, CORPORATIE, PARTICULIER)] == [7, 5, 9]
    assert [table.total.by_housing_type(h) for h in (KOOP, CORPORATIE, PARTICULIER)] == [8, 8, 11]


def test_the_lopende_cases_per_housing_type(table):
    assert [table.open_by_housing_type(h) for h in (KOOP, CORPORATIE, PARTICULIER)] == [6, 4, 5]


def test_row_for_finds_the_row_of_a_wijk(table):
    found = table.row_for(district("Meerzicht").pk)
    assert (found.name, found.cells) == ("Meerzicht", MEERZICHT)
    assert table.row_for(-1) is None


@pytest.mark.parametrize("make_table", [tabel51.compute, tabel51.carried_over])
def test_a_wijk_the_caller_did_not_list_still_has_its_row_and_counts_in_totaal(make_table):
    listed = tabel51.districts_in_order()  # listed before the new wijk existed
    bleizo = District.objects.create(name="Bleizo", display_order=75)
    registered_on = D(2022, 5, 1) if make_table is tabel51.carried_over else IN_2023
    make("Bleizo", (2, 0, 0, 0, 1, 0), registered_on=registered_on)
    make("Centrum", (1, 0, 0, 0, 0, 0), registered_on=registered_on)
    table = make_table(2023, districts=listed)
    names = [row.name for row in table.rows]
    assert names.index("Bleizo") == names.index("Rokkeveen") + 1  # in its display order
    assert table.row_for(bleizo.pk).cells == (2, 0, 0, 0, 1, 0)
    assert table.total.total == 4
    assert table.total.cells == (3, 0, 0, 0, 1, 0)


def test_a_wijk_left_out_by_the_caller_is_added_back_too():
    centrum = district("Centrum")
    make("Centrum", (1, 0, 0, 0, 0, 0))
    listed = [d for d in tabel51.districts_in_order() if d.pk != centrum.pk]
    table = tabel51.compute(2023, districts=listed)
    assert table.rows[0].name == "Centrum"
    assert table.total.total == 1


def test_the_default_peildatum_is_the_last_day_of_the_year():
    assert tabel51.compute(2023).is_default_as_of
    assert tabel51.compute(2023).as_of == D(2023, 12, 31)
    assert not tabel51.compute(2023, D(2023, 12, 30)).is_default_as_of
    assert not tabel51.compute(2023, D(2024, 1, 1)).is_default_as_of


def test_a_row_says_whether_its_wijk_is_still_active(table):
    """The page marks a deactivated wijk "(niet meer actief)", and only that one."""
    make("Noordhove", (1, 0, 0, 0, 0, 0))
    District.objects.filter(name="Noordhove").update(is_active=False)
    rows = {row.name: row.is_active for row in tabel51.compute(2023).rows}
    assert rows["Noordhove"] is False
    assert rows["Centrum"] is True and rows["Meerzicht"] is True


def test_wijken_with_the_same_display_order_come_by_name():
    District.objects.create(name="Zuidpolder", display_order=75)
    District.objects.create(name="Bleizo", display_order=75)
    names = [district.name for district in tabel51.districts_in_order()]
    assert names.index("Bleizo") + 1 == names.index("Zuidpolder")
    assert [row.name for row in tabel51.compute(2023).rows] == [
        name for name in names if District.objects.get(name=name).is_active
    ]


def test_each_table_says_what_it_is_its_year_and_its_peildatum():
    """The page, the command and the frozen tables tell the year table from the doorlopende
    casussen by its kind, and print its year and peildatum."""
    year = tabel51.compute(2023, D(2024, 3, 1))
    carried = tabel51.carried_over(2023, D(2024, 3, 1))
    assert (year.kind, year.year, year.as_of) == (tabel51.YEAR, 2023, D(2024, 3, 1))
    assert (carried.kind, carried.year, carried.as_of) == (
        tabel51.CARRIED_OVER,
        2023,
        D(2024, 3, 1),
    )
    assert (carried.registered_from, carried.registered_to) == (None, D(2022, 12, 31))
