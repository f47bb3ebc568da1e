"""Keeping `Action.case_open` in step with the status of the action's case.

Termijnbewaking lists the follow-ups not done on open cases (querysets.follow_up_pending). At
1,000,000 cases most follow-ups never marked done belong to cases closed since, so the partial
index of pending follow-ups (action_follow_up_pending_idx) must leave those out, and an index
can only test the action's own columns: the case's status is therefore kept on the action.

Every service that changes a case's status, or adds an action, calls `case_refresh_open_actions`
in its own transaction, after its write. The flag is set from the case's status as it is then,
not from what the caller believes it is, so a race cannot leave it wrong: the case row is
locked first (FOR UPDATE), so a close and an action logged at the same moment are serialized,
and the second one's UPDATE, a new statement under READ COMMITTED, sees the first one's rows.
"""

from django.db import transaction

from ..choices import Status
from ..models import Action, Case
from .refresh_batch import deferred


@transaction.atomic
def case_refresh_open_actions(*case_ids: int) -> None:
    """Set `case_open` on the actions of these cases from the cases' status (two UPDATEs, of
    the rows that differ only; inside `refresh_batch.case_refreshes_batched`: at the batch's
    end)."""
    if deferred("open_actions", case_ids):
        return
    ids = sorted(set(case_ids))
    if not ids:
        return
    list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    actions = Action.objects.filter(case_id__in=ids)
    actions.filter(case_open=False, case__status=Status.OPEN).update(case_open=True)
    actions.filter(case_open=True).exclude(case__status=Status.OPEN).update(case_open=False)
