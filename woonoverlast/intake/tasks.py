"""Celery tasks of the intake: thin, idempotent, by id."""

import smtplib

from celery import shared_task

from woonoverlast.audit.models import AuditRoute
from woonoverlast.audit.recorder import audit_context

from . import services
from .choices import FeedbackKind
from .models import IntakeMelding

_MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    name="intake.inform_reporter",
    acks_late=True,
    autoretry_for=_MAIL_ERRORS,
    retry_backoff=60,
    max_retries=5,
)
def inform_reporter(melding_id: int, kind: str, occasion: int = 0) -> bool:
    """Send one message to the melder of a melding (once per kind and occasion)."""
    with audit_context(route=AuditRoute.JOB):
        return services.reporter_inform(melding_id, kind=kind, occasion=occasion)


@shared_task(name="intake.inform_case_closed", acks_late=True)
def inform_case_closed(case_id: int, status_change_id: int) -> int:
    """A case was closed: each of its melders with an e-mail address is told, once per
    closing (a reopened case that closes again tells them again)."""
    ids = list(
        IntakeMelding.objects.filter(case_id=case_id, anonymised_at__isnull=True)
        .exclude(reporter_email="")
        .values_list("pk", flat=True)
    )
    for melding_id in ids:
        inform_reporter.delay(melding_id, FeedbackKind.CLOSED, status_change_id)
    return len(ids)


@shared_task(name="intake.anonymise", acks_late=True)
def anonymise_intake_meldingen() -> int:
    """Daily: anonymise meldingen past their term. Idempotent."""
    with audit_context(route=AuditRoute.JOB):
        return len(services.intake_meldingen_anonymise())
