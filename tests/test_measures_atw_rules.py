"""The Algemene termijnenwet's calendar as measures/deadlines.py states it: the days of art. 3
by name, Easter and the feestdagen that hang on it checked against an independent computation
for every year of the Gregorian calendar (1583-4099, the range of the reference), and the terms
the Atw does not touch.

The app computes Easter with the anonymous Gregorian algorithm (measures/deadlines.py); the
reference here is python-dateutil's `easter` (EASTER_WESTERN: the method after Oudin, 1940), a
different algorithm. A one-day error in a single year would move Goede Vrijdag, tweede
Paasdag, Hemelvaartsdag and tweede Pinksterdag, and with them every Atw-extended term ending
near them, while Easter stays a Sunday in range.
"""

import datetime

import pytest
from dateutil.easter import EASTER_WESTERN, easter

from woonoverlast.common.calendar import AtwCalendar, atw_holidays, easter_sunday
from woonoverlast.measures.deadlines import (
    begunstigingstermijn_end,
    looptijd_end,
    zienswijze_term_end,
)

D = datetime.date
# dateutil's EASTER_WESTERN is valid from 1583 (the first full Gregorian year) to 4099.
YEARS = range(1583, 4100)
DAY = datetime.timedelta(days=1)


def test_easter_is_the_gregorian_easter_every_year():
    wrong = {
        year: (easter_sunday(year), easter(year, EASTER_WESTERN))
        for year in YEARS
        if easter_sunday(year) != easter(year, EASTER_WESTERN)
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("name", "days_after_easter"),
    [
        ("Goede Vrijdag", -2),
        ("Tweede Paasdag", 1),
        ("Hemelvaartsdag", 39),
        ("Tweede Pinksterdag", 50),
    ],
)
def test_the_feestdagen_that_hang_on_easter_every_year(name, days_after_easter):
    wrong = {}
    for year in YEARS:
        expected = easter(year, EASTER_WESTERN) + days_after_easter * DAY
        found = [day for day, label in atw_holidays(year).items() if label == name]
        if found != [expected]:
            wrong[year] = (found, expected)
    assert wrong == {}


def test_the_days_of_art_3_atw_by_name():
    """Art. 3 lid 1: Nieuwjaarsdag, tweede Paas- en Pinksterdag, beide Kerstdagen,
    Hemelvaartsdag, the day the King's birthday is celebrated and 5 mei; lid 2: Goede Vrijdag."""
    assert atw_holidays(2026) == {
        D(2026, 1, 1): "Nieuwjaarsdag",
        D(2026, 4, 3): "Goede Vrijdag",
        D(2026, 4, 6): "Tweede Paasdag",
        D(2026, 4, 27): "Koningsdag",
        D(2026, 5, 5): "Bevrijdingsdag (5 mei)",
        D(2026, 5, 14): "Hemelvaartsdag",
        D(2026, 5, 25): "Tweede Pinksterdag",
        D(2026, 12, 25): "Eerste Kerstdag",
        D(2026, 12, 26): "Tweede Kerstdag",
    }


# Terms set by the burgemeester (art. 4:8, 5:24 lid 2, 5:32a lid 2 Awb) are no terms "in een
# wet gesteld" (art. 1 lid 1 Atw): the Atw does not apply, so they are never moved and the
# case file shows no "zou eindigen op" beside them.
TERMS_SET_IN_THE_BESLUIT = {
    "zienswijzetermijn": lambda: zienswijze_term_end(D(2026, 3, 20), 14),  # Goede Vrijdag
    "begunstigingstermijn": lambda: begunstigingstermijn_end(D(2026, 3, 21), 14),  # Saturday
    "looptijd": lambda: looptijd_end(D(2026, 2, 5), 3),  # 5 May 2026
}


@pytest.mark.parametrize("term", TERMS_SET_IN_THE_BESLUIT.values(), ids=TERMS_SET_IN_THE_BESLUIT)
def test_the_atw_does_not_apply_to_a_term_set_in_the_besluit(term):
    term = term()
    assert AtwCalendar().is_closed(term.ends_on)  # would be moved if the Atw applied
    assert term.plain_on == term.ends_on
    assert not term.moved and not term.atw_applies
