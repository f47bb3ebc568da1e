"""The open cases counted per wijk and housing type and per casemanager (the team leader's
start page), read from Django's cache while the open cases' assignment has not changed since
they were counted (docs/performance.md, *The daily pages*).

As Tabel 5.1's tables (reports.stored): the counts are stored under their kind and the
version of the open cases (services.open_cases), a token that every write of which cases are
open, or of an open case's wijk, housing type or casemanager, replaces in its own
transaction. So stored counts are always the counts of the data in the database now.

Only ids and counts are stored: the page reads the wijken and the casemanagers' names per
request, so a renamed or deactivated wijk and a renamed user show at once, and the links are
made per request. The counts do not depend on who asks.

Counts are stored only when the version read after counting is the one read before (a write
that committed in between may or may not be in them: used for this request, not stored), and
the version is read on the same database as the counts. Without a version row (a database
flushed by a test) nothing is stored.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import router

from .models import Case
from .services.open_cases import open_cases_version

# A stored count lives at most this long (a bound on the cache's memory, not on correctness:
# a changed version makes it unreachable at once).
TIMEOUT_SECONDS = 24 * 60 * 60
KEY_PREFIX = "opencases"
BY_DISTRICT_AND_HOUSING_TYPE = "district_housing_type"
BY_CASEMANAGER = "casemanager"


@dataclass(frozen=True)
class TeamCounts:
    # (district id, housing type) -> open cases; only the pairs that have any
    by_district_and_housing_type: dict[tuple[int, str], int]
    # casemanager id (None: unassigned) -> open cases, in the order of the ids
    by_casemanager: dict[int | None, int]


def _key(kind: str, version: str) -> str:
    return f"{KEY_PREFIX}:{version}:{kind}"


def _count(kind: str, using: str) -> list[tuple]:
    """The counts of `kind` as rows of (group keys..., count): what is stored."""
    open_cases = Case.objects.using(using).open()
    if kind == BY_DISTRICT_AND_HOUSING_TYPE:
        return [
            (row["district"], row["housing_type"], row["count"])
            for row in open_cases.count_by_district_and_housing_type()
        ]
    return [(row["casemanager"], row["count"]) for row in open_cases.count_by_casemanager()]


def team_counts() -> TeamCounts:
    """Both counts: from the cache when stored under the current version (one query, the
    version), else counted (two queries) and stored (one more: the version again)."""
    using = router.db_for_read(Case)
    version = open_cases_version(using=using)
    keys = {kind: _key(kind, version) for kind in (BY_DISTRICT_AND_HOUSING_TYPE, BY_CASEMANAGER)}
    stored = cache.get_many(list(keys.values())) if version else {}
    rows, counted = {}, {}
    for kind, key in keys.items():
        if key in stored:
            rows[kind] = stored[key]
        else:
            rows[kind] = counted[key] = _count(kind, using)
    if version and counted and open_cases_version(using=using) == version:
        cache.set_many(counted, TIMEOUT_SECONDS)
    return TeamCounts(
        by_district_and_housing_type={
            (district, housing_type): n
            for district, housing_type, n in rows[BY_DISTRICT_AND_HOUSING_TYPE]
        },
        by_casemanager=dict(rows[BY_CASEMANAGER]),
    )
