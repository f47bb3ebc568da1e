"""The open cases counted per wijk and housing type and per casemanager (the team leader's
start page), read from Django's cache while what they count has not changed since they were
counted (docs/performance.md, *The daily pages*).

As Tabel 5.1's tables (reports.stored), each count is stored under its kind and a version
that every write of what it counts replaces in its own transaction, so a stored count is
always the count of the data in the database now:

- per wijk and housing type: the version of the case figures (services.figures), renewed by
  every change of a case's status, wijk or housing type (and of a registration date);
- per casemanager: the version of the open cases' casemanagers (services.open_cases),
  renewed by every change of a case's status and by every reassignment.

So the reassignments of the working day leave the count per wijk stored. Only ids and counts
are stored: the page reads the wijken and the casemanagers' names per request, so a renamed
or deactivated wijk and a renamed user show at once, and the links are made per request. The
counts do not depend on who asks.

A count is stored only when its version read after counting is the one read before (a write
that committed in between may or may not be in it: used for this request, not stored). Both
versions are read in one query, on the same database as the counts. Without a version row (a
database flushed by a test) nothing is stored.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import router
from django.db.models import Subquery

from .models import Case, CaseFiguresVersion, OpenCasesVersion
from .services.figures import ROW

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


def _versions(using: str) -> dict[str, str]:
    """{kind: the version its count is stored under} (one query; "" without the row)."""
    row = (
        CaseFiguresVersion.objects.using(using)
        .filter(pk=ROW)
        .values_list(
            "token",
            Subquery(OpenCasesVersion.objects.filter(pk=ROW).values("token")),
        )
        .first()
    ) or ("", "")
    return {BY_DISTRICT_AND_HOUSING_TYPE: row[0] or "", BY_CASEMANAGER: row[1] or ""}


def _count(kind: str, using: str) -> list[tuple]:
    """The count of `kind` as rows of (group keys..., count): what is stored."""
    open_cases = Case.objects.using(using).open()
    if kind == BY_DISTRICT_AND_HOUSING_TYPE:
        return [
            (row["district"], row["housing_type"], row["count"])
            for row in open_cases.count_by_district_and_housing_type()
        ]
    return [(row["casemanager"], row["count"]) for row in open_cases.count_by_casemanager()]


def team_counts() -> TeamCounts:
    """Both counts: from the cache when stored under their current versions (one query, the
    versions), else counted (a query each) and stored (one more: the versions again)."""
    using = router.db_for_read(Case)
    versions = _versions(using)
    keys = {kind: f"{KEY_PREFIX}:{kind}:{version}" for kind, version in versions.items()}
    stored = cache.get_many([keys[kind] for kind, version in versions.items() if version])
    rows, counted = {}, {}
    for kind, key in keys.items():
        if key in stored:
            rows[kind] = stored[key]
        else:
            rows[kind] = counted[kind] = _count(kind, using)
    if any(versions[kind] for kind in counted):
        after = _versions(using)
        cache.set_many(
            {
                keys[kind]: counts
                for kind, counts in counted.items()
                if versions[kind] and after[kind] == versions[kind]
            },
            TIMEOUT_SECONDS,
        )
    return TeamCounts(
        by_district_and_housing_type={
            (district, housing_type): n
            for district, housing_type, n in rows[BY_DISTRICT_AND_HOUSING_TYPE]
        },
        by_casemanager=dict(rows[BY_CASEMANAGER]),
    )
