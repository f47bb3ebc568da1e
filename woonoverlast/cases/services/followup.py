"""Termijnbewaking on a case: settling the follow-up an action asked for."""

import datetime

from django.db import transaction

from woonoverlast.accounts.access import check_case_write
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.common.validation import Errors, format_date

from ..models import Action


@transaction.atomic
def followup_complete(action: Action, *, on: datetime.date | None, by) -> Action:
    """Mark the follow-up of `action` as done on `on` (usually today).

    Refused when the action has no follow-up date or its follow-up was already done, so two
    people pressing the button at once record one date. `by` is the user who settles it.
    """
    row = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    check_case_write(row.case, by)
    errors = Errors()
    if row.follow_up_on is None:
        errors.add(None, "Bij deze actie hoort geen vervolgactie.", code="no_follow_up")
    elif row.follow_up_done_on is not None:
        errors.add(
            None,
            f"Deze vervolgactie is al afgehandeld op {format_date(row.follow_up_done_on)}.",
            code="already_done",
        )
    errors.raise_if_any()
    if on is None:
        errors.add("on", "Vul een datum in.", code="required")
    else:
        errors.check_not_in_future("on", on)
        if on < row.performed_on:
            errors.add(
                "on",
                "De datum mag niet voor de datum van de actie "
                f"({format_date(row.performed_on)}) liggen.",
                code="before_action",
            )
    errors.raise_if_any()
    row.follow_up_done_on = on
    row.save(update_fields=["follow_up_done_on"])
    record(
        AuditAction.UPDATE,
        by=by,
        obj=row,
        case=row.case,
        changes={"follow_up_done_on": {"oud": None, "nieuw": on.isoformat()}},
    )
    # Keep the caller's instance in step with the database.
    action.follow_up_done_on = on
    return row
