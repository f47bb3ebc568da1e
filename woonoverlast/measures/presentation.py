"""What the screens show of a measure: its steps, computed dates, next deadline and the
steps that may follow. Reads only; the rules are in rules.py and services.py."""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from woonoverlast.common.calendar import AtwCalendar

from .choices import Step
from .models import Measure
from .rules import Deadline, MeasureState
from .services import steps_offered, steps_unavailable
from .work import Task, enforcement_tasks, watched_deadlines


@dataclass(frozen=True)
class OfferedStep:
    step: str
    needs_reason: bool

    @property
    def label(self) -> str:
        return Step(self.step).label


@dataclass(frozen=True)
class UnavailableStep:
    step: str
    reason: str

    @property
    def label(self) -> str:
        return Step(self.step).label


@dataclass(frozen=True)
class DatedTerm:
    label: str
    term: object
    passed: bool


@dataclass
class MeasureCard:
    measure: Measure
    state: MeasureState
    today: datetime.date
    offered: list[OfferedStep] = field(default_factory=list)
    unavailable: list[UnavailableStep] = field(default_factory=list)

    @property
    def steps(self):
        return self.state.steps

    @property
    def computed_dates(self) -> list[DatedTerm]:
        """The measure's dates in date order, the past ones marked."""
        dated = sorted(self.state.computed_dates(), key=lambda item: item[1].ends_on)
        return [DatedTerm(label, term, passed=term.ends_on < self.today) for label, term in dated]

    @property
    def next_deadline(self) -> Deadline | None:
        """The earliest running deadline, a passed begunstigingstermijn and a passed bezwaar-
        or beroepstermijn aside (work.watched_deadlines)."""
        return next(iter(watched_deadlines(self.state, self.today)), None)

    @cached_property
    def tasks(self) -> list[Task]:
        """What the enforcement phase asks of the team now: a passed begunstigingstermijn is
        no failure of the team but the task Controle uitvoeren, and so on (work.py)."""
        return enforcement_tasks(self.state, self.today)

    @cached_property
    def addressees(self) -> list:
        """The further addressees with their party: one query, only for a measure that has
        one (Measure.addressee_count)."""
        if not self.measure.addressee_count:
            return []
        return list(self.measure.addressees.select_related("party"))

    @property
    def can_add_addressee(self) -> bool:
        """Whether the screen offers Geadresseerde toevoegen: before the besluit (or after a
        revoking one) of a running measure, to someone who may record its steps (the service
        checks it again)."""
        state = self.state
        return (
            bool(self.offered)
            and not state.is_ended
            and (state.decision is None or state.herroeping_of_schorsing is not None)
        )

    @property
    def offered_steps(self) -> frozenset[str]:
        return frozenset(offer.step for offer in self.offered)

    @property
    def check_due(self) -> Task | None:
        return next((task for task in self.tasks if task.step == Step.CHECK), None)

    @property
    def deadline_missed(self) -> bool:
        deadline = self.next_deadline
        return deadline is not None and deadline.due_on < self.today


def card(measure: Measure, steps, calendar: AtwCalendar, *, user, today) -> MeasureCard:
    state = MeasureState(measure, steps, calendar)
    offered = [
        OfferedStep(step, needs_reason)
        for step, needs_reason in steps_offered(state, user=user, on=today)
    ]
    unavailable = [
        UnavailableStep(step, reason)
        for step, reason in steps_unavailable(state, user=user, on=today)
    ]
    return MeasureCard(
        measure=measure, state=state, today=today, offered=offered, unavailable=unavailable
    )


def measure_cards(
    case, *, user, today: datetime.date, calendar: AtwCalendar | None = None
) -> list[MeasureCard]:
    """The measures of `case`, oldest first: two queries whatever their number, and a third
    for the Atw's equated days unless the page passes its `calendar`."""
    calendar = calendar or AtwCalendar.load()
    # A measure's further addressees are read only for the few that have one
    # (Measure.addressee_count): the count stays the same for every other case file.
    measures = Measure.objects.filter(case=case).with_steps().order_by("started_on", "id")
    return [
        card(measure, measure.steps.all(), calendar, user=user, today=today) for measure in measures
    ]
