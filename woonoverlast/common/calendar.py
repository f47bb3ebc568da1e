"""The one calendar: the days of the Algemene termijnenwet (Atw), the werkdagen counted from
them, and adding months or years to a date.

Art. 3 Atw: the algemeen erkende feestdagen are Nieuwjaarsdag, Tweede Paasdag, Koningsdag,
5 mei, Hemelvaartsdag, Tweede Pinksterdag and both Kerstdagen (lid 1; the first Easter and Whit
days and Christmas on a Sunday fall on a Sunday anyway); Goede Vrijdag is equated with them
(lid 2); and a decree may equate other days (lid 3: the gelijkgestelde dagen, kept by team
leaders in the admin). The days are computed here (Easter by the Gregorian computus), not taken
from a holiday library: the `holidays` package's Dutch calendar is not the Atw's (5 May every
year, Goede Vrijdag).

A werkdag is a day the Atw does not close: not a Saturday or Sunday, not a day of art. 3 lid 1
or 2, not an equated day. The intake counts its handling term in these werkdagen; the legal
terms of a maatregel (measures.deadlines) are moved by the same calendar (art. 1 Atw).

The equated days live in a table of the measures app. This module imports no app: that app
registers where they come from (`register_equated_days`), and `AtwCalendar.load()` reads them.
"""

import calendar as _calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

DAY = datetime.timedelta(days=1)


def easter_sunday(year: int) -> datetime.date:
    """Easter Sunday (Gregorian calendar; the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def kings_day(year: int) -> datetime.date:
    """Koningsdag: 27 April, or 26 April when 27 April is a Sunday."""
    day = datetime.date(year, 4, 27)
    return day - DAY if day.weekday() == 6 else day


def atw_holidays(year: int) -> dict[datetime.date, str]:
    """The algemeen erkende feestdagen of art. 3 lid 1 Atw and Goede Vrijdag (lid 2). The first
    Easter and Whit days are Sundays and not listed by the Atw."""
    easter = easter_sunday(year)
    return {
        datetime.date(year, 1, 1): "Nieuwjaarsdag",
        easter - 2 * DAY: "Goede Vrijdag",
        easter + DAY: "Tweede Paasdag",
        kings_day(year): "Koningsdag",
        datetime.date(year, 5, 5): "Bevrijdingsdag (5 mei)",
        easter + 39 * DAY: "Hemelvaartsdag",
        easter + 50 * DAY: "Tweede Pinksterdag",
        datetime.date(year, 12, 25): "Eerste Kerstdag",
        datetime.date(year, 12, 26): "Tweede Kerstdag",
    }


_equated_days_source: Callable[[], Iterable[datetime.date]] | None = None


def register_equated_days(source: Callable[[], Iterable[datetime.date]]) -> None:
    """Name the function that reads the gelijkgestelde dagen (art. 3 lid 3 Atw); the app that
    keeps them calls this when it is ready."""
    global _equated_days_source
    _equated_days_source = source


@dataclass(frozen=True)
class AtwCalendar:
    """The Atw's calendar: weekends, the days of art. 3 and the equated days of the table."""

    equated: frozenset[datetime.date] = frozenset()

    @classmethod
    def load(cls) -> "AtwCalendar":
        """With the equated days from the database: one query."""
        source = _equated_days_source
        return cls(equated=frozenset(source() if source else ()))

    @classmethod
    def of(cls, days: Iterable[datetime.date]) -> "AtwCalendar":
        return cls(equated=frozenset(days))

    def is_holiday(self, day: datetime.date) -> bool:
        return day in self.equated or day in atw_holidays(day.year)

    def is_closed(self, day: datetime.date) -> bool:
        """Saturday, Sunday, algemeen erkende feestdag or equated day."""
        return day.weekday() >= 5 or self.is_holiday(day)

    def extend(self, day: datetime.date) -> datetime.date:
        """Art. 1 lid 1 Atw: a term ending on a closed day ends on the next open day."""
        while self.is_closed(day):
            day += DAY
        return day


def is_workday(day: datetime.date, calendar: AtwCalendar | None = None) -> bool:
    """A werkdag: a day the Atw does not close. Without `calendar`, the equated days are read
    (one query): pass a loaded calendar when asking for many days."""
    return not (calendar or AtwCalendar.load()).is_closed(day)


def add_workdays(
    start: datetime.date, days: int, calendar: AtwCalendar | None = None
) -> datetime.date:
    """The `days`-th werkdag after `start` (a melding of Friday with 5 werkdagen: the next
    Friday; one of Saturday: the Friday after)."""
    calendar = calendar or AtwCalendar.load()
    day = start
    remaining = days
    while remaining > 0:
        day += DAY
        if not calendar.is_closed(day):
            remaining -= 1
    return day


def workdays_between(
    first: datetime.date, last: datetime.date, calendar: AtwCalendar | None = None
) -> int:
    """Werkdagen after `first` up to and including `last` (0 when last <= first)."""
    calendar = calendar or AtwCalendar.load()
    count = 0
    day = first
    while day < last:
        day += DAY
        if not calendar.is_closed(day):
            count += 1
    return count


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (earlier when negative), or that month's last day
    (31 August + 1 = 30 September; 31 March - 1 = 28 or 29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (29 February: 28 February in a year without it)."""
    return add_months(day, 12 * years)
