"""Human case references: WO-<year>-<sequence>, numbered per registration year."""

import re

from ..models import ReferenceCounter

REFERENCE_PATTERN = re.compile(r"^WO-(?P<year>\d{4})-(?P<number>\d{4,})$")
# The highest sequence number an imported reference in our own format may carry. A claim moves
# the year's counter up to it; without a bound one reference (WO-2026-2147483647) would push
# the counter to the column's maximum and make every later registration of that year fail.
# A million a year is far beyond any team's registrations (and the benchmark's 100,000).
REFERENCE_NUMBER_MAX = 999_999


def format_reference(year: int, number: int) -> str:
    return f"WO-{year}-{number:04d}"


def _own_format(reference: str) -> tuple[int, int] | None:
    """(year, number) of a reference in our own format; None for any other reference."""
    match = REFERENCE_PATTERN.match(reference)
    return (int(match["year"]), int(match["number"])) if match else None


def reference_out_of_range(reference: str) -> bool:
    """A reference in our own format whose sequence number is beyond REFERENCE_NUMBER_MAX."""
    own = _own_format(reference)
    return own is not None and own[1] > REFERENCE_NUMBER_MAX


def reference_next(year: int) -> str:
    """The next reference of `year`. Callers hold a transaction."""
    block = ReferenceBlock([year])
    reference = block.next(year)
    block.save()
    return reference


def reference_claim(reference: str) -> None:
    """Record an imported reference in our own format so generated ones never collide."""
    year = ReferenceBlock.claimed_year(reference)
    if year is None:
        return
    block = ReferenceBlock([year])
    block.claim(reference)
    block.save()


def locked_counters(model, years) -> dict:
    """The counter rows (`model`: a year primary key and `last_number`) of `years`, created
    when missing without racing a concurrent creator, then locked (in year order) so that two
    transactions never hand out the same number. Callers hold a transaction."""
    years = sorted(set(years))
    model.objects.bulk_create([model(year=year) for year in years], ignore_conflicts=True)
    return {
        counter.year: counter
        for counter in model.objects.select_for_update().filter(year__in=years).order_by("year")
    }


class ReferenceBlock:
    """The reference counters of some years, locked: for one registration or a bulk import.

    Locks the counters of all the given years at once (in year order, so two imports never
    wait on each other crosswise), then hands out numbers and takes claims in memory; save()
    writes each changed counter once. Callers hold a transaction.
    """

    def __init__(self, years):
        self._counters = locked_counters(ReferenceCounter, years)
        self._changed: set[int] = set()

    @staticmethod
    def claimed_year(reference: str) -> int | None:
        """The year whose counter a claim of this reference needs, if any."""
        own = _own_format(reference)
        return own[0] if own else None

    def next(self, year: int) -> str:
        counter = self._counters[year]
        counter.last_number += 1
        self._changed.add(year)
        return format_reference(year, counter.last_number)

    def claim(self, reference: str) -> None:
        own = _own_format(reference)
        if not own:
            return
        year, number = own
        counter = self._counters[year]
        if number > counter.last_number:
            counter.last_number = number
            self._changed.add(year)

    def save(self) -> None:
        for year in sorted(self._changed):
            self._counters[year].save(update_fields=["last_number"])
        self._changed.clear()
