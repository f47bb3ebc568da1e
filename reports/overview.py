"""The live overview for team leaders: one aggregate query per block, laid out in Python.

Blocks: open cases now per wijk x housing type; how long the open cases have been open (since
registration); open cases without any action since a date; cases per casemanager; actions per
month and type. No personal data of residents: only counts (and staff names per casemanager).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from woonoverlast.cases.choices import ActionType, Complexity, HousingType
from woonoverlast.cases.filters import UNASSIGNED
from woonoverlast.cases.models import ActionMonth, Case, District
from woonoverlast.cases.querysets import stalled, stalled_before
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


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the last day of a shorter month)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


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


def open_by_district(districts: list[District]) -> Grid:
    """Open cases now per wijk x housing type (one query)."""
    grouped = Case.objects.open().count_by_district_and_housing_type()
    counts = {(g["district"], g["housing_type"]): g["count"] for g in grouped}
    columns = [Column(h, HousingType(h).label, {"woningtype": h.value}) for h in HOUSING_TYPES]
    return _district_grid(counts, columns, districts, {"status": "open"})


Bucket = tuple[str, str, datetime.date | None, datetime.date | None]


def age_buckets(today: datetime.date) -> list[Bucket]:
    """(key, label, registered from, registered up to and including) per age bucket."""
    three, six, twelve = (months_before(today, n) for n in (3, 6, 12))
    one_day = datetime.timedelta(days=1)
    return [
        ("lt3", "Korter dan 3 maanden", three + one_day, None),
        ("3to6", "3 tot 6 maanden", six + one_day, three),
        ("6to12", "6 tot 12 maanden", twelve + one_day, six),
        ("gt12", "12 maanden of langer", None, twelve),
    ]


def open_by_age(districts: list[District], today: datetime.date) -> Grid:
    """How long the open cases have been open since registration, per wijk (one query)."""
    buckets = age_buckets(today)

    def in_bucket(first, last) -> Q:
        condition = Q()
        if first:
            condition &= Q(registered_on__gte=first)
        if last:
            condition &= Q(registered_on__lte=last)
        return condition

    grouped = (
        Case.objects.open()
        .order_by()
        .values("district_id")
        .annotate(
            **{key: Count("pk", filter=in_bucket(first, last)) for key, _, first, last in buckets}
        )
    )
    counts = {(g["district_id"], key): g[key] for g in grouped for key, *_ in buckets}
    columns = [
        Column(key, label, {"geregistreerd_van": first, "geregistreerd_tot": last})
        for key, label, first, last in buckets
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


def stale_by_district(
    districts: list[District], today: datetime.date, days: int | None = None
) -> Grid:
    """Open cases without any action in the last 30 days, per wijk (one query)."""
    since = stale_since(today, days)
    grouped = (
        Case.objects.open()
        .order_by()
        .values("district_id")
        .annotate(stale=Count("pk", filter=stalled(since - datetime.timedelta(days=1))))
    )
    counts = {(g["district_id"], "stale"): g["stale"] for g in grouped}
    columns = [Column("stale", "Zonder actie", {"geen_actie_sinds": since})]
    return _district_grid(counts, columns, districts, {"status": "open"})


@dataclass(frozen=True)
class CasemanagerGrid(Grid):
    stale: dict  # casemanager id (None: unassigned) -> open cases without recent action
    stale_since: datetime.date

    def stale_of(self, row: GridRow) -> int:
        if row.is_total:
            return sum(self.stale.values())
        return self.stale.get(row.key, 0)


def by_casemanager(today: datetime.date, days: int | None = None) -> Grid:
    """Open cases per casemanager: all, complex ones, without action in 30 days (one query)."""
    since = stale_since(today, days)
    grouped = (
        Case.objects.open()
        .order_by()
        .values(
            "casemanager_id",
            "casemanager__first_name",
            "casemanager__last_name",
            "casemanager__username",
        )
        .annotate(
            simple=Count("pk", filter=~Q(complexity=Complexity.COMPLEX)),
            complex=Count("pk", filter=Q(complexity=Complexity.COMPLEX)),
            stale=Count("pk", filter=stalled(since - datetime.timedelta(days=1))),
        )
    )
    columns = (
        Column("simple", "Enkelvoudig", {"complexiteit": Complexity.SIMPLE.value}),
        Column("complex", "Complex", {"complexiteit": Complexity.COMPLEX.value}),
    )
    rows = []
    stale = {}
    for group in grouped:
        pk = group["casemanager_id"]
        if pk is None:
            name = "Niet toegewezen"
        else:
            full = f"{group['casemanager__first_name']} {group['casemanager__last_name']}"
            name = full.strip() or group["casemanager__username"]
        stale[pk] = group["stale"]
        rows.append(
            GridRow(
                pk,
                name,
                (group["simple"], group["complex"]),
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
    return CasemanagerGrid(columns, tuple(rows), total, stale, since)


def month_starts(today: datetime.date, months: int = MONTHS_OF_ACTIONS) -> list[datetime.date]:
    first = today.replace(day=1)
    return [months_before(first, n) for n in range(months - 1, -1, -1)]


def month_end(first: datetime.date) -> datetime.date:
    return months_before(first, -1) - datetime.timedelta(days=1)


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
