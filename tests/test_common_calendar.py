"""The one calendar (woonoverlast.common.calendar): the werkdagen the intake counts are the days
the Algemene termijnenwet does not close, and the one "add months"."""

import datetime

import pytest

from woonoverlast.common import calendar as calendar_module
from woonoverlast.common.calendar import (
    AtwCalendar,
    add_months,
    add_workdays,
    add_years,
    is_workday,
    workdays_between,
)
from woonoverlast.measures.models import EquatedDay

D = datetime.date
NONE_EQUATED = AtwCalendar()


class TestWerkdagen:
    def test_goede_vrijdag_is_no_werkdag(self):
        """Art. 3 lid 2 Atw equates Goede Vrijdag (3 April 2026) with a feestdag."""
        assert not is_workday(D(2026, 4, 3), NONE_EQUATED)
        assert is_workday(D(2026, 4, 2), NONE_EQUATED)  # the Thursday before
        # Thursday + 1: Friday (Goede Vrijdag), the weekend and Tweede Paasdag are skipped.
        assert add_workdays(D(2026, 4, 2), 1, NONE_EQUATED) == D(2026, 4, 7)
        assert add_workdays(D(2026, 4, 1), 1, NONE_EQUATED) == D(2026, 4, 2)
        assert workdays_between(D(2026, 4, 1), D(2026, 4, 7), NONE_EQUATED) == 2

    def test_an_equated_day_is_no_werkdag(self):
        """Art. 3 lid 3 Atw: the Friday after Hemelvaart (15 May 2026) when a decree equates it."""
        equated = AtwCalendar.of([D(2026, 5, 15)])
        assert is_workday(D(2026, 5, 15), NONE_EQUATED)
        assert not is_workday(D(2026, 5, 15), equated)
        assert add_workdays(D(2026, 5, 13), 1, NONE_EQUATED) == D(2026, 5, 15)
        assert add_workdays(D(2026, 5, 13), 1, equated) == D(2026, 5, 18)
        assert workdays_between(D(2026, 5, 13), D(2026, 5, 18), equated) == 1

    def test_five_werkdagen_after_a_friday_or_a_saturday_is_the_next_friday(self):
        """The intake's count (add_workdays' own example): a melding of Friday 6 March 2026
        or of Saturday 7 March with 5 werkdagen: Friday 13 March; of Friday 24 April: Monday
        4 May, Koningsdag (27 April) skipped."""
        assert add_workdays(D(2026, 3, 6), 5, NONE_EQUATED) == D(2026, 3, 13)
        assert add_workdays(D(2026, 3, 7), 5, NONE_EQUATED) == D(2026, 3, 13)
        assert add_workdays(D(2026, 4, 24), 5, NONE_EQUATED) == D(2026, 5, 4)
        assert add_workdays(D(2026, 4, 24), 0, NONE_EQUATED) == D(2026, 4, 24)

    def test_the_registered_source_is_where_load_reads_the_equated_days(self, monkeypatch):
        """register_equated_days names the one source of the gelijkgestelde dagen (the
        measures app registers its table at start-up); load() reads whatever was registered
        last."""
        monkeypatch.setattr(
            calendar_module, "_equated_days_source", calendar_module._equated_days_source
        )
        calendar_module.register_equated_days(lambda: [D(2031, 5, 23)])
        assert AtwCalendar.load().equated == frozenset({D(2031, 5, 23)})
        assert add_workdays(D(2031, 5, 22), 1, AtwCalendar.load()) == D(2031, 5, 26)

    @pytest.mark.django_db
    def test_without_a_calendar_the_equated_days_of_the_table_count(
        self, django_assert_num_queries
    ):
        """The table (filled by a data migration up to 2028) is the one source: a day a team
        leader adds, the Friday after Hemelvaart 2031, is no werkdag from then on."""
        friday = D(2031, 5, 23)
        assert is_workday(friday)
        assert add_workdays(D(2031, 5, 21), 1) == friday
        EquatedDay.objects.create(day=friday, name="Vrijdag na Hemelvaartsdag")
        with django_assert_num_queries(1):
            calendar = AtwCalendar.load()
        assert friday in calendar.equated
        assert D(2026, 5, 15) in calendar.equated  # from the migration
        assert not is_workday(friday)
        assert add_workdays(D(2031, 5, 21), 1) == D(2031, 5, 26)


class TestAddMonths:
    @pytest.mark.parametrize(
        ("day", "months", "expected"),
        [
            (D(2024, 6, 15), -3, D(2024, 3, 15)),
            (D(2024, 3, 31), -1, D(2024, 2, 29)),  # leap year: the last day of February
            (D(2023, 3, 31), -1, D(2023, 2, 28)),
            (D(2024, 1, 31), -2, D(2023, 11, 30)),  # across the year, into a shorter month
            (D(2024, 6, 1), 1, D(2024, 7, 1)),
            (D(2024, 8, 31), 1, D(2024, 9, 30)),
            (D(2024, 12, 31), 1, D(2025, 1, 31)),
            (D(2024, 1, 30), 1, D(2024, 2, 29)),
            (D(2024, 5, 5), 0, D(2024, 5, 5)),
            (D(2024, 5, 5), -24, D(2022, 5, 5)),
        ],
    )
    def test_the_same_day_or_the_months_last(self, day, months, expected):
        assert add_months(day, months) == expected

    def test_years(self):
        assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
        assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
        assert add_years(D(2024, 2, 28), 1) == D(2025, 2, 28)
        assert add_years(D(2026, 12, 31), -1) == D(2025, 12, 31)
