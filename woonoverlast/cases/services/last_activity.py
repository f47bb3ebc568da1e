"""Keeping `Case.last_activity_on` in step with the history it summarises.

Every service that changes what the column summarises (an action, a reopening, the
registration date) calls `case_refresh_last_activity` in its own transaction, after its write.
The column is recomputed from the history rather than nudged (max with the new date), so a
back-dated, corrected or withdrawn entry can never leave it wrong.

Two writers at once: the case rows are locked first (FOR UPDATE), so the second writer waits
for the first to commit, and its UPDATE, a new statement under READ COMMITTED, then sees the
first one's action too. The version of the case is not raised: the column is derived, not a
fact a user edits, so it must not make someone's open edit form stale.
"""

from django.db import transaction

from ..models import Case
from ..querysets import last_activity_from_history
from .refresh_batch import deferred


@transaction.atomic
def case_refresh_last_activity(*case_ids: int) -> None:
    """Recompute the last activity of these cases from their history (inside
    `refresh_batch.case_refreshes_batched`: at the batch's end)."""
    if deferred("last_activity", case_ids):
        return
    ids = sorted(set(case_ids))
    if not ids:
        return
    list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    Case.objects.filter(pk__in=ids).update(last_activity_on=last_activity_from_history())
