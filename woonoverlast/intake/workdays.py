"""Werkdagen: Monday to Friday, without the Dutch national feestdagen.

The algemeen erkende feestdagen of the Algemene termijnenwet (art. 3): Nieuwjaarsdag,
Tweede Paasdag, Koningsdag (27 April, 26 April when the 27th is a Sunday), Bevrijdingsdag
(5 May), Hemelvaartsdag, Tweede Pinksterdag, Eerste en Tweede Kerstdag (Easter Sunday and
Whit Sunday fall on a Sunday anyway; Goede Vrijdag is not one). Days a decree treats as a
feestdag (gelijkgestelde dagen) are not known here.
"""

import datetime
from functools import cache

from dateutil.easter import easter


@cache
def feestdagen(year: int) -> frozenset[datetime.date]:
    easter_sunday = easter(year)
    kingsday = datetime.date(year, 4, 27)
    if kingsday.weekday() == 6:
        kingsday = datetime.date(year, 4, 26)
    return frozenset(
        {
            datetime.date(year, 1, 1),
            easter_sunday + datetime.timedelta(days=1),
            kingsday,
            datetime.date(year, 5, 5),
            easter_sunday + datetime.timedelta(days=39),
            easter_sunday + datetime.timedelta(days=50),
            datetime.date(year, 12, 25),
            datetime.date(year, 12, 26),
        }
    )


def is_workday(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in feestdagen(day.year)


def add_workdays(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th werkdag after `start` (a melding of Friday with 5 werkdagen: the next
    Friday; one of Saturday: the Friday after)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(first: datetime.date, last: datetime.date) -> int:
    """Werkdagen after `first` up to and including `last` (0 when last <= first)."""
    count = 0
    day = first
    while day < last:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
