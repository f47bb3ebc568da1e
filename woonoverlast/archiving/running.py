"""What archiving needs to know of a maatregel, in one place: these functions are the only
ones that read its state.

A maatregel runs for the archive until the measures app says it has ended for good
(measures.selection.measure_end_date): its terminal step (ingetrokken, afgelopen, beëindigd),
nothing left to collect (paid, or verjaard: art. 5:35 Awb) and no bezwaar or beroep against
the order open or pending. So a case is on no vernietigingslijst while its maatregel is in
beroep or in collection, even after the maatregel's own last step.
"""

import datetime

from django.db.models import Prefetch, Q, QuerySet

from woonoverlast.common.calendar import AtwCalendar
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.models import Measure, MeasureStep
from woonoverlast.measures.selection import measure_end_date


def measure_is_running(measure: Measure) -> bool:
    return measure_end(measure) is None


def measure_end(measure: Measure) -> datetime.date | None:
    """The day the maatregel ended for good, collection and proceedings included; None while
    it runs."""
    if measure.ended_on is None:
        return None
    return measure_end_date(measure)


def running_measures() -> QuerySet[Measure]:
    """The maatregelen that run (for conditions on their case): those without a last step,
    and those whose last step is recorded while collection or proceedings go on (read once,
    a state each: the ended maatregelen are a few per case)."""
    calendar = AtwCalendar.load()
    ended = Measure.objects.filter(ended_on__isnull=False).prefetch_related(
        Prefetch("steps", queryset=MeasureStep.objects.order_by("occurred_on", "id"))
    )
    still = [
        measure.pk
        for measure in ended
        if measure_end_date(measure, steps=list(measure.steps.all()), calendar=calendar) is None
    ]
    return Measure.objects.filter(Q(ended_on__isnull=True) | Q(pk__in=still))


def measure_steps(measure: Measure) -> set[str]:
    return set(measure.steps.values_list("step", flat=True))


DECISION = Step.DECISION
ENFORCEMENT_REQUEST = MeasureKind.ENFORCEMENT_REQUEST
REQUEST_DECIDED = Step.REQUEST_DECIDED
REQUEST_GRANTED = Outcome.REQUEST_GRANTED
COLLECTION = Step.COLLECTION
WITHDRAWN = Step.WITHDRAWN


def measure_step_outcomes(measure: Measure) -> list[tuple[str, str]]:
    """(step, outcome) of each step of the maatregel, in order."""
    return list(measure.steps.order_by("occurred_on", "id").values_list("step", "outcome"))


# Bezwaar and beroep against the maatregel (Selectielijst 2020, 13 Geschillen behandelen).
OBJECTION = Step.OBJECTION_RECEIVED
OBJECTION_DECIDED = Step.OBJECTION_DECIDED
APPEAL_STEPS = frozenset(
    {Step.DIRECT_APPEAL, Step.APPEAL_FILED, Step.HIGHER_APPEAL_FILED, Step.INTERIM_REQUEST}
)
# Money owed by the person (18 Betalen en innen): a dwangsom incurred and its collection, or
# the costs of bestuursdwang.
COLLECTION_STEPS = frozenset(
    {
        Step.PENALTY_INCURRED,
        Step.COLLECTION,
        Step.COLLECTION_ORDER,
        Step.REMINDER,
        Step.WRIT,
        Step.COST_ORDER,
        Step.PAYMENT_RECEIVED,
    }
)
PAID = Step.PAYMENT_RECEIVED
