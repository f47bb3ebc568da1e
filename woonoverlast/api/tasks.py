"""The API's daily job: forget the answers kept for Idempotency-Key once they are no use."""

from celery import shared_task

from . import services


@shared_task(name="api.purge_idempotent_requests", acks_late=True)
def purge_idempotent_requests() -> int:
    """Daily: delete the idempotent answers older than IDEMPOTENCY_HOURS. Idempotent."""
    return services.idempotent_requests_purge()
