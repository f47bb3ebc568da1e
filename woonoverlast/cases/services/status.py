"""Closing and reopening: the status history of a case.

Every change appends a StatusChange row; the previous row gets the new row's date as its end,
and the case's own `status`/`closed_on` are set to agree with the new latest row.
"""

import datetime

from django.db import transaction

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import MASKED, record

from ..choices import ClosingReason, Status
from ..models import Case, StatusChange
from .last_activity import case_refresh_last_activity
from .validation import Errors, format_date

# From the current status (None: a case being registered) to the statuses it may change to.
ALLOWED_STATUS_CHANGES: dict[str | None, set[str]] = {
    None: {Status.OPEN},
    Status.OPEN: {Status.CLOSED},
    Status.CLOSED: {Status.OPEN},
}

_REFUSED = {
    Status.CLOSED: "Deze casus is al afgerond.",
    Status.OPEN: "Deze casus is niet afgerond en kan dus niet heropend worden.",
}


def _check_status_change(
    errors: Errors,
    *,
    status: str,
    on: datetime.date | None,
    registered_on: datetime.date,
    current_status: str | None,
    current_since: datetime.date | None,
) -> None:
    """The rules of a status change from the current status (None: none yet, since
    `current_since`) to `status` on date `on`. A refused transition raises at once."""
    if status not in ALLOWED_STATUS_CHANGES[current_status]:
        errors.add(None, _REFUSED[status], code="transition")
        errors.raise_if_any()

    if on is None:
        errors.add("on", "Vul een datum in.", code="required")
    else:
        errors.check_not_in_future("on", on)
        if on < registered_on:
            errors.add(
                "on",
                "De datum mag niet voor de registratiedatum "
                f"({format_date(registered_on)}) liggen.",
                code="before_registration",
            )
        elif current_since and on < current_since:
            errors.add(
                "on",
                "De datum mag niet voor de vorige statuswijziging "
                f"({format_date(current_since)}) liggen.",
                code="before_previous",
            )


def _check_closing_reason(errors: Errors, reason: str) -> None:
    if reason not in ClosingReason.values:
        errors.add("reason", "Kies een reden van afsluiten.", code="required")


def _status_change_changes(
    *, current_status: str | None, status: str, on: datetime.date, closing_reason: str, note: str
) -> dict:
    """The audit content of a status change."""
    return {
        "status": {"oud": current_status, "nieuw": status},
        "datum": on.isoformat(),
        **({"reden": closing_reason} if closing_reason else {}),
        **({"toelichting": MASKED} if note else {}),
    }


def _append_status(
    case: Case,
    *,
    status: str,
    on: datetime.date | None,
    by,
    errors: Errors,
    closing_reason: str = "",
    note: str = "",
) -> StatusChange:
    # Lock the case so that two people closing or reopening at once are serialized.
    case_row = Case.objects.select_for_update().get(pk=case.pk)
    current = case_row.status_changes.current().first()
    current_status = current.status if current else None
    _check_status_change(
        errors,
        status=status,
        on=on,
        registered_on=case_row.registered_on,
        current_status=current_status,
        current_since=current.effective_on if current else None,
    )
    errors.field(StatusChange, "note", note)
    errors.raise_if_any()

    if current:
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    change = StatusChange.objects.create(
        case=case_row,
        status=status,
        effective_on=on,
        closing_reason=closing_reason,
        note=note,
        created_by=by,
    )
    case_row.status = status
    case_row.closed_on = on if status == Status.CLOSED else None
    case_row.save(update_fields=["status", "closed_on", "updated_at"])
    record(
        AuditAction.CLOSE if status == Status.CLOSED else AuditAction.REOPEN,
        by=by,
        obj=change,
        case=case_row,
        changes=_status_change_changes(
            current_status=current_status,
            status=status,
            on=on,
            closing_reason=closing_reason,
            note=note,
        ),
    )
    case_refresh_last_activity(case_row.pk)
    # Keep the caller's instance in step with the database.
    case.status, case.closed_on = case_row.status, case_row.closed_on
    return change


@transaction.atomic
def case_close(
    case: Case, *, on: datetime.date | None, reason: str, by, note: str = ""
) -> StatusChange:
    """Close a case on date `on` for `reason` (a ClosingReason)."""
    errors = Errors()
    _check_closing_reason(errors, reason)
    return _append_status(
        case,
        status=Status.CLOSED,
        on=on,
        by=by,
        errors=errors,
        closing_reason=reason,
        note=note.strip(),
    )


@transaction.atomic
def case_reopen(case: Case, *, on: datetime.date | None, reason: str, by) -> StatusChange:
    """Reopen a closed case from date `on`; `reason` says why, in the user's words."""
    errors = Errors()
    if not reason.strip():
        errors.add("reason", "Geef aan waarom de casus heropend wordt.", code="required")
    return _append_status(
        case, status=Status.OPEN, on=on, by=by, errors=errors, note=reason.strip()
    )
