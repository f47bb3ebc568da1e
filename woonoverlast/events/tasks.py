"""Celery tasks of the events: thin, idempotent, by id."""

from celery import shared_task

from . import services


@shared_task(name="events.deliver", acks_late=True)
def deliver(delivery_id: int) -> str:
    """Send one delivery if it is its turn (services.delivery_attempt)."""
    return services.delivery_attempt(delivery_id)


@shared_task(name="events.deliver_due", acks_late=True)
def deliver_due() -> int:
    """Every minute: every delivery whose turn it is — retries after their back-off, and
    those a killed worker left behind."""
    ids = services.deliveries_due()
    for delivery_id in ids:
        # One task each: a subscriber that hangs until the time-out holds up no one else.
        deliver.delay(delivery_id)
    return len(ids)


@shared_task(name="events.purge")
def purge() -> int:
    """Daily: the events delivered long enough ago (services.events_purge). Idempotent."""
    return services.events_purge()
