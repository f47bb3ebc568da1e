"""Background jobs of archiving: thin, taking ids, idempotent; they call the services."""

from celery import shared_task

from woonoverlast.audit.models import AuditRoute
from woonoverlast.audit.recorder import audit_context

from . import services


@shared_task(name="archiving.propose_lists", acks_late=True)
def propose_lists() -> list[int]:
    """Monthly: give closed cases without archive data theirs, then propose the
    vernietigingslijsten (cases; log-in events). Nothing is destroyed here."""
    with audit_context(route=AuditRoute.JOB):
        services.cases_archive_backfill()
        made = [services.destruction_list_propose(), services.login_events_list_propose()]
    return [destruction_list.pk for destruction_list in made if destruction_list]


@shared_task(name="archiving.destroy_list", acks_late=True)
def destroy_list(destruction_list_id: int) -> int:
    """After the archivaris's approval: destroy what the list holds. Idempotent."""
    with audit_context(route=AuditRoute.JOB):
        return services.destruction_list_execute(destruction_list_id).pk
