"""Doorlooptijd: how many days the cases closed in a year took from registration to closing,
as the median and the 80th percentile, per wijk and housing type (with totals).

A case counts once in year Y when it was closed in Y (a StatusChange to closed dated in Y;
reopened and closed again in the same year: the last closing in Y). Days = that closing date
minus the registration date.

On PostgreSQL one query computes every cell and total with percentile_cont over GROUPING
SETS. On SQLite (no percentile_cont) one query reads the (wijk, housing type, days) of each
case and Python computes the same continuous percentile (linear interpolation between the
closest ranks, as percentile_cont does).
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Max

from woonoverlast.cases.choices import HousingType, Status
from woonoverlast.cases.models import Case, District, StatusChange

HOUSING_TYPES = tuple(HousingType.values)


@dataclass(frozen=True)
class Stat:
    n: int
    median: float | None
    p80: float | None

    @property
    def shown(self) -> str:
        if not self.n:
            return "–"
        return f"{_number(self.median)} / {_number(self.p80)} ({self.n})"


EMPTY = Stat(0, None, None)


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",").replace(",0", "")


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont on a list (sorted here)."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class LeadTimes:
    year: int
    districts: list[District]
    cells: dict[tuple[int | None, str | None], Stat]  # (wijk or None, type or None)

    def stat(self, district_id: int | None, housing_type: str | None) -> Stat:
        return self.cells.get((district_id, housing_type), EMPTY)

    def rows(self) -> list[tuple[str, list[Stat], Stat]]:
        """(wijk, stats per housing type, total) for every wijk with closings, then Totaal."""
        used = {district_id for district_id, _ in self.cells if district_id is not None}
        rows = [
            (
                district.name,
                [self.stat(district.pk, housing_type) for housing_type in HOUSING_TYPES],
                self.stat(district.pk, None),
            )
            for district in self.districts
            if district.is_active or district.pk in used
        ]
        rows.append(
            (
                "Totaal",
                [self.stat(None, housing_type) for housing_type in HOUSING_TYPES],
                self.stat(None, None),
            )
        )
        return rows

    @property
    def header(self) -> list[str]:
        return [
            "Wijk",
            *(
                f"{HousingType(housing_type).label} {what}"
                for housing_type in HOUSING_TYPES
                for what in ("aantal", "mediaan (dagen)", "80e percentiel (dagen)")
            ),
            "Totaal aantal",
            "Totaal mediaan (dagen)",
            "Totaal 80e percentiel (dagen)",
        ]

    def table(self) -> list[list]:
        out = []
        for name, stats, total in self.rows():
            line = [name]
            for stat in [*stats, total]:
                line += [stat.n, stat.median, stat.p80]
            out.append(line)
        return out


def _closings(year: int):
    """Per case closed in `year`: its wijk, housing type and the last closing date in it. A
    closing a team leader corrected away (services.status) is not one."""
    return (
        StatusChange.objects.in_force()
        .filter(
            status=Status.CLOSED,
            effective_on__gte=datetime.date(year, 1, 1),
            effective_on__lte=datetime.date(year, 12, 31),
        )
        .values("case_id")
        .annotate(closed_on=Max("effective_on"))
    )


_PG_SQL = """
SELECT c.district_id, c.housing_type, GROUPING(c.district_id) AS g_district,
       GROUPING(c.housing_type) AS g_type, COUNT(*) AS n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY k.closed_on - c.registered_on) AS median,
       percentile_cont(0.8) WITHIN GROUP (ORDER BY k.closed_on - c.registered_on) AS p80
FROM ({closings}) AS k JOIN {case_table} AS c ON c.id = k.case_id
GROUP BY GROUPING SETS ((c.district_id, c.housing_type), (c.district_id), (c.housing_type), ())
"""


def lead_times(year: int, *, districts: list[District] | None = None) -> LeadTimes:
    districts = (
        districts
        if districts is not None
        else list(District.objects.order_by("display_order", "name", "pk"))
    )
    cells: dict[tuple, Stat] = {}
    if connection.vendor == "postgresql":
        closings_sql, params = _closings(year).query.sql_with_params()
        sql = _PG_SQL.format(closings=closings_sql, case_table=Case._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for district_id, housing_type, g_district, g_type, n, median, p80 in cursor:
                if not n:  # the grand total of a year without closings: no median
                    continue
                key = (None if g_district else district_id, None if g_type else housing_type)
                cells[key] = Stat(n, float(median), float(p80))
    else:
        days: dict[tuple, list[int]] = defaultdict(list)
        rows = _closings(year).values_list(
            "case__district_id", "case__housing_type", "case__registered_on", "closed_on"
        )
        for district_id, housing_type, registered_on, closed_on in rows:
            value = (closed_on - registered_on).days
            for key in (
                (district_id, housing_type),
                (district_id, None),
                (None, housing_type),
                (None, None),
            ):
                days[key].append(value)
        for key, values in days.items():
            cells[key] = Stat(
                len(values), percentile_cont(values, 0.5), percentile_cont(values, 0.8)
            )
    return LeadTimes(year=year, districts=districts, cells=cells)
