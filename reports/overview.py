"""The live overview for team leaders: a few aggregate queries, laid out in Python.

Blocks: open cases now per wijk x housing type; how long the open cases have been open (since
registration); open cases without any action since a date; cases per casemanager; actions per
month and type. No personal data of residents: only counts (and staff names per casemanager).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from woonoverlast.cases.choices import ActionType, Complexity, HousingType
from woonoverlast.cases.filters import UNASSIGNED
from woonoverlast.cases.models import ActionMonth, Case, District
from woonoverlast.cases.querysets import stalled, stalled_before
from woonoverlast.common.calendar import add_months
from woonoverlast.followups.models import FollowUpSettings

from .tabel51 import HOUSING_TYPES, TOTAL_NAME

MONTHS_OF_ACTIONS = 12


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # The case-list parameters of this column (merged with the row's).
    params: dict


@dataclass(frozen=True)
class GridRow:
    key: int | None  # district id, casemanager id, ...; None for Totaal
    name: str
    cells: tuple[int, ...]
    params: dict  # the case-list parameters of this row
    is_total: bool = False

    @property
    def total(self) -> int:
        return sum(self.cells)


@dataclass(frozen=True)
class Grid:
    columns: tuple[Column, ...]
    rows: tuple[GridRow, ...]
    total: GridRow

    @property
    def all_rows(self) -> tuple[GridRow, ...]:
        return (*self.rows, self.total)


def _district_grid(
    counts: dict[tuple[int, str], int],
    columns: Sequence[Column],
    districts: Iterable[District],
    base: dict,
) -> Grid:
    """Active wijken in display order, a deactivated wijk only when it has a count."""
    rows = []
    for district in districts:
        cells = tuple(counts.get((district.pk, column.key), 0) for column in columns)
        if district.is_active or any(cells):
            rows.append(GridRow(district.pk, district.name, cells, {**base, "wijk": district.pk}))
    total = GridRow(
        None,
        TOTAL_NAME,
        tuple(sum(row.cells[i] for row in rows) for i in range(len(columns))),
        dict(base),
        is_total=True,
    )
    return Grid(tuple(columns), tuple(rows), total)


@dataclass(frozen=True)
class OpenCaseCounts:
    """The open cases counted once, grouped by wijk, housing type, casemanager and
    complexity, with their age buckets and the stalled ones: what four blocks of the overview
    show, in one pass over the open cases instead of four (docs/performance.md). `groups`:
    dicts of the group's keys and counts."""

    today: datetime.date
    stale_days: int
    stale_since: datetime.date
    buckets: tuple  # age_buckets(today)
    groups: tuple[dict, ...]
    casemanagers: dict  # id -> User, of the casemanagers in `groups`

    def count(self, key, value: str = "n") -> dict:
        """{the group key(s) `key` (a field name or a tuple of them): the sum of `value`}."""
        counts: dict = {}
        for group in self.groups:
            at = tuple(group[k] for k in key) if isinstance(key, tuple) else group[key]
            counts[at] = counts.get(at, 0) + group[value]
        return counts


def count_open_cases(today: datetime.date, days: int | None = None) -> OpenCaseCounts:
    """The open cases now, grouped and counted (one query); `days` without activity makes a
    case stalled (default: termijnbewaking's setting)."""
    days = stale_days() if days is None else days
    since = stale_since(today, days)
    buckets = age_buckets(today)
    groups = (
        Case.objects.open()
        .order_by()
        # The order of case_open_counts_idx: PostgreSQL groups while it reads the index.
        .values("district_id", "housing_type", "complexity", "casemanager_id")
        .annotate(
            n=Count("pk"),
            stale=Count("pk", filter=stalled(since - datetime.timedelta(days=1))),
            **{key: Count("pk", filter=_in_bucket(first, last)) for key, _, first, last in buckets},
        )
    )
    groups = tuple(groups)
    # The casemanagers' names in a query of their own: grouping by them too made the
    # database join and sort all open cases instead of reading the index.
    managers = get_user_model().objects.in_bulk(
        {group["casemanager_id"] for group in groups} - {None}
    )
    return OpenCaseCounts(today, days, since, tuple(buckets), groups, managers)


def open_by_district(districts: list[District], counted: OpenCaseCounts) -> Grid:
    """Open cases now per wijk x housing type."""
    counts = counted.count(("district_id", "housing_type"))
    columns = [Column(h, HousingType(h).label, {"woningtype": h.value}) for h in HOUSING_TYPES]
    return _district_grid(counts, columns, districts, {"status": "open"})


Bucket = tuple[str, str, datetime.date | None, datetime.date | None]


def age_buckets(today: datetime.date) -> list[Bucket]:
    """(key, label, registered from, registered up to and including) per age bucket."""
    three, six, twelve = (add_months(today, -n) for n in (3, 6, 12))
    one_day = datetime.timedelta(days=1)
    return [
        ("lt3", "Korter dan 3 maanden", three + one_day, None),
        ("3to6", "3 tot 6 maanden", six + one_day, three),
        ("6to12", "6 tot 12 maanden", twelve + one_day, six),
        ("gt12", "12 maanden of langer", None, twelve),
    ]


def _in_bucket(first: datetime.date | None, last: datetime.date | None) -> Q:
    condition = Q()
    if first:
        condition &= Q(registered_on__gte=first)
    if last:
        condition &= Q(registered_on__lte=last)
    return condition


def open_by_age(districts: list[District], counted: OpenCaseCounts) -> Grid:
    """How long the open cases have been open since registration, per wijk."""
    counts = {}
    for key, *_ in counted.buckets:
        for district_id, n in counted.count("district_id", key).items():
            counts[(district_id, key)] = n
    columns = [
        Column(key, label, {"geregistreerd_van": first, "geregistreerd_tot": last})
        for key, label, first, last in counted.buckets
    ]
    return _district_grid(counts, columns, districts, {"status": "open"})


def stale_days() -> int:
    """After how many days without activity an open case counts: termijnbewaking's setting,
    so the overview counts exactly the cases termijnbewaking calls stalled."""
    return FollowUpSettings.load().stalled_after_days


def stale_since(today: datetime.date, days: int | None = None) -> datetime.date:
    """Open cases with no activity (registration, reopening, action) on or after this date
    are stalled (querysets.stalled): the first day that would still count as activity."""
    days = stale_days() if days is None else days
    return stalled_before(today, days) + datetime.timedelta(days=1)


def stale_by_district(districts: list[District], counted: OpenCaseCounts) -> Grid:
    """Open cases without any activity since `counted.stale_since`, per wijk."""
    counts = {
        (district_id, "stale"): n
        for district_id, n in counted.count("district_id", "stale").items()
    }
    columns = [Column("stale", "Zonder actie", {"geen_actie_sinds": counted.stale_since})]
    return _district_grid(counts, columns, districts, {"status": "open"})


@dataclass(frozen=True)
class CasemanagerGrid(Grid):
    stale: dict  # casemanager id (None: unassigned) -> open cases without recent action
    stale_since: datetime.date

    def stale_of(self, row: GridRow) -> int:
        if row.is_total:
            return sum(self.stale.values())
        return self.stale.get(row.key, 0)


def by_casemanager(counted: OpenCaseCounts) -> CasemanagerGrid:
    """Open cases per casemanager: simple, complex, and without recent activity."""
    names = {}
    for group in counted.groups:
        pk = group["casemanager_id"]
        if pk is None:
            names[pk] = "Niet toegewezen"
        else:
            user = counted.casemanagers[pk]
            names[pk] = f"{user.first_name} {user.last_name}".strip() or user.username
    per_kind = counted.count(("casemanager_id", "complexity"))
    all_cases = counted.count("casemanager_id")
    stale = counted.count("casemanager_id", "stale")
    columns = (
        Column("simple", "Enkelvoudig", {"complexiteit": Complexity.SIMPLE.value}),
        Column("complex", "Complex", {"complexiteit": Complexity.COMPLEX.value}),
    )
    rows = []
    for pk, name in names.items():
        complex_count = per_kind.get((pk, Complexity.COMPLEX), 0)
        rows.append(
            GridRow(
                pk,
                name,
                (all_cases[pk] - complex_count, complex_count),
                {"status": "open", "casemanager": UNASSIGNED if pk is None else pk},
            )
        )
    # Unassigned last, the rest by name.
    rows.sort(key=lambda row: (row.key is None, row.name.lower()))
    total = GridRow(
        None,
        TOTAL_NAME,
        tuple(sum(row.cells[i] for row in rows) for i in range(len(columns))),
        {"status": "open"},
        is_total=True,
    )
    return CasemanagerGrid(columns, tuple(rows), total, stale, counted.stale_since)


def month_starts(today: datetime.date, months: int = MONTHS_OF_ACTIONS) -> list[datetime.date]:
    first = today.replace(day=1)
    return [add_months(first, -n) for n in range(months - 1, -1, -1)]


def month_end(first: datetime.date) -> datetime.date:
    return add_months(first, 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class ActionMonths:
    months: tuple[datetime.date, ...]
    # action type -> counts per month (same order as months)
    rows: tuple[tuple[ActionType, tuple[int, ...]], ...]
    totals: tuple[int, ...]


def actions_per_month(today: datetime.date) -> ActionMonths:
    """Actions per month and type over the last 12 months, huisbezoeken first (one query, on
    the counts the action services keep: cases.models.ActionMonth)."""
    months = month_starts(today)
    counts = {
        (row.month, row.action_type): row.count
        for row in ActionMonth.objects.filter(month__gte=months[0], month__lte=months[-1])
    }
    types = [ActionType.HOME_VISIT] + [t for t in ActionType if t != ActionType.HOME_VISIT]
    rows = tuple((t, tuple(counts.get((m, t.value), 0) for m in months)) for t in types)
    totals = tuple(sum(row[1][i] for row in rows) for i in range(len(months)))
    return ActionMonths(tuple(months), rows, totals)
