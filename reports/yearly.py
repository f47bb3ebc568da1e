"""Year over year: the figures of Tabel 5.1 beside the previous year's, with the change in
percent, as the jaarverslag compares years throughout."""

from dataclasses import dataclass

from woonoverlast.cases.choices import HousingType, Status

from .tabel51 import HOUSING_TYPES, Table

# Which figure: (district id or None, housing type or None, status or None); None is "all".
FigureKey = tuple[int | None, str | None, str | None]


@dataclass(frozen=True)
class Figure:
    label: str
    key: FigureKey
    previous: int
    current: int
    is_district: bool = False

    @property
    def change(self) -> str:
        return percent_change(self.previous, self.current)


def value(table: Table, key: FigureKey) -> int:
    district_id, housing_type, status = key
    row = table.total if district_id is None else table.row_for(district_id)
    if row is None:
        return 0
    if housing_type and status:
        return row.cell(housing_type, status)
    if housing_type:
        return row.by_housing_type(housing_type)
    if status:
        return row.by_status(status)
    return row.total


def percent_change(previous: int, current: int) -> str:
    """+8%, -25%, 0%; "n.v.t." when there is nothing to compare with."""
    if previous == 0:
        return "0%" if current == 0 else "n.v.t."
    change = (current - previous) * 100 / previous
    rounded = int(change + 0.5) if change >= 0 else -int(-change + 0.5)
    if rounded == 0:
        return "0%"
    return f"{rounded:+d}%"


def figures(current: Table, previous: Table) -> list[Figure]:
    keys: list[tuple[str, FigureKey, bool]] = [
        ("Geregistreerd", (None, None, None), False),
        ("Afgerond", (None, None, Status.CLOSED), False),
        ("Lopend", (None, None, Status.OPEN), False),
    ]
    keys += [
        (f"Lopend, {HousingType(h).label.lower()}", (None, h, Status.OPEN), False)
        for h in HOUSING_TYPES
    ]
    keys += [
        (f"Geregistreerd, {HousingType(h).label.lower()}", (None, h, None), False)
        for h in HOUSING_TYPES
    ]
    names = {row.district_id: row.name for row in (*previous.rows, *current.rows)}
    order = [row.district_id for row in current.rows]
    order += [row.district_id for row in previous.rows if row.district_id not in order]
    keys += [(names[pk], (pk, None, None), True) for pk in order]
    return [
        Figure(label, key, value(previous, key), value(current, key), is_district)
        for label, key, is_district in keys
    ]
