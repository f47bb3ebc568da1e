from celery import shared_task

from woonoverlast.audit.models import AuditRoute
from woonoverlast.audit.recorder import audit_context

from . import services


@shared_task(acks_late=True)
def anonymise_past_retention() -> int:
    """Kept for a beat schedule of an older release: it no longer blanks anything (nothing
    is destroyed before the archiefactiedatum, Archiefwet 1995 art. 3 and 5; destruction goes
    by the archiving app's approved vernietigingslijst). Returns the number of cases past the
    working term, which the screens leave out of searches and lists."""
    with audit_context(route=AuditRoute.JOB):
        return services.cases_past_retention().count()
