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
from woonoverlast.cases.choices import PartyRole, ReportSource
from woonoverlast.cases.models import Case, Category, Partner
from woonoverlast.cases.services import case_register, district_for_postcode, party_add, report_add
from woonoverlast.cases.validators import normalize_postcode
from woonoverlast.common.validation import Errors

from ..choices import (
    CLOSING_OUTCOMES,
    REPORT_SOURCE,
    FeedbackKind,
    IntakeSource,
    IntakeStatus,
    Outcome,
    TalkedToNeighbour,
)
from ..models import IncomingReport
from .references import incoming_reference_next

AUDITED_FIELDS = (
    "reference",
    "source",
    "external_reference",
    "talked_to_neighbour",
    *IncomingReport.PERSONAL_DATA_FIELDS,
)


def _inform_after_commit(report: IncomingReport, kind: str, occasion: int = 0) -> None:
    from ..tasks import inform_reporter

    if report.reporter_email:
        transaction.on_commit(partial(inform_reporter.delay, report.pk, kind, occasion))


def _existing(*, form_token: str | None, koppeling, external_reference: str):
    if form_token:
        return IncomingReport.objects.filter(form_token=form_token).first()
    if koppeling is not None and external_reference:
        return IncomingReport.objects.filter(
            koppeling=koppeling, external_reference=external_reference
        ).first()
    return None


def incoming_report_receive(
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
) -> tuple[IncomingReport, bool]:
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
    report = IncomingReport(
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
    if not report.postcode:
        errors.add("postcode", "Vul de postcode in.", code="required")
    else:
        try:
            report.postcode = normalize_postcode(report.postcode)
        except ValidationError as error:
            errors.add("postcode", error.messages[0], code="postcode")
    if not house_number:
        errors.add("house_number", "Vul het huisnummer in.", code="required")
    if not report.text:
        errors.add("text", "Vertel wat er gebeurt.", code="required")
    if source not in IntakeSource.values:
        errors.add("source", "Kies een bron.", code="invalid")
    if report.reporter_email.rpartition("@")[2].startswith("["):
        # An address literal (a@[127.0.0.1]) is valid to Django's EmailValidator, but a melder
        # has a mail domain; mailing to a literal would let anyone aim our mail server at an
        # address of their choosing, inside the network too.
        errors.add(
            "reporter_email",
            "Vul een e-mailadres met een domeinnaam in, bijvoorbeeld naam@voorbeeld.nl.",
            code="address_literal",
        )
    errors.model(report, exclude=["reference", "postcode", "koppeling", "text"])
    errors.field(IncomingReport, "text", report.text)
    errors.raise_if_any()
    try:
        with transaction.atomic():
            report.reference = incoming_reference_next(timezone.localtime(report.received_at).year)
            report.save()
            report.categories.set(categories)
            record(
                AuditAction.CREATE,
                by=by or koppeling,
                obj=report,
                changes=describe_new(
                    snapshot(report, AUDITED_FIELDS), private=IncomingReport.PERSONAL_DATA_FIELDS
                ),
            )
            _inform_after_commit(report, FeedbackKind.RECEIVED)
    except IntegrityError:
        # The same form or kenmerk, stored by a concurrent request just now.
        existing = _existing(
            form_token=form_token, koppeling=koppeling, external_reference=external_reference
        )
        if existing is None:
            raise
        return existing, False
    return report, True


def incoming_report_open(report: IncomingReport, *, by) -> IncomingReport:
    """A case worker opens a melding: audited as a read, and nothing else. Looking is no
    decision: a GET (a prefetch, a colleague glancing at it) must not tell the partner that
    sent it that it is being handled; incoming_report_take does that, on request."""
    record(AuditAction.VIEW, by=by, obj=report, case=report.case)
    return report


@transaction.atomic
def incoming_report_take(report: IncomingReport, *, by) -> IncomingReport:
    """A case worker takes a received melding in behandeling (which is what the partner that
    sent it sees). Taking one already in behandeling, or handled, changes nothing."""
    if report.status == IntakeStatus.RECEIVED:
        updated = IncomingReport.objects.filter(pk=report.pk, status=IntakeStatus.RECEIVED).update(
            status=IntakeStatus.IN_PROGRESS
        )
        if updated:
            report.status = IntakeStatus.IN_PROGRESS
            record(
                AuditAction.UPDATE,
                by=by,
                obj=report,
                changes={"status": {"oud": "ontvangen", "nieuw": "in_behandeling"}},
            )
    return report


def _locked_open(report: IncomingReport, errors: Errors) -> IncomingReport:
    """The melding, locked; refused when it was handled already (by someone else)."""
    row = IncomingReport.objects.select_for_update().get(pk=report.pk)
    if not row.is_open:
        errors.add(
            None,
            f"Melding {row.reference} is al afgehandeld ({row.get_outcome_display().lower()}).",
            code="handled",
        )
        errors.raise_if_any()
    return row


def _report_source(report: IncomingReport) -> str:
    if report.source == IntakeSource.FORM and not report.reporter_name:
        return ReportSource.ANONYMOUS
    return REPORT_SOURCE[IntakeSource(report.source)]


def _add_reporter_party(report: IncomingReport, case: Case, by) -> None:
    """The melder becomes a party of the case (once), when they left a name."""
    if not report.reporter_name:
        return
    same = case.parties.filter(role=PartyRole.REPORTER, name__iexact=report.reporter_name).exists()
    if not same:
        party_add(
            case,
            role=PartyRole.REPORTER,
            name=report.reporter_name,
            phone=report.reporter_phone,
            email=report.reporter_email,
            notes=f"Via melding {report.reference}.",
            by=by,
        )


def _handled(report: IncomingReport, *, outcome: str, by, changes: dict) -> None:
    report.status = IntakeStatus.HANDLED
    report.outcome = outcome
    report.handled_by = by
    report.handled_at = timezone.now()
    report.save()
    record(
        AuditAction.UPDATE,
        by=by,
        obj=report,
        case=report.case,
        changes={"uitkomst": Outcome(outcome).label, **changes},
    )


@transaction.atomic
def incoming_report_add_to_case(report: IncomingReport, *, case: Case | None, by) -> Case:
    """Way out 1: the melding is about a case the team already has. It becomes a melding
    (Report) of that case with its source, its melder a party; the melder is told."""
    if case is not None:
        check_case_write(case, by)  # first: the closed-case rule (accounts.roles)
    errors = Errors()
    row = _locked_open(report, errors)
    if case is None:
        errors.add("case", "Kies de casus waar de melding bij hoort.", code="required")
        errors.raise_if_any()
    received_on = min(timezone.localtime(row.received_at).date(), timezone.localdate())
    case_report = report_add(
        case, received_on=received_on, source=_report_source(row), text=row.text, by=by
    )
    _add_reporter_party(row, case, by)
    row.case, row.report = case, case_report
    _handled(row, outcome=Outcome.ADDED, by=by, changes={"casus": case.reference})
    _inform_after_commit(row, FeedbackKind.ADDED)
    report.__dict__.update(row.__dict__)
    return case


@transaction.atomic
def incoming_report_register_case(report: IncomingReport, *, by, **facts) -> Case:
    """Way out 2: a new case, registered from the melding (its text the case's first
    melding); `facts` are case_register's arguments as the casemanager completed them. Without
    a wijk, the wijk of the other cases at the postcode (district_for_postcode)."""
    errors = Errors()
    row = _locked_open(report, errors)
    received_on = min(timezone.localtime(row.received_at).date(), timezone.localdate())
    facts.setdefault("registered_on", timezone.localdate())
    if facts.get("district") is None:
        facts["district"] = district_for_postcode(facts.get("postcode") or row.postcode)
    case = case_register(
        by=by,
        first_report_text=row.text,
        first_report_source=_report_source(row),
        first_report_on=min(received_on, facts["registered_on"] or received_on),
        **facts,
    )
    _add_reporter_party(row, case, by)
    row.case = case
    row.report = case.reports.order_by("pk").first()
    _handled(row, outcome=Outcome.NEW_CASE, by=by, changes={"casus": case.reference})
    _inform_after_commit(row, FeedbackKind.NEW_CASE)
    report.__dict__.update(row.__dict__)
    return case


@transaction.atomic
def incoming_report_close(
    report: IncomingReport, *, outcome: str, reason: str, by, partner: Partner | None = None
) -> IncomingReport:
    """Way out 3: no case. `geen_woonoverlast`, or `doorverwezen` to a partner; always with
    a reason (for the team: the melder is not shown it)."""
    errors = Errors()
    row = _locked_open(report, errors)
    if outcome not in CLOSING_OUTCOMES:
        errors.add("outcome", "Kies geen woonoverlast of doorverwezen.", code="required")
    if outcome == Outcome.REFERRED and partner is None:
        errors.add("partner", "Kies de partner waarnaar u doorverwijst.", code="required")
    if not reason.strip():
        errors.add("reason", "Geef aan waarom.", code="required")
    errors.field(IncomingReport, "outcome_reason", reason.strip(), argument="reason")
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
    report.__dict__.update(row.__dict__)
    return row
