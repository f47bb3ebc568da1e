"""What happens on a case: meldingen, parties and actions (huisbezoeken included)."""

import datetime

from django.db import transaction

from woonoverlast.accounts.access import check_case_write
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import describe_new, record, snapshot
from woonoverlast.common.validation import Errors

from ..choices import ActionType
from ..models import Action, Case, Melding, Party
from .action_months import action_months_add
from .last_activity import case_refresh_last_activity
from .open_follow_ups import case_refresh_open_actions

# What a user enters for each (the corrections edit the same fields).
PARTY_FIELDS = ("name", "phone", "email", "address", "notes")
MELDING_FIELDS = ("received_on", "source", "text")
ACTION_TEXT_FIELDS = ("notes", "present", "findings")


def _record_new(instance, fields, by) -> None:
    record(
        AuditAction.CREATE,
        by=by,
        obj=instance,
        case=instance.case,
        changes=describe_new(snapshot(instance, fields), private=instance.PERSONAL_DATA_FIELDS),
    )


@transaction.atomic
def melding_add(case: Case, *, received_on: datetime.date, source: str, text: str, by) -> Melding:
    """Add a melding to a case."""
    check_case_write(case, by)
    melding = Melding(case=case, received_on=received_on, source=source, text=text.strip())
    melding.created_by = by
    errors = Errors()
    errors.check_case_date("received_on", received_on, case.registered_on)
    errors.model(melding, exclude=["case", "created_by"])
    errors.raise_if_any()
    melding.save()
    _record_new(melding, MELDING_FIELDS, by)
    return melding


@transaction.atomic
def party_add(
    case: Case,
    *,
    role: str,
    name: str,
    by,
    phone: str = "",
    email: str = "",
    address: str = "",
    notes: str = "",
) -> Party:
    """Add a person involved in a case (melder, veroorzaker or betrokkene)."""
    check_case_write(case, by)
    party = Party(
        case=case,
        created_by=by,
        role=role,
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
        notes=notes.strip(),
    )
    errors = Errors()
    errors.model(party, exclude=["case", "created_by"])
    errors.raise_if_any()
    party.save()
    _record_new(party, ("role", *PARTY_FIELDS), by)
    return party


@transaction.atomic
def action_log(
    case: Case,
    *,
    action_type: str,
    performed_on: datetime.date,
    by,
    performed_by=None,
    notes: str = "",
    follow_up_on: datetime.date | None = None,
    present: str = "",
    findings: str = "",
) -> Action:
    """Log an action on a case. A huisbezoek also records who was present and the findings."""
    check_case_write(case, by)
    action = Action(
        case=case,
        created_by=by,
        action_type=action_type,
        performed_on=performed_on,
        performed_by=performed_by or by,
        notes=notes.strip(),
        follow_up_on=follow_up_on,
        present=present.strip(),
        findings=findings.strip(),
    )
    errors = Errors()
    errors.check_case_date("performed_on", performed_on, case.registered_on)
    if follow_up_on and performed_on and follow_up_on < performed_on:
        errors.add(
            "follow_up_on",
            "De vervolgdatum mag niet voor de datum van de actie liggen.",
            code="before_action",
        )
    if action_type == ActionType.HOME_VISIT:
        if not action.present:
            errors.add("present", "Vul in wie er aanwezig waren.", code="required")
        if not action.findings:
            errors.add("findings", "Vul de bevindingen van het huisbezoek in.", code="required")
    elif action.present or action.findings:
        errors.add(
            None,
            "Aanwezigen en bevindingen horen alleen bij een huisbezoek.",
            code="visit_only",
        )
    errors.model(action, exclude=["case", "performed_by", "created_by"])
    errors.raise_if_any()
    action.save()
    _record_new(
        action,
        (
            "action_type",
            "performed_on",
            "performed_by",
            "follow_up_on",
            *ACTION_TEXT_FIELDS,
        ),
        by,
    )
    case_refresh_last_activity(case.pk)
    # A nazorg action on a closed case: its follow-up asks nothing (querysets.follow_up_pending).
    case_refresh_open_actions(case.pk)
    action_months_add([(action.performed_on, action.action_type, 1)])
    return action
