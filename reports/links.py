"""Links from the figures to the case list, with the query parameters of its contract (the
documented parameters of `cases:list`, cases.filters). Only built for roles that may see
cases; the rapportage role gets the same numbers without links.

Contract example, the cell "Centrum, corporatie, lopend, 2023":
/casussen/?wijk=1&woningtype=corporatie&status=open&peildatum=2023-12-31
&geregistreerd_van=2023-01-01&geregistreerd_tot=2023-12-31&ook_archief=1

`ook_archief`: a past year's cases may have closed longer than RETENTION_MONTHS ago, and the
list leaves those out of the working screens unless asked. A team leader's list then shows
exactly the number; for anyone else the parameter does nothing and the list says what it
leaves out (cases.filters).
"""

from dataclasses import dataclass

from woonoverlast.cases.choices import Status
from woonoverlast.cases.filters import list_url

from .tabel51 import CARRIED_OVER, COLUMNS, Row, Table


def table_cell_url(
    table: Table,
    *,
    district_id: int | None = None,
    housing_type: str | None = None,
    status: str | None = None,
) -> str | None:
    """The cases behind one number of Tabel 5.1 (None when the list cannot show exactly them).

    The doorlopende casussen are "open at the end of 31 December Y-1"; the case list filters on
    one peildatum only, so only their totals (by wijk and housing type, without the status on
    P) have an exact link.
    """
    if table.kind == CARRIED_OVER:
        if status is not None:
            return None
        return list_url(
            wijk=district_id,
            woningtype=housing_type,
            status=Status.OPEN.value,
            peildatum=table.registered_to,
            geregistreerd_tot=table.registered_to,
            ook_archief=1,
        )
    return list_url(
        wijk=district_id,
        woningtype=housing_type,
        status=status,
        peildatum=table.as_of if status else None,
        geregistreerd_van=table.registered_from,
        geregistreerd_tot=table.registered_to,
        ook_archief=1,
    )


@dataclass(frozen=True)
class Number:
    value: int
    url: str | None = None


@dataclass(frozen=True)
class DisplayRow:
    name: str
    cells: tuple[Number, ...]
    total: Number
    is_total: bool = False
    is_active: bool = True


def display_rows(table: Table, *, with_links: bool) -> list[DisplayRow]:
    """Rows ready for the template: every number with its link (or none)."""

    def number(value: int, row: Row, housing_type=None, status=None) -> Number:
        if not with_links:
            return Number(value)
        return Number(
            value,
            table_cell_url(
                table, district_id=row.district_id, housing_type=housing_type, status=status
            ),
        )

    return [
        DisplayRow(
            name=row.name,
            cells=tuple(
                number(value, row, housing_type, status)
                for (housing_type, status), value in zip(COLUMNS, row.cells, strict=True)
            ),
            total=number(row.total, row),
            is_total=row.district_id is None,
            is_active=row.is_active,
        )
        for row in table.all_rows
    ]
