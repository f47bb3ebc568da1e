"""Human case references: WO-<year>-<sequence>, numbered per registration year."""

import re

from ..models import ReferenceCounter

REFERENCE_PATTERN = re.compile(r"^WO-(?P<year>\d{4})-(?P<number>\d{4,})$")


def format_reference(year: int, number: int) -> str:
    return f"WO-{year}-{number:04d}"


def _locked_counter(year: int) -> ReferenceCounter:
    # Create the row if it is missing without racing a concurrent creator, then lock it so
    # that two registrations never get the same number. Callers hold a transaction.
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    return ReferenceCounter.objects.select_for_update().get(year=year)


def reference_next(year: int) -> str:
    counter = _locked_counter(year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return format_reference(year, counter.last_number)


def reference_claim(reference: str) -> None:
    """Record an imported reference in our own format so generated ones never collide."""
    match = REFERENCE_PATTERN.match(reference)
    if not match:
        return
    counter = _locked_counter(int(match["year"]))
    number = int(match["number"])
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])
