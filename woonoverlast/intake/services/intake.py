"""Receiving a melding and the three ways out of the intake queue.

Every write here is one service with one transaction; the public form, the intake screens,
the partners' API, the demo loader and the tasks all call these. Messages to the melder go
out after the commit, through a Celery task that takes ids.
"""

import datetime
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from woonoverlast.accounts.access import check_case_write
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import describe_new, record, snapshot
from woonoverlast.cases.choices import MeldingSource, PartyRole
from woonoverlast.cases.models import Case, Category, Partner
from woonoverlast.cases.services import case_register, district_for_postcode, melding_add, party_add
from woonoverlast.cases.validators import normalize_postcode
from woonoverlast.common.validation import Errors

from ..choices import (
    CLOSING_OUTCOMES,
    MELDING_SOURCE,
    FeedbackKind,
    IntakeSource,
    IntakeStatus,
    Outcome,
    TalkedToNeighbour,
)
from ..models import IntakeMelding
from .references import incoming_reference_next

AUDITED_FIELDS = (
    "reference",
    "source",
    "external_reference",
    "talked_to_neighbour",
    *IntakeMelding.PERSONAL_DATA_FIELDS,
)


def _inform_after_commit(melding: IntakeMelding, kind: str, occasion: int = 0) -> None:
    from ..tasks import inform_reporter

    if melding.reporter_email:
        transaction.on_commit(partial(inform_reporter.delay, melding.pk, kind, occasion))


def _existing(*, form_token: str | None, koppeling, external_reference: str):
    if form_token:
        return IntakeMelding.objects.filter(form_token=form_token).first()
    if koppeling is not None and external_reference:
        return IntakeMelding.objects.filter(
            koppeling=koppeling, external_reference=external_reference
        ).first()
    return None


def intake_melding_receive(
    *,
    source: str,
    text: str,
    postcode: str,
    house_number: int | None,
    street: str = "",
    house_number_addition: str = "",
    categories: Iterable[Category] = (),
    since: str = "",
    talked_to_neighbour: str = TalkedToNeighbour.UNKNOWN,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    received_at: datetime.datetime | None = None,
    koppeling=None,
    external_reference: str = "",
    form_token: str | None = None,
    by=None,
) -> tuple[IntakeMelding, bool]:
    """Store a new melding; returns (melding, created).

    The same public form sent twice (its one-time `form_token`) and the same
    `external_reference` sent twice by one koppeling store one melding: the second call
    returns the first melding with created False. A melder with an e-mail address gets a
    confirmation after the commit.
    """
    external_reference = external_reference.strip()
    existing = _existing(
        form_token=form_token, koppeling=koppeling, external_reference=external_reference
    )
    if existing:
        return existing, False
    melding = IntakeMelding(
        reference="-",
        received_at=received_at or timezone.now(),
        source=source,
        koppeling=koppeling,
        external_reference=external_reference,
        form_token=form_token or None,
        street=street.strip(),
        house_number=house_number,
        house_number_addition=house_number_addition.strip().upper(),
        postcode=postcode.strip(),
        text=text.strip(),
        since=since.strip(),
        talked_to_neighbour=talked_to_neighbour,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_email=reporter_email.strip(),
    )
    errors = Errors()
    if not melding.postcode:
        errors.add("postcode", "Vul de postcode in.", code="required")
    else:
        try:
            melding.postcode = normalize_postcode(melding.postcode)
        except ValidationError as error:
            errors.add("postcode", error.messages[0], code="postcode")
    if not house_number:
        errors.add("house_number", "Vul het huisnummer in.", code="required")
    if not melding.text:
        errors.add("text", "Vertel wat er gebeurt.", code="required")
    if source not in IntakeSource.values:
        errors.add("source", "Kies een bron.", code="invalid")
    if melding.reporter_email.rpartition("@")[2].startswith("["):
        # An address literal (a@[127.0.0.1]) is valid to Django's EmailValidator, but a melder
        # has a mail domain; mailing to a literal would let anyone aim our mail server at an
        # address of their choosing, inside the network too.
        errors.add(
            "reporter_email",
            "Vul een e-mailadres met een domeinnaam in, bijvoorbeeld naam@voorbeeld.nl.",
            code="address_literal",
        )
    errors.model(melding, exclude=["reference", "postcode", "koppeling", "text"])
    errors.field(IntakeMelding, "text", melding.text)
    errors.raise_if_any()
    try:
        with transaction.atomic():
            melding.reference = incoming_reference_next(
                timezone.localtime(melding.received_at).year
            )
            melding.save()
            melding.categories.set(categories)
            record(
                AuditAction.CREATE,
                by=by or koppeling,
                obj=melding,
                changes=describe_new(
                    snapshot(melding, AUDITED_FIELDS), private=IntakeMelding.PERSONAL_DATA_FIELDS
                ),
            )
            _inform_after_commit(melding, FeedbackKind.RECEIVED)
    except IntegrityError:
        # The same form or kenmerk, stored by a concurrent request just now.
        existing = _existing(
            form_token=form_token, koppeling=koppeling, external_reference=external_reference
        )
        if existing is None:
            raise
        return existing, False
    return melding, True


def intake_melding_open(melding: IntakeMelding, *, by) -> IntakeMelding:
    """A case worker opens a melding: audited as a read, and nothing else. Looking is no
    decision: a GET (a prefetch, a colleague glancing at it) must not tell the partner that
    sent it that it is being handled; intake_melding_take does that, on request."""
    record(AuditAction.VIEW, by=by, obj=melding, case=melding.case)
    return melding


@transaction.atomic
def intake_melding_take(melding: IntakeMelding, *, by) -> IntakeMelding:
    """A case worker takes a received melding in behandeling (which is what the partner that
    sent it sees). Taking one already in behandeling, or handled, changes nothing."""
    if melding.status == IntakeStatus.RECEIVED:
        updated = IntakeMelding.objects.filter(pk=melding.pk, status=IntakeStatus.RECEIVED).update(
            status=IntakeStatus.IN_PROGRESS
        )
        if updated:
            melding.status = IntakeStatus.IN_PROGRESS
            record(
                AuditAction.UPDATE,
                by=by,
                obj=melding,
                changes={"status": {"oud": "ontvangen", "nieuw": "in_behandeling"}},
            )
    return melding


def _locked_open(melding: IntakeMelding, errors: Errors) -> IntakeMelding:
    """The melding, locked; refused when it was handled already (by someone else)."""
    row = IntakeMelding.objects.select_for_update().get(pk=melding.pk)
    if not row.is_open:
        errors.add(
            None,
            f"Melding {row.reference} is al afgehandeld ({row.get_outcome_display().lower()}).",
            code="handled",
        )
        errors.raise_if_any()
    return row


def _melding_source(melding: IntakeMelding) -> str:
    if melding.source == IntakeSource.FORM and not melding.reporter_name:
        return MeldingSource.ANONYMOUS
    return MELDING_SOURCE[IntakeSource(melding.source)]


def _add_reporter_party(melding: IntakeMelding, case: Case, by) -> None:
    """The melder becomes a party of the case (once), when they left a name."""
    if not melding.reporter_name:
        return
    same = case.parties.filter(role=PartyRole.REPORTER, name__iexact=melding.reporter_name).exists()
    if not same:
        party_add(
            case,
            role=PartyRole.REPORTER,
            name=melding.reporter_name,
            phone=melding.reporter_phone,
            email=melding.reporter_email,
            notes=f"Via melding {melding.reference}.",
            by=by,
        )


def _handled(melding: IntakeMelding, *, outcome: str, by, changes: dict) -> None:
    melding.status = IntakeStatus.HANDLED
    melding.outcome = outcome
    melding.handled_by = by
    melding.handled_at = timezone.now()
    melding.save()
    record(
        AuditAction.UPDATE,
        by=by,
        obj=melding,
        case=melding.case,
        changes={"uitkomst": Outcome(outcome).label, **changes},
    )


@transaction.atomic
def intake_melding_add_to_case(melding: IntakeMelding, *, case: Case | None, by) -> Case:
    """Way out 1: the melding is about a case the team already has. It becomes a melding
    (Melding) of that case with its source, its melder a party; the melder is told."""
    if case is not None:
        check_case_write(case, by)  # first: the closed-case rule (accounts.roles)
    errors = Errors()
    row = _locked_open(melding, errors)
    if case is None:
        errors.add("case", "Kies de casus waar de melding bij hoort.", code="required")
        errors.raise_if_any()
    received_on = min(timezone.localtime(row.received_at).date(), timezone.localdate())
    case_melding = melding_add(
        case, received_on=received_on, source=_melding_source(row), text=row.text, by=by
    )
    _add_reporter_party(row, case, by)
    row.case, row.melding = case, case_melding
    _handled(row, outcome=Outcome.ADDED, by=by, changes={"casus": case.reference})
    _inform_after_commit(row, FeedbackKind.ADDED)
    melding.__dict__.update(row.__dict__)
    return case


@transaction.atomic
def intake_melding_register_case(melding: IntakeMelding, *, by, **facts) -> Case:
    """Way out 2: a new case, registered from the melding (its text the case's first
    melding); `facts` are case_register's arguments as the casemanager completed them. Without
    a wijk, the wijk of the other cases at the postcode (district_for_postcode)."""
    errors = Errors()
    row = _locked_open(melding, errors)
    received_on = min(timezone.localtime(row.received_at).date(), timezone.localdate())
    facts.setdefault("registered_on", timezone.localdate())
    if facts.get("district") is None:
        facts["district"] = district_for_postcode(facts.get("postcode") or row.postcode)
    case = case_register(
        by=by,
        first_melding_text=row.text,
        first_melding_source=_melding_source(row),
        first_melding_on=min(received_on, facts["registered_on"] or received_on),
        **facts,
    )
    _add_reporter_party(row, case, by)
    row.case = case
    row.melding = case.meldingen.order_by("pk").first()
    _handled(row, outcome=Outcome.NEW_CASE, by=by, changes={"casus": case.reference})
    _inform_after_commit(row, FeedbackKind.NEW_CASE)
    melding.__dict__.update(row.__dict__)
    return case


@transaction.atomic
def intake_melding_close(
    melding: IntakeMelding, *, outcome: str, reason: str, by, partner: Partner | None = None
) -> IntakeMelding:
    """Way out 3: no case. `geen_woonoverlast`, or `doorverwezen` to a partner; always with
    a reason (for the team: the melder is not shown it)."""
    errors = Errors()
    row = _locked_open(melding, errors)
    if outcome not in CLOSING_OUTCOMES:
        errors.add("outcome", "Kies geen woonoverlast of doorverwezen.", code="required")
    if outcome == Outcome.REFERRED and partner is None:
        errors.add("partner", "Kies de partner waarnaar u doorverwijst.", code="required")
    if not reason.strip():
        errors.add("reason", "Geef aan waarom.", code="required")
    errors.field(IntakeMelding, "outcome_reason", reason.strip(), argument="reason")
    errors.raise_if_any()
    row.outcome_reason = reason.strip()
    row.partner = partner if outcome == Outcome.REFERRED else None
    _handled(
        row,
        outcome=outcome,
        by=by,
        changes={"toelichting": "(ingevuld)", **({"partner": str(partner)} if row.partner else {})},
    )
    _inform_after_commit(row, FeedbackKind.NOT_TAKEN)
    melding.__dict__.update(row.__dict__)
    return row
