"""Tabel 5.1 read from Django's cache when the data it counts has not changed since it was
counted (the performance of the report pages: docs/performance.md, *Reports*).

A table's counts are stored under its kind, year and peildatum and the version of the case
figures (woonoverlast.cases.services.figures): the token that every write of a registration
date, wijk, housing type or status history replaces in its own transaction. So a stored
table is always the table the live data gives now; the reports still regenerate Tabel 5.1
from the live data, they only skip counting the same data twice.

Only the grouped counts are stored; the rows are laid out from the wijken of the request, so
a renamed, reordered or deactivated wijk shows at once. The counts do not depend on who asks
(Tabel 5.1 counts every case; the links to the case list are made per user afterwards).

A count is stored only when the version read after counting (`save`) is the one read before:
if a write committed in between (the count may or may not include it), the count is used for
this request and not stored. Without a version row (a database flushed by a test) nothing is
stored.
"""

import datetime
from functools import cached_property

from django.core.cache import cache

from woonoverlast.cases.models import District
from woonoverlast.cases.services.figures import case_figures_version

from . import tabel51

# A stored table lives at most this long (a bound on the cache's memory, not on correctness:
# a changed version makes a table unreachable at once).
TIMEOUT_SECONDS = 24 * 60 * 60
KEY_PREFIX = "tabel51"


def _key(kind: str, year: int, as_of: datetime.date, version: str) -> str:
    return f"{KEY_PREFIX}:{version}:{kind}:{year}:{as_of.isoformat()}"


class StoredTables:
    """The tables of one request: `compute` and `carried_over` as in reports.tabel51, read
    from the cache when stored under the current version (one query for the version). The
    tables it had to count are stored by `save` (one query more: the version again)."""

    def __init__(self, districts: list[District] | None = None):
        if districts is not None:
            self.districts = districts
        self._counted: dict[str, list] = {}

    @cached_property
    def districts(self) -> list[District]:
        return tabel51.districts_in_order()

    @cached_property
    def version(self) -> str:
        return case_figures_version()

    def compute(self, year: int, as_of: datetime.date | None = None) -> tabel51.Table:
        as_of = as_of or tabel51.default_as_of(year)
        first, last = tabel51.registration_window(year, as_of)
        counts = self._counts(
            tabel51.YEAR, year, as_of, lambda: tabel51.counts_registered(first, last, as_of)
        )
        return tabel51.layout(
            counts,
            self.districts,
            kind=tabel51.YEAR,
            year=year,
            as_of=as_of,
            registered_from=first,
            registered_to=last,
        )

    def carried_over(self, year: int, as_of: datetime.date | None = None) -> tabel51.Table:
        as_of = as_of or tabel51.default_as_of(year)
        eve = tabel51.year_start(year) - datetime.timedelta(days=1)
        counts = self._counts(
            tabel51.CARRIED_OVER, year, as_of, lambda: tabel51.counts_carried_over(eve, as_of)
        )
        return tabel51.layout(
            counts,
            self.districts,
            kind=tabel51.CARRIED_OVER,
            year=year,
            as_of=as_of,
            registered_from=None,
            registered_to=eve,
        )

    def save(self) -> None:
        """Store the tables counted by this request, if no write changed the figures while
        they were counted (one query, none when nothing was counted)."""
        if self._counted and case_figures_version() == self.version:
            cache.set_many(self._counted, TIMEOUT_SECONDS)
        self._counted = {}

    def _counts(self, kind, year, as_of, count) -> dict[tuple[int, str, str], int]:
        if not self.version:
            return count()
        key = _key(kind, year, as_of, self.version)
        stored = self._counted[key] if key in self._counted else cache.get(key)
        if stored is not None:
            return {(district_id, h, s): n for district_id, h, s, n in stored}
        counts = count()
        self._counted[key] = [(*cell, n) for cell, n in counts.items()]
        return counts
