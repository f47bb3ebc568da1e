"""One integration test: a real Celery worker against the machine's Redis delivers a digest.

Runs where CELERY_BROKER_URL names a reachable Redis (`.ci/run`'s second pass does:
redis://127.0.0.1:6379/0); skipped with the reason elsewhere.

The worker runs in a thread of this process with its own database connection, so the test
data must be committed for it to see (`transaction=True`); `serialized_rollback` puts the
reference data of the migrations (wijken, groups) back after the flush that follows.
"""

import datetime
import time

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.utils import timezone

from tests.factories import CaseFactory, action, casemanager
from woonoverlast import celery_app
from woonoverlast.followups import tasks
from woonoverlast.followups.models import Notification, NotificationKind

pytestmark = pytest.mark.redis

WAIT_SECONDS = 30


@pytest.fixture
def broker_url():
    url = settings.CELERY_BROKER_URL
    if not url:
        pytest.skip(
            "No CELERY_BROKER_URL configured (tasks run in-process); .ci/run runs this with "
            "CELERY_BROKER_URL=redis://127.0.0.1:6379/0"
        )
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except (redis.exceptions.RedisError, OSError) as error:
        pytest.skip(f"Redis at {url} is not reachable: {error}")
    return url


@pytest.fixture
def worker_closes_its_connection():
    """The worker thread keeps its database connection (CONN_MAX_AGE); close it after each
    task so that the test database can be flushed and dropped."""
    from celery.signals import task_postrun

    def close(**kwargs):
        connections.close_all()

    task_postrun.connect(close, weak=False)
    yield
    task_postrun.disconnect(close)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_delivers_the_daily_digest(broker_url, worker_closes_its_connection):
    from celery.contrib.testing.worker import start_worker

    today = timezone.localdate()
    sanne = casemanager(first_name="Sanne", last_name="de Vries")
    kase = CaseFactory(registered_on=today - datetime.timedelta(days=20), casemanager=sanne)
    action(
        kase,
        performed_on=today - datetime.timedelta(days=5),
        follow_up_on=today - datetime.timedelta(days=1),
    )
    assert not celery_app.conf.task_always_eager
    mail.outbox = []
    celery_app.control.purge()  # messages left by an earlier, interrupted run

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        # As the beat job does: the fan-out task, then one task per user, through Redis.
        tasks.daily_digest.delay(today.isoformat())
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and not (
            mail.outbox and Notification.objects.filter(recipient=sanne).exists()
        ):
            time.sleep(0.2)

    digest = Notification.objects.get(recipient=sanne)
    assert (digest.kind, digest.digest_on) == (NotificationKind.DIGEST, today)
    assert digest.emailed_at is not None
    assert kase.reference in digest.body
    assert [message.to for message in mail.outbox] == [[sanne.email]]
