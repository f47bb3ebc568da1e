"""Tabel 5.1 of the jaarverslag: cases per wijk x housing type x lopend/afgerond.

The rule, for year Y and reference date P (peildatum, default 31 December Y):

- the table counts the cases registered from 1 January Y up to and including
  min(31 December Y, P);
- a case is afgerond when its status on P (the status row in effect on P) is closed, otherwise
  lopend;
- rows: every active wijk in display order, a deactivated wijk only when it has cases in the
  table, then Totaal.

The counting is one aggregate query grouped by wijk and housing type; the rows are laid out in
Python from those few grouped rows and the list of wijken, so the number of queries does not
depend on the number of cases. The result is a plain data structure the page, the exports, the
command and the frozen tables all read.

`carried_over` gives the second table: the cases registered before Y that were still open at
the end of 31 December Y-1 (doorlopende casussen), split by their status on P.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Q

from woonoverlast.cases.choices import HousingType, Status
from woonoverlast.cases.models import Case, District

# The six counting columns in the published order.
COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (housing_type, status)
    for housing_type in (HousingType.KOOP, HousingType.CORPORATIE, HousingType.PARTICULIER)
    for status in (Status.OPEN, Status.CLOSED)
)
HOUSING_TYPES = (HousingType.KOOP, HousingType.CORPORATIE, HousingType.PARTICULIER)
COLUMN_NAMES = {Status.OPEN: "lopend", Status.CLOSED: "afgerond"}
TOTAL_NAME = "Totaal"

YEAR = "jaar"
CARRIED_OVER = "doorlopend"

# (district id, housing type, status on P) -> number of cases
Counts = Mapping[tuple[int, str, str], int]


@dataclass(frozen=True)
class Row:
    """One row: a wijk (or Totaal, with district_id None) and its six cells."""

    district_id: int | None
    name: str
    cells: tuple[int, ...]
    is_active: bool = True

    @property
    def total(self) -> int:
        return sum(self.cells)

    def cell(self, housing_type: str, status: str) -> int:
        return self.cells[COLUMNS.index((housing_type, status))]

    def by_status(self, status: str) -> int:
        return sum(n for (_, s), n in zip(COLUMNS, self.cells, strict=True) if s == status)

    def by_housing_type(self, housing_type: str) -> int:
        return sum(n for (h, _), n in zip(COLUMNS, self.cells, strict=True) if h == housing_type)


@dataclass(frozen=True)
class Table:
    """Tabel 5.1 for one year and peildatum (or its doorlopende casussen)."""

    kind: str  # YEAR or CARRIED_OVER
    year: int
    as_of: datetime.date
    # The registration window the table counts (first is None for the doorlopende casussen).
    registered_from: datetime.date | None
    registered_to: datetime.date
    rows: tuple[Row, ...]
    total: Row

    @property
    def all_rows(self) -> tuple[Row, ...]:
        return (*self.rows, self.total)

    @property
    def open_total(self) -> int:
        return self.total.by_status(Status.OPEN)

    @property
    def closed_total(self) -> int:
        return self.total.by_status(Status.CLOSED)

    def open_by_housing_type(self, housing_type: str) -> int:
        return self.total.cell(housing_type, Status.OPEN)

    def row_for(self, district_id: int) -> Row | None:
        return next((row for row in self.rows if row.district_id == district_id), None)

    @property
    def is_default_as_of(self) -> bool:
        return self.as_of == year_end(self.year)


def year_start(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def default_as_of(year: int) -> datetime.date:
    return year_end(year)


def registration_window(year: int, as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The registration dates the table of `year` counts on peildatum `as_of`."""
    return year_start(year), min(year_end(year), as_of)


def layout(counts: Counts, districts: Iterable[District], **table) -> Table:
    """Lay out the grouped counts as rows: active wijken in display order (also when empty),
    a deactivated wijk only when it has cases, then Totaal."""
    districts = list(districts)
    known = {district.pk for district in districts}
    missing = {district_id for district_id, _, _ in counts if district_id not in known}
    if missing:  # a wijk added since the caller listed them: the totals must still add up
        districts.extend(District.objects.filter(pk__in=missing))
        districts.sort(key=lambda district: (district.display_order, district.name, district.pk))
    rows = []
    for district in districts:
        cells = tuple(
            counts.get((district.pk, housing_type, status), 0) for housing_type, status in COLUMNS
        )
        if district.is_active or any(cells):
            rows.append(Row(district.pk, district.name, cells, district.is_active))
    total = Row(
        None,
        TOTAL_NAME,
        tuple(sum(row.cells[i] for row in rows) for i in range(len(COLUMNS))),
    )
    return Table(rows=tuple(rows), total=total, **table)


def grouped_query(queryset):
    """One aggregate query over cases annotated with `status_on`: per wijk and housing type,
    the cases lopend and afgerond on P."""
    return (
        queryset.order_by()
        .values("district_id", "housing_type")
        .annotate(
            lopend=Count("pk", filter=Q(status_on=Status.OPEN)),
            afgerond=Count("pk", filter=Q(status_on=Status.CLOSED)),
        )
    )


def _grouped(queryset) -> dict[tuple[int, str, str], int]:
    counts: dict[tuple[int, str, str], int] = {}
    for group in grouped_query(queryset):
        key = group["district_id"], group["housing_type"]
        counts[(*key, Status.OPEN)] = group["lopend"]
        counts[(*key, Status.CLOSED)] = group["afgerond"]
    return counts


def counts_registered(first: datetime.date, last: datetime.date, as_of: datetime.date) -> Counts:
    """The cases registered from `first` to `last`, by wijk, housing type and status on
    `as_of` (one query)."""
    return _grouped(Case.objects.registered_between(first, last).with_status_on(as_of))


def counts_carried_over(eve: datetime.date, as_of: datetime.date) -> Counts:
    """The cases registered up to `eve` and open at its end, by wijk, housing type and
    status on `as_of` (one query)."""
    return _grouped(Case.objects.filter(registered_on__lte=eve).open_on(eve).with_status_on(as_of))


def districts_in_order() -> list[District]:
    """Every wijk, active or not, in display order (one query; callers may share it)."""
    return list(District.objects.order_by("display_order", "name", "pk"))


def compute(
    year: int,
    as_of: datetime.date | None = None,
    *,
    districts: list[District] | None = None,
) -> Table:
    """Tabel 5.1 of `year` on peildatum `as_of` (default 31 December of the year)."""
    as_of = as_of or default_as_of(year)
    first, last = registration_window(year, as_of)
    return layout(
        counts_registered(first, last, as_of),
        districts if districts is not None else districts_in_order(),
        kind=YEAR,
        year=year,
        as_of=as_of,
        registered_from=first,
        registered_to=last,
    )


def carried_over(
    year: int,
    as_of: datetime.date | None = None,
    *,
    districts: list[District] | None = None,
) -> Table:
    """The doorlopende casussen of `year`: registered before 1 January, still open at the end
    of 31 December of the year before, counted by their status on `as_of`."""
    as_of = as_of or default_as_of(year)
    eve = year_start(year) - datetime.timedelta(days=1)
    return layout(
        counts_carried_over(eve, as_of),
        districts if districts is not None else districts_in_order(),
        kind=CARRIED_OVER,
        year=year,
        as_of=as_of,
        registered_from=None,
        registered_to=eve,
    )


def same_day_a_year_earlier(day: datetime.date) -> datetime.date:
    """The peildatum of the previous year's table (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
