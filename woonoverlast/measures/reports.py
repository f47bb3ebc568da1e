"""Maatregelen per year, counted from the step dates (as Tabel 5.1 counts from the status
history), so a past year reads the same later.

For year Y and peildatum P (default 31 December Y) a measure counts in a column when the
dated event falls from 1 January Y up to and including min(31 December Y, P):

- gestart: its start date (`started_on`);
- voornemen, besluit, bezwaar, dwangsom verbeurd: a step of that kind (a measure counts once
  per column, however many such steps it had in the year);
- beëindigd: its terminal step (ingetrokken, afgelopen or beëindigd).

One aggregate query, grouped by kind and, on request, by wijk or housing type.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from woonoverlast.cases.choices import HousingType
from woonoverlast.cases.models import District

from .choices import TERMINAL_STEPS, MeasureKind, Step
from .models import Measure, MeasureStep

BY_NONE, BY_DISTRICT, BY_HOUSING_TYPE = "", "wijk", "woningtype"
GROUPINGS = {BY_NONE: "Geen", BY_DISTRICT: "Per wijk", BY_HOUSING_TYPE: "Per woningtype"}

# (key, header, the step values that count; None: the start date)
FIGURES: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    ("gestart", "Gestart", None),
    ("voornemen", "Voornemen verzonden", (Step.INTENTION_SENT,)),
    ("besluit", "Besluit genomen", (Step.DECISION,)),
    ("bezwaar", "Bezwaar ontvangen", (Step.OBJECTION_RECEIVED,)),
    ("dwangsom_verbeurd", "Dwangsom verbeurd", (Step.PENALTY_INCURRED,)),
    ("beeindigd", "Beëindigd", tuple(sorted(TERMINAL_STEPS))),
)
TOTAL = "Totaal"
_RUNNING = "lopend"


@dataclass(frozen=True)
class ReportRow:
    group: str  # wijk or housing type name; "" when not grouped
    kind: str  # MeasureKind label, or Totaal
    counts: tuple[int, ...]
    # Running at the end of the window (started, no terminal step yet): the API's
    # `lopend_op_31_december`, from the same query as the columns.
    running: int = 0
    kind_value: str = ""  # the stored MeasureKind value; "" for the total

    def figure(self, key: str) -> int:
        return self.counts[[name for name, _, _ in FIGURES].index(key)]


@dataclass(frozen=True)
class MeasuresReport:
    year: int
    as_of: datetime.date
    by: str
    rows: list[ReportRow]

    @property
    def header(self) -> list[str]:
        first = {BY_DISTRICT: ["Wijk"], BY_HOUSING_TYPE: ["Woningtype"]}.get(self.by, [])
        return [*first, "Soort maatregel", *(header for _, header, _ in FIGURES)]

    def table(self) -> list[list]:
        grouped = self.by != BY_NONE
        return [[*([row.group] if grouped else []), row.kind, *row.counts] for row in self.rows]

    @property
    def title(self) -> str:
        return f"Maatregelen {self.year}"

    @property
    def subtitle(self) -> str:
        return f"Geteld op stapdatum van 01-01-{self.year} tot en met {self.as_of:%d-%m-%Y}"


def default_as_of(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def latest_year_with_measures(until: datetime.date) -> int | None:
    """The last year up to `until` in which a measure started or took a step (the page opens
    on it: the current year when it has any, rather than a year of zeros); None without any.
    Two index-backed MAX queries."""
    dates = [
        Measure.objects.filter(started_on__lte=until).aggregate(last=Max("started_on"))["last"],
        MeasureStep.objects.filter(occurred_on__lte=until).aggregate(last=Max("occurred_on"))[
            "last"
        ],
    ]
    dates = [day for day in dates if day is not None]
    return max(dates).year if dates else None


def _window(year: int, as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), as_of)


def measures_per_year(
    year: int, as_of: datetime.date | None = None, *, by: str = BY_NONE
) -> MeasuresReport:
    as_of = as_of or default_as_of(year)
    first, last = _window(year, as_of)
    in_window = Q(steps__occurred_on__gte=first, steps__occurred_on__lte=last)
    started = Q(started_on__gte=first, started_on__lte=last)
    aggregates = {}
    for key, _, steps in FIGURES:
        condition = started if steps is None else in_window & Q(steps__step__in=steps)
        aggregates[key] = Count("pk", filter=condition, distinct=True)
    running = Q(started_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gt=last))
    aggregates[_RUNNING] = Count("pk", filter=running, distinct=True)
    group_field = {BY_DISTRICT: "case__district_id", BY_HOUSING_TYPE: "case__housing_type"}
    fields = ["kind", *([group_field[by]] if by else [])]
    rows = (
        Measure.objects.filter(started | in_window | running)
        .values(*fields)
        .annotate(**aggregates)
        .order_by()
    )
    counts: dict[tuple, tuple[int, ...]] = {}
    running_counts: dict[tuple, int] = {}
    for row in rows:
        key = (row[group_field[by]] if by else None, row["kind"])
        counts[key] = tuple(row[name] for name, _, _ in FIGURES)
        running_counts[key] = row[_RUNNING]
    return MeasuresReport(year=year, as_of=as_of, by=by, rows=_layout(counts, running_counts, by))


def _groups(by: str, counts) -> list[tuple[object, str]]:
    if by == BY_DISTRICT:
        used = {group for group, _ in counts}
        return [
            (district.pk, district.name)
            for district in District.objects.order_by("display_order", "name", "pk")
            if district.is_active or district.pk in used
        ]
    if by == BY_HOUSING_TYPE:
        return list(HousingType.choices)
    return [(None, "")]


def _layout(
    counts: dict[tuple, tuple[int, ...]], running: dict[tuple, int], by: str
) -> list[ReportRow]:
    width = len(FIGURES)
    zero = (0,) * width
    rows = []
    for group, name in _groups(by, counts):
        for kind, label in MeasureKind.choices:
            values = counts.get((group, kind), zero)
            if by and values == zero:
                continue  # a grouped table lists only what happened
            rows.append(
                ReportRow(
                    group=name,
                    kind=label,
                    counts=values,
                    running=running.get((group, kind), 0),
                    kind_value=kind,
                )
            )
    totals = tuple(sum(values[index] for values in counts.values()) for index in range(width))
    # Grouped, the total row names its group only: "Totaal | Totaal" read as a kind of its own.
    rows.append(
        ReportRow(
            group=TOTAL if by else "",
            kind="" if by else TOTAL,
            counts=totals,
            running=sum(running.values()),
        )
    )
    return rows
