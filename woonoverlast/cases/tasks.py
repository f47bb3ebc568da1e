from celery import shared_task

from woonoverlast.audit.models import AuditRoute
from woonoverlast.audit.recorder import audit_context

from . import services


@shared_task(acks_late=True)
def anonymise_past_retention() -> int:
    """Daily: anonymise cases past the bewaartermijn. Idempotent: done cases are skipped."""
    with audit_context(route=AuditRoute.JOB):
        return len(services.cases_anonymise())
