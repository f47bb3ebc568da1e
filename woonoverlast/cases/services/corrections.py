"""Corrections: editing a party, melding or action after it was saved, and withdrawing one
entered in error ("ingetrokken: verkeerd vastgelegd"). Nothing is deleted.

Who may: its author or a team leader, on a case they may write to (accounts.roles.
can_correct_entry; the closed-case rule holds). The rules of creating hold for editing too
(dates not before registration nor in the future, a huisbezoek's fields). The audit log keeps
the old and new values of the facts (dates, kinds, roles) and, as everywhere, only *that* a
personal-data field changed (docs/privacy.md); the entry itself records the last correction's
date and author for the timeline. Status corrections are in services.status.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from woonoverlast.accounts.roles import can_correct_entry
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import MASKED, describe_changes, record, snapshot
from woonoverlast.common.validation import Errors

from ..choices import ActionType
from ..models import Action, Melding, Party
from .action_months import action_months_add
from .activity import ACTION_TEXT_FIELDS, MELDING_FIELDS, PARTY_FIELDS
from .last_activity import case_refresh_last_activity

WITHDRAWN_LABEL = "Ingetrokken: verkeerd vastgelegd"


def _lock(entry):
    """The entry's row, locked, with its case; refused when `by` may not correct it."""
    return type(entry).objects.select_for_update().select_related("case").get(pk=entry.pk)


def _check_may_correct(row, by) -> None:
    if by is not None and not can_correct_entry(by, row):
        raise PermissionDenied("Alleen wie dit vastlegde of een teamleider kan dit corrigeren.")


def _check_not_withdrawn(errors: Errors, row) -> None:
    if row.is_withdrawn:
        errors.add(None, "Dit is ingetrokken en kan niet meer gewijzigd worden.", code="withdrawn")
        errors.raise_if_any()


def _save_correction(row, *, fields, before: dict, by, errors: Errors, exclude=()) -> None:
    errors.model(row, exclude=["case", "created_by", "performed_by", *exclude])
    errors.raise_if_any()
    changes = describe_changes(before, snapshot(row, fields), private=row.PERSONAL_DATA_FIELDS)
    if not changes:
        return
    row.corrected_at = timezone.now()
    row.corrected_by = by
    row.save()
    record(AuditAction.UPDATE, by=by, obj=row, case=row.case, changes=changes)


def _apply(row, values: dict) -> None:
    for name, value in values.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def party_correct(
    party: Party,
    *,
    by,
    role: str,
    name: str,
    phone: str = "",
    email: str = "",
    address: str = "",
    notes: str = "",
) -> Party:
    """Correct a party's details (a mistyped phone number, the wrong role)."""
    row = _lock(party)
    _check_may_correct(row, by)
    errors = Errors()
    _check_not_withdrawn(errors, row)
    fields = ("role", *PARTY_FIELDS)
    before = snapshot(row, fields)
    _apply(row, {"role": role, "name": name, "phone": phone, "email": email})
    _apply(row, {"address": address, "notes": notes})
    _save_correction(row, fields=fields, before=before, by=by, errors=errors)
    return row


@transaction.atomic
def melding_correct(
    melding: Melding, *, by, received_on: datetime.date, source: str, text: str
) -> Melding:
    """Correct a melding (its date, source or text)."""
    row = _lock(melding)
    _check_may_correct(row, by)
    errors = Errors()
    _check_not_withdrawn(errors, row)
    before = snapshot(row, MELDING_FIELDS)
    _apply(row, {"received_on": received_on, "source": source, "text": text})
    errors.check_case_date("received_on", received_on, row.case.registered_on)
    _save_correction(row, fields=MELDING_FIELDS, before=before, by=by, errors=errors)
    return row


@transaction.atomic
def action_correct(
    action: Action,
    *,
    by,
    performed_on: datetime.date,
    action_type: str | None = None,
    notes: str = "",
    follow_up_on: datetime.date | None = None,
    present: str = "",
    findings: str = "",
) -> Action:
    """Correct an action or huisbezoek. Its kind stays a huisbezoek or not a huisbezoek (the
    forms differ); withdraw it and log it again to change that."""
    row = _lock(action)
    _check_may_correct(row, by)
    errors = Errors()
    _check_not_withdrawn(errors, row)
    fields = ("action_type", "performed_on", "follow_up_on", *ACTION_TEXT_FIELDS)
    before = snapshot(row, fields)
    counted_as = (row.performed_on, row.action_type)
    is_visit = row.action_type == ActionType.HOME_VISIT
    new_type = action_type or row.action_type
    if (new_type == ActionType.HOME_VISIT) != is_visit:
        errors.add("action_type", "Een huisbezoek blijft een huisbezoek.", code="kind")
    _apply(row, {"action_type": new_type, "performed_on": performed_on, "notes": notes})
    _apply(row, {"follow_up_on": follow_up_on, "present": present, "findings": findings})
    errors.check_case_date("performed_on", performed_on, row.case.registered_on)
    if follow_up_on and performed_on and follow_up_on < performed_on:
        errors.add(
            "follow_up_on",
            "De vervolgdatum mag niet voor de datum van de actie liggen.",
            code="before_action",
        )
    if is_visit:
        if not row.present:
            errors.add("present", "Vul in wie er aanwezig waren.", code="required")
        if not row.findings:
            errors.add("findings", "Vul de bevindingen van het huisbezoek in.", code="required")
    _save_correction(row, fields=fields, before=before, by=by, errors=errors)
    case_refresh_last_activity(row.case_id)
    action_months_add([(*counted_as, -1), (row.performed_on, row.action_type, 1)])
    return row


@transaction.atomic
def entry_withdraw(entry: Party | Melding | Action, *, reason: str, by):
    """Withdraw a party, melding or action entered in error: it stays (struck through, with
    the reason) but no count, follow-up or computation uses it any more."""
    row = _lock(entry)
    _check_may_correct(row, by)
    errors = Errors()
    _check_not_withdrawn(errors, row)
    if not reason.strip():
        errors.add("reason", "Geef aan waarom dit wordt ingetrokken.", code="required")
    errors.field(type(row), "withdrawal_reason", reason.strip(), argument="reason")
    errors.raise_if_any()
    row.withdrawn_at = timezone.now()
    row.withdrawn_by = by
    row.withdrawal_reason = reason.strip()
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    record(
        AuditAction.UPDATE,
        by=by,
        obj=row,
        case=row.case,
        changes={"ingetrokken": WITHDRAWN_LABEL.split(": ", 1)[1], "reden": MASKED},
    )
    if isinstance(row, Action):
        case_refresh_last_activity(row.case_id)
        action_months_add([(row.performed_on, row.action_type, -1)])
    return row
