"""The casusoverleg per year, for the reports page: the cases discussed per partner kind, the
afspraken made and how many were done (on time). Counts only, no personal data."""

from dataclasses import dataclass

from django.db.models import Count, F, Q

from .choices import ItemState, PartnerKind
from .models import AgendaItem, Agreement

TEAM = "Team (collega's)"
HEADER = [
    "Soort partner",
    "Casussen besproken",
    "Afspraken gemaakt",
    "Uitgevoerd",
    "Op tijd uitgevoerd",
    "Open",
]


@dataclass
class Row:
    label: str
    cases: int | None
    made: int
    done: int
    on_time: int

    @property
    def open(self) -> int:
        return self.made - self.done

    def cells(self) -> list:
        return [
            self.label,
            "" if self.cases is None else self.cases,
            self.made,
            self.done,
            self.on_time,
            self.open,
        ]


@dataclass
class OverlegYear:
    year: int
    rows: list[Row]

    @property
    def title(self) -> str:
        return f"Casusoverleg {self.year}"

    def table(self) -> list[list]:
        return [row.cells() for row in self.rows]


def _agreement_counts(agreements) -> dict:
    return agreements.aggregate(
        made=Count("pk"),
        done=Count("pk", filter=Q(done_on__isnull=False)),
        on_time=Count("pk", filter=Q(done_on__isnull=False, done_on__lte=F("due_on"))),
    )


def overleg_per_year(year: int) -> OverlegYear:
    """Per partner kind: the distinct cases on the agenda of the year's overleggen that an
    organisation of that kind took part in, and the afspraken its organisations got; a row
    for the team's own afspraken; a total (every case discussed counted once)."""
    items = AgendaItem.objects.filter(state=ItemState.ACCEPTED, meeting__held_on__year=year)
    agreements = Agreement.objects.filter(item__meeting__held_on__year=year)
    cases_per_kind = dict(
        items.values("meeting__partner_contacts__organisation__kind")
        .annotate(n=Count("case", distinct=True))
        .values_list("meeting__partner_contacts__organisation__kind", "n")
    )
    rows = []
    for kind in PartnerKind:
        counts = _agreement_counts(agreements.filter(owner_organisation__kind=kind))
        rows.append(Row(kind.label, cases_per_kind.get(kind.value, 0), **counts))
    rows.append(Row(TEAM, None, **_agreement_counts(agreements.filter(owner_user__isnull=False))))
    rows.append(
        Row("Totaal", items.values("case").distinct().count(), **_agreement_counts(agreements))
    )
    return OverlegYear(year=year, rows=rows)
