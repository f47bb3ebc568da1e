"""Celery tasks of termijnbewaking: thin, idempotent, by id and ISO date.

The beat schedule (settings.CELERY_BEAT_SCHEDULE) starts `followups.daily_digest` at 07:00;
it fans out one `followups.user_digest` per recipient. Both are acknowledged late: a worker
that dies halfway leaves the message to be delivered again, which is safe because the
services store and send each digest once (see followups.services).
"""

import datetime
import smtplib
from functools import partial

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import services
from .selection import digest_recipients


@shared_task(name="followups.daily_digest", acks_late=True)
def daily_digest(on: str | None = None) -> int:
    """Queue the digest of every recipient for day `on` (ISO date; default today)."""
    day = datetime.date.fromisoformat(on) if on else timezone.localdate()
    user_ids = list(digest_recipients().values_list("pk", flat=True))
    for user_id in user_ids:
        transaction.on_commit(partial(user_digest.delay, user_id, day.isoformat()))
    return len(user_ids)


@shared_task(
    name="followups.user_digest",
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    max_retries=5,
)
def user_digest(user_id: int, on: str) -> int:
    """Store and e-mail one user's digest of day `on`. Returns the e-mails sent now."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    return services.digest_deliver(user, on=datetime.date.fromisoformat(on)).emailed
