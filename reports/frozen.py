"""A frozen (vastgestelde) Tabel 5.1 against the live table on the same peildatum.

"Why does the table differ from last year's jaarverslag?" Every difference in a cell comes from
cases that moved: a case counted now but not then (a back-filled registration, a corrected
registration date), counted then but not now (its registration date moved out of the year, it
was removed), or counted in another cell (wijk, housing type or its status on the peildatum
corrected). The cases are found in one query over the live cases and the frozen per-case cells.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import F, FilteredRelation, Q

from woonoverlast.cases.choices import HousingType
from woonoverlast.cases.models import Case, District

from . import tabel51
from .models import FrozenCase, FrozenTable

# Why a case counts differently now; the labels are what the page shows.
BACKFILLED = "nagekomen"
REGISTRATION_DATE = "registratiedatum"
DISTRICT = "wijk"
HOUSING_TYPE = "woningtype"
STATUS = "status"
REMOVED = "verwijderd"
REASONS = {
    BACKFILLED: "Later geregistreerd (nagekomen registratie)",
    REGISTRATION_DATE: "Registratiedatum gecorrigeerd",
    DISTRICT: "Wijk gecorrigeerd",
    HOUSING_TYPE: "Woningtype gecorrigeerd",
    STATUS: "Status op de peildatum gewijzigd (afsluiting of heropening met terugwerkende kracht)",
    REMOVED: "Casus verwijderd",
}

# (district id, housing type, status on the peildatum)
CellKey = tuple[int, str, str]


@dataclass(frozen=True)
class CaseDifference:
    case_id: int | None
    reference: str
    reasons: tuple[str, ...]
    before: CellKey | None  # the cell in the frozen table (None: not counted then)
    after: CellKey | None  # the cell in the live table (None: not counted now)

    @property
    def reason_labels(self) -> list[str]:
        return [REASONS[reason] for reason in self.reasons]


@dataclass(frozen=True)
class RowDifference:
    district_id: int
    name: str
    frozen: tuple[int, ...]
    live: tuple[int, ...]

    @property
    def frozen_total(self) -> int:
        return sum(self.frozen)

    @property
    def live_total(self) -> int:
        return sum(self.live)

    @property
    def cells(self) -> list[tuple[int, int]]:
        return list(zip(self.frozen, self.live, strict=True))


@dataclass(frozen=True)
class Comparison:
    frozen: FrozenTable
    live: tabel51.Table
    rows: tuple[RowDifference, ...]
    total: RowDifference
    cases: tuple[CaseDifference, ...]
    district_names: dict[int, str]

    @property
    def differing_cells(self) -> int:
        return sum(1 for row in self.rows for frozen, live in row.cells if frozen != live)

    @property
    def has_differences(self) -> bool:
        return bool(self.cases) or any(row.frozen != row.live for row in self.rows)

    def cell_label(self, key: CellKey | None) -> str:
        if key is None:
            return "niet geteld"
        district_id, housing_type, status = key
        name = self.district_names.get(district_id, "onbekende wijk")
        return f"{name}, {HousingType(housing_type).label.lower()}, {tabel51.COLUMN_NAMES[status]}"

    def summary(self) -> list[tuple[str, str, str, int]]:
        """Without references: (reasons, from cell, to cell, number of cases)."""
        counted = Counter(
            (
                "; ".join(case.reason_labels),
                self.cell_label(case.before),
                self.cell_label(case.after),
            )
            for case in self.cases
        )
        return [(*key, n) for key, n in sorted(counted.items())]


def frozen_counts(frozen: FrozenTable) -> dict[int, tuple[int, ...]]:
    return {row["district_id"]: tuple(row["cells"]) for row in frozen.rows}


def district_names(frozen: FrozenTable, districts: list[District]) -> dict[int, str]:
    names = {row["district_id"]: row["name"] for row in frozen.rows}
    names.update({district.pk: district.name for district in districts})
    return names


def row_differences(
    frozen: FrozenTable, live: tabel51.Table, districts: list[District]
) -> tuple[RowDifference, ...]:
    """The frozen and the live cells of every wijk in either table, in display order."""
    before = frozen_counts(frozen)
    names = district_names(frozen, districts)
    order = {district.pk: index for index, district in enumerate(districts)}
    zeros = (0,) * len(tabel51.COLUMNS)
    district_ids = sorted(
        set(before) | {row.district_id for row in live.rows},
        key=lambda pk: (order.get(pk, len(order)), pk),
    )
    rows = []
    for pk in district_ids:
        live_row = live.row_for(pk)
        rows.append(
            RowDifference(
                district_id=pk,
                name=names.get(pk, "onbekende wijk"),
                frozen=before.get(pk, zeros),
                live=live_row.cells if live_row else zeros,
            )
        )
    return tuple(rows)


def compare(frozen: FrozenTable, *, districts: list[District] | None = None) -> Comparison:
    """The frozen table against the live one on the frozen peildatum, cell by cell and case by
    case. A fixed number of queries, whatever the number of cases."""
    districts = districts if districts is not None else tabel51.districts_in_order()
    live = tabel51.compute(frozen.year, frozen.as_of, districts=districts)
    rows = row_differences(frozen, live, districts)
    total = RowDifference(
        district_id=0,
        name=tabel51.TOTAL_NAME,
        frozen=tuple(sum(cells) for cells in zip(*(row.frozen for row in rows), strict=True))
        or (0,) * len(tabel51.COLUMNS),
        live=live.total.cells,
    )
    return Comparison(
        frozen=frozen,
        live=live,
        rows=rows,
        total=total,
        cases=tuple(case_differences(frozen)),
        district_names=district_names(frozen, districts),
    )


def case_differences(frozen: FrozenTable) -> list[CaseDifference]:
    """The cases counted differently now than in the frozen table (two queries, each bounded:
    the cases of the year's window, and the frozen cases now outside it or removed)."""
    first, last = tabel51.registration_window(frozen.year, frozen.as_of)
    moved = (
        ~Q(district_id=F("entry__district_id"))
        | ~Q(housing_type=F("entry__housing_type"))
        | ~Q(status_on=F("entry__status"))
    )
    # Counted now: new in the window since freezing, or counted in another cell.
    in_window = (
        Case.objects.registered_between(first, last)
        .annotate(
            entry=FilteredRelation("frozen_entries", condition=Q(frozen_entries__table=frozen))
        )
        .with_status_on(frozen.as_of)
        .filter(Q(entry__id__isnull=True) | moved)
        .values(
            "pk",
            "reference",
            "registered_on",
            "created_at",
            "district_id",
            "housing_type",
            "status_on",
            "entry__id",
            "entry__district_id",
            "entry__housing_type",
            "entry__status",
        )
    )
    # Counted then and now outside the window (a corrected registration date), or removed.
    gone = (
        FrozenCase.objects.filter(table=frozen)
        .filter(Q(case__isnull=True) | ~Q(case__registered_on__range=(first, last)))
        .values(
            "reference",
            "district_id",
            "housing_type",
            "status",
            "case_id",
            "case__reference",
            "case__registered_on",
            "case__created_at",
            "id",
        )
    )
    rows, removed = list(in_window), []
    for entry in gone:
        if entry["case_id"] is None:
            removed.append(entry)
            continue
        rows.append(
            {
                "pk": entry["case_id"],
                "reference": entry["case__reference"],
                "registered_on": entry["case__registered_on"],
                "created_at": entry["case__created_at"],
                "entry__id": entry["id"],
                "entry__district_id": entry["district_id"],
                "entry__housing_type": entry["housing_type"],
                "entry__status": entry["status"],
            }
        )
    rows.sort(key=lambda row: (row["registered_on"], row["reference"]))
    differences = [_explain(frozen, row, first, last) for row in rows]
    differences.extend(
        CaseDifference(
            case_id=None,
            reference=entry["reference"],
            reasons=(REMOVED,),
            before=(entry["district_id"], entry["housing_type"], entry["status"]),
            after=None,
        )
        for entry in sorted(removed, key=lambda entry: entry["reference"])
    )
    return differences


def _explain(frozen: FrozenTable, row: dict, first: datetime.date, last: datetime.date):
    counted_now = first <= row["registered_on"] <= last
    counted_then = row["entry__id"] is not None
    before = (
        (row["entry__district_id"], row["entry__housing_type"], row["entry__status"])
        if counted_then
        else None
    )
    after = (row["district_id"], row["housing_type"], row["status_on"]) if counted_now else None
    if not counted_then:
        reasons = (BACKFILLED,) if row["created_at"] > frozen.frozen_at else (REGISTRATION_DATE,)
    elif not counted_now:
        reasons = (REGISTRATION_DATE,)
    else:
        reasons = tuple(
            reason
            for reason, changed in (
                (DISTRICT, before[0] != after[0]),
                (HOUSING_TYPE, before[1] != after[1]),
                (STATUS, before[2] != after[2]),
            )
            if changed
        )
    return CaseDifference(
        case_id=row["pk"],
        reference=row["reference"],
        reasons=reasons,
        before=before,
        after=after,
    )
