"""Easter and the feestdagen that hang on it (art. 3 lid 1 and 2 Atw), checked against an
independent computation for every year 1900-2200.

The app computes Easter with the anonymous Gregorian algorithm (measures/deadlines.py); the
reference here is python-dateutil's `easter` (EASTER_WESTERN: the method after Oudin, 1940), a
different algorithm. A one-day error in a single year would move Goede Vrijdag, tweede
Paasdag, Hemelvaartsdag and tweede Pinksterdag, and with them every Atw-extended term ending
near them, while Easter stays a Sunday in range.
"""

import datetime

import pytest
from dateutil.easter import EASTER_WESTERN, easter

from woonoverlast.measures.deadlines import atw_holidays, easter_sunday

YEARS = range(1900, 2201)
DAY = datetime.timedelta(days=1)


def test_easter_is_the_gregorian_easter_every_year_1900_2200():
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
def test_the_feestdagen_that_hang_on_easter_every_year_1900_2200(name, days_after_easter):
    wrong = {}
    for year in YEARS:
        expected = easter(year, EASTER_WESTERN) + days_after_easter * DAY
        found = [day for day, label in atw_holidays(year).items() if label == name]
        if found != [expected]:
            wrong[year] = (found, expected)
    assert wrong == {}
