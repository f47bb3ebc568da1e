"""Keeping `ActionMonth` (actions per month and type) in step with the actions.

Every service that adds, moves or withdraws an action calls `action_months_add` in its own
transaction with what changed. The counts are moved with `count = count + delta` in one
UPDATE, which holds the row until the transaction ends: two writers at once wait for each
other instead of losing one's change. A month's first action creates its row; two doing that
at once meet the unique constraint, and the loser adds to the winner's row.
"""

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth

from ..models import Action, ActionMonth


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@transaction.atomic
def action_months_add(changes: Iterable[tuple[datetime.date, str, int]]) -> None:
    """Add `delta` to the count of the month of `performed_on` and `action_type`, for each
    (performed_on, action_type, delta) in `changes`."""
    deltas = Counter()
    for performed_on, action_type, delta in changes:
        deltas[(_month(performed_on), action_type)] += delta
    # In one order, so that two writers lock the rows in the same order (no deadlock).
    for (month, action_type), delta in sorted(deltas.items()):
        if not delta:
            continue
        rows = ActionMonth.objects.filter(month=month, action_type=action_type)
        if rows.update(count=F("count") + delta):
            continue
        try:
            with transaction.atomic():
                ActionMonth.objects.create(month=month, action_type=action_type, count=delta)
        except IntegrityError:  # someone else created it just now
            rows.update(count=F("count") + delta)


def action_months_from_history() -> dict[tuple[datetime.date, str], int]:
    """What ActionMonth should hold, counted from the actions: {(month, type): count}."""
    grouped = (
        Action.objects.in_force()
        .order_by()
        .annotate(month=TruncMonth("performed_on"))
        .values("month", "action_type")
        .annotate(n=Count("pk"))
    )
    result = {}
    for group in grouped:
        month = group["month"]
        if isinstance(month, datetime.datetime):  # some backends return a datetime
            month = month.date()
        result[(month, group["action_type"])] = group["n"]
    return result


@transaction.atomic
def action_months_rebuild() -> int:
    """Count everything again from the actions (after a bulk load that bypassed the
    services, or to repair); returns the number of rows."""
    ActionMonth.objects.all().delete()
    rows = [
        ActionMonth(month=month, action_type=action_type, count=count)
        for (month, action_type), count in sorted(action_months_from_history().items())
    ]
    ActionMonth.objects.bulk_create(rows)
    return len(rows)
