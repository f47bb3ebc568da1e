"""Closing and reopening: the status history of a case.

Every change appends a StatusChange row; the previous row gets the new row's date as its end,
and the case's own `status`/`closed_on` are set to agree with the new latest row.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from woonoverlast.accounts.access import check_case_write
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import MASKED, record
from woonoverlast.common.validation import Errors, format_date

from ..choices import ClosingReason, Status
from ..models import Case, StatusChange
from ..signals import case_closed, case_status_changed
from .figures import case_figures_changed
from .last_activity import case_refresh_last_activity
from .open_cases import open_cases_changed
from .open_follow_ups import case_refresh_open_actions

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
    elif errors.check_case_date("on", on, registered_on) and current_since and on < current_since:
        errors.add(
            "on",
            "De datum mag niet voor de vorige statuswijziging "
            f"({format_date(current_since)}) liggen.",
            code="before_previous",
        )


# The enum's `values` is built anew on every access; the import checks every row.
_CLOSING_REASONS = frozenset(ClosingReason.values)


def _check_closing_reason(errors: Errors, reason: str) -> None:
    if reason not in _CLOSING_REASONS:
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
    check_case_write(case_row, by)
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
    case_refresh_open_actions(case_row.pk)
    case_status_changed.send(sender=Case, case=case_row, by=by)
    # Last: the versions' rows stay locked until the commit, as briefly as possible.
    case_figures_changed()
    open_cases_changed()
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
    change = _append_status(
        case,
        status=Status.CLOSED,
        on=on,
        by=by,
        errors=errors,
        closing_reason=reason,
        note=note.strip(),
    )
    case_closed.send(sender=Case, case=case, status_change=change)
    return change


@transaction.atomic
def case_reopen(case: Case, *, on: datetime.date | None, reason: str, by) -> StatusChange:
    """Reopen a closed case from date `on`; `reason` says why, in the user's words."""
    errors = Errors()
    if not reason.strip():
        errors.add("reason", "Geef aan waarom de casus heropend wordt.", code="required")
    return _append_status(
        case, status=Status.OPEN, on=on, by=by, errors=errors, note=reason.strip()
    )


# -- corrections by a team leader ----------------------------------------------------------
#
# The history is never edited: a correction appends a row that `corrects` the wrong one. The
# wrong row keeps its status, date, reason, note and author, and ends where it starts, so it is
# in effect on no date (the reports' range condition skips it by itself); the row before it
# ends where the correction starts. So the status on every date is right from then on, and a
# frozen Tabel 5.1 (reports.frozen) shows the drift its cells get, as for any late change.


def _check_may_correct_status(by) -> None:
    from woonoverlast.accounts.roles import can_correct_status

    if by is not None and not can_correct_status(by):
        raise PermissionDenied("Alleen een teamleider kan de statusgeschiedenis corrigeren.")


def _latest_two(case_row: Case, errors: Errors) -> tuple[StatusChange, StatusChange]:
    rows = list(case_row.status_changes.in_force().order_by("effective_on", "pk"))
    if len(rows) < 2:
        errors.add(
            None,
            "Deze casus heeft alleen de registratie als status; corrigeer de "
            "registratiedatum bij Gegevens wijzigen.",
            code="nothing_to_correct",
        )
        errors.raise_if_any()
    return rows[-2], rows[-1]


def _check_reason(errors: Errors, reason: str) -> None:
    if not reason.strip():
        errors.add("reason", "Geef de reden van de correctie.", code="required")
    errors.field(StatusChange, "note", reason.strip(), argument="reason")


def _replace_latest(
    case_row: Case,
    *,
    previous: StatusChange,
    latest: StatusChange,
    status: str,
    on: datetime.date,
    closing_reason: str,
    reason: str,
    by,
) -> StatusChange:
    latest.ended_on = latest.effective_on  # in effect on no date any more
    latest.save(update_fields=["ended_on"])
    previous.ended_on = on
    previous.save(update_fields=["ended_on"])
    return StatusChange.objects.create(
        case=case_row,
        status=status,
        effective_on=on,
        closing_reason=closing_reason,
        note=reason.strip(),
        corrects=latest,
        created_by=by,
    )


def _correction_changes(latest: StatusChange, new: StatusChange, what: str) -> dict:
    return {
        "correctie": what,
        "status": {"oud": latest.status, "nieuw": new.status},
        "datum": {"oud": latest.effective_on.isoformat(), "nieuw": new.effective_on.isoformat()},
        "toelichting": MASKED,
    }


@transaction.atomic
def status_date_correct(case: Case, *, on: datetime.date | None, reason: str, by) -> StatusChange:
    """Correct the date of the case's latest status change (a wrong closing or reopening
    date): a team leader only, by appending a correction row."""
    _check_may_correct_status(by)
    case_row = Case.objects.select_for_update().get(pk=case.pk)
    check_case_write(case_row, by)
    errors = Errors()
    previous, latest = _latest_two(case_row, errors)
    _check_reason(errors, reason)
    if on is None:
        errors.add("on", "Vul een datum in.", code="required")
    elif errors.check_case_date("on", on, case_row.registered_on):
        if on < previous.effective_on:
            errors.add(
                "on",
                "De datum mag niet voor de vorige statuswijziging "
                f"({format_date(previous.effective_on)}) liggen.",
                code="before_previous",
            )
        elif on == latest.effective_on:
            errors.add("on", "Dit is al de datum van deze statuswijziging.", code="unchanged")
    errors.raise_if_any()
    new = _replace_latest(
        case_row,
        previous=previous,
        latest=latest,
        status=latest.status,
        on=on,
        closing_reason=latest.closing_reason,
        reason=reason,
        by=by,
    )
    if new.status == Status.CLOSED:
        case_row.closed_on = on
        case_row.save(update_fields=["closed_on", "updated_at"])
    record(
        AuditAction.UPDATE,
        by=by,
        obj=new,
        case=case_row,
        changes=_correction_changes(latest, new, "datum statuswijziging"),
    )
    case_status_changed.send(sender=Case, case=case_row, by=by)
    case_figures_changed()
    case_refresh_last_activity(case_row.pk)
    case.status, case.closed_on = case_row.status, case_row.closed_on
    return new


@transaction.atomic
def status_change_withdraw(case: Case, *, reason: str, by) -> StatusChange:
    """Withdraw the case's latest status change, made in error (closed or reopened by
    mistake): a team leader only. The status before it holds again, without a gap."""
    _check_may_correct_status(by)
    case_row = Case.objects.select_for_update().get(pk=case.pk)
    check_case_write(case_row, by)
    errors = Errors()
    previous, latest = _latest_two(case_row, errors)
    _check_reason(errors, reason)
    errors.raise_if_any()
    new = _replace_latest(
        case_row,
        previous=previous,
        latest=latest,
        status=previous.status,
        on=latest.effective_on,
        closing_reason=previous.closing_reason,
        reason=reason,
        by=by,
    )
    # The previous row now ends where the correction starts, as before: no gap.
    case_row.status = previous.status
    case_row.closed_on = previous.effective_on if previous.status == Status.CLOSED else None
    case_row.save(update_fields=["status", "closed_on", "updated_at"])
    record(
        AuditAction.UPDATE,
        by=by,
        obj=new,
        case=case_row,
        changes=_correction_changes(latest, new, "statuswijziging ingetrokken"),
    )
    case_refresh_last_activity(case_row.pk)
    case_refresh_open_actions(case_row.pk)
    case_status_changed.send(sender=Case, case=case_row, by=by)
    case_figures_changed()
    open_cases_changed()
    case.status, case.closed_on = case_row.status, case_row.closed_on
    return new
