"""What archiving needs to know of a maatregel, in one place.

The measures app is being reworked (issue 24); these three functions are the only ones that
read its state, so adapting to it touches this file only. A maatregel runs until its
terminal step (ingetrokken, afgelopen, beëindigd): bezwaar, beroep and invordering are steps
of a running maatregel, so 'running' covers them too.
"""

import datetime

from django.db.models import QuerySet

from woonoverlast.measures.choices import Step
from woonoverlast.measures.models import Measure


def measure_is_running(measure: Measure) -> bool:
    return measure.ended_on is None


def measure_end(measure: Measure) -> datetime.date | None:
    """The day the maatregel ended, collection and proceedings included (its last step)."""
    return measure.ended_on


def running_measures() -> QuerySet[Measure]:
    """The maatregelen that run (for conditions on their case)."""
    return Measure.objects.running()


def measure_steps(measure: Measure) -> set[str]:
    return set(measure.steps.values_list("step", flat=True))


DECISION = Step.DECISION
COLLECTION = Step.COLLECTION
WITHDRAWN = Step.WITHDRAWN
