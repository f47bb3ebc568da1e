"""The running deadlines of the maatregelen, for termijnbewaking (followups.selection)."""

import datetime

from django.db.models import Q

from woonoverlast.common.calendar import AtwCalendar
from woonoverlast.common.validation import today as _today

from .choices import Step
from .models import Measure, MeasureStep
from .rules import Deadline, MeasureState
from .work import Task, enforcement_tasks, watched_deadlines

# An ended measure may still have something to collect (its verjaring runs).
_COLLECTING = (Step.PENALTY_INCURRED, Step.COST_ORDER)


def _running_states(case_scope: dict, calendar: AtwCalendar | None) -> list[MeasureState]:
    """The states of the running measures of the cases matching `case_scope` (lookups on
    Case), and of ended ones with something to collect; their measures with case and
    casemanager selected. Two queries whatever the number of measures: the equated days and
    the steps (a measure without steps has no deadline yet)."""
    calendar = calendar or AtwCalendar.load()
    steps = (
        MeasureStep.objects.filter(
            Q(measure__ended_on__isnull=True)
            | Q(measure__in=MeasureStep.objects.filter(step__in=_COLLECTING).values("measure")),
            **{f"measure__case__{key}": value for key, value in case_scope.items()},
        )
        .select_related("measure__case__casemanager", "measure__respondent", "addressee__party")
        .order_by("measure_id", "occurred_on", "id")
    )
    by_measure: dict[int, list[MeasureStep]] = {}
    for step in steps:
        by_measure.setdefault(step.measure_id, []).append(step)
    return [MeasureState(rows[0].measure, rows, calendar) for rows in by_measure.values()]


def running_measure_deadlines(
    case_scope: dict, *, calendar: AtwCalendar | None = None
) -> list[tuple[Measure, Deadline]]:
    """The running deadlines of the running measures of the cases matching `case_scope`
    (lookups on Case), with their measure (case and casemanager selected): two queries."""
    return [
        (state.measure, deadline)
        for state in _running_states(case_scope, calendar)
        for deadline in state.deadlines
    ]


def measure_work(
    case_scope: dict, *, today: datetime.date, calendar: AtwCalendar | None = None
) -> list[tuple[Measure, Deadline | Task]]:
    """What termijnbewaking lists of the measures of the cases matching `case_scope` on
    `today`: their deadlines (a passed begunstigingstermijn, bezwaar- or beroepstermijn left
    out) and the tasks of the enforcement phase due (work.py: Controle uitvoeren, ...).
    Two queries."""
    found: list[tuple[Measure, Deadline | Task]] = []
    for state in _running_states(case_scope, calendar):
        found.extend((state.measure, item) for item in watched_deadlines(state, today))
        found.extend((state.measure, task) for task in enforcement_tasks(state, today))
    return found


def measure_end_date(
    measure: Measure, *, steps=None, calendar: AtwCalendar | None = None, on=None
) -> datetime.date | None:
    """When the maatregel ended for good, or None while it runs (for archiving: the brondatum).

    It runs until it has a terminal step (ingetrokken, afgelopen, beëindigd), nothing is left
    to collect (all paid, or the verjaring of every unpaid dwangsom passed, art. 5:35 Awb), and
    no bezwaar or beroep against the order is open or pending. The end is the latest of the
    terminal step, the last step recorded and the day the order became irrevocable.
    """
    on = on or _today()
    if steps is None:
        steps = measure.steps.select_related("addressee__party").order_by("occurred_on", "id")
    state = MeasureState(measure, steps, calendar or AtwCalendar.load())
    if not state.is_ended:
        return None
    if state.amount_outstanding:
        if state.has(Step.COST_ORDER) and (
            not state.verjaringen_kosten
            or any(not item.lapsed_on(on) for item in state.verjaringen_kosten)
        ):
            return None  # the costs of bestuursdwang until they are verjaard (4:104 Awb)
        if any(not item.lapsed_on(on) for item in state.verjaringen):
            return None
    ends = [state.terminal.occurred_on, state.steps[-1].occurred_on]
    if state.bekendmaking is not None:
        irrevocable = state.onherroepelijk_on
        if irrevocable is None or irrevocable >= on:
            return None
        ends.append(irrevocable)
    ends += [
        item.ends_on for item in state.verjaringen if item.ends_on and state.amount_outstanding
    ]
    ends += [item.ends_on for item in state.verjaringen_kosten if state.amount_outstanding]
    return max(ends)
