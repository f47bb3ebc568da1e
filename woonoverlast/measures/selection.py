"""The running deadlines of the maatregelen, for termijnbewaking (followups.selection)."""

from .deadlines import AtwCalendar
from .models import Measure, MeasureStep
from .rules import Deadline, MeasureState


def running_measure_deadlines(
    case_scope: dict, *, calendar: AtwCalendar | None = None
) -> list[tuple[Measure, Deadline]]:
    """The running deadlines of the running measures of the cases matching `case_scope`
    (lookups on Case), with their measure (case and casemanager selected).

    Two queries whatever the number of measures: the equated days and the steps of the
    running measures (a measure without steps has no deadline yet).
    """
    calendar = calendar or AtwCalendar.load()
    steps = (
        MeasureStep.objects.filter(
            measure__ended_on__isnull=True,
            **{f"measure__case__{key}": value for key, value in case_scope.items()},
        )
        .select_related("measure__case__casemanager")
        .order_by("measure_id", "occurred_on", "id")
    )
    by_measure: dict[int, list[MeasureStep]] = {}
    for step in steps:
        by_measure.setdefault(step.measure_id, []).append(step)
    found = []
    for rows in by_measure.values():
        measure = rows[0].measure
        for deadline in MeasureState(measure, rows, calendar).deadlines:
            found.append((measure, deadline))
    return found
