"""RabbitMQ as the broker: a real Celery worker takes an export from RabbitMQ and finishes it.

The counterpart of tests/test_followups_worker.py (Redis). Runs where RabbitMQ answers on
RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672//, as on the CI machine) and the tests
run on PostgreSQL; skipped with the reason elsewhere. The app's settings are used as they
are, with the broker swapped, on a queue of this test's own.
"""

import os
import time

import pytest
from celery import Celery
from django.db import connection, connections

from reports.models import ExportJob
from tests.factories import rapportage

pytestmark = pytest.mark.rabbitmq

RABBITMQ_URL = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")
WAIT_SECONDS = 30


@pytest.fixture
def rabbitmq_app():
    from kombu import Connection

    try:
        with Connection(RABBITMQ_URL, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as error:
        pytest.skip(f"RabbitMQ at {RABBITMQ_URL} is not reachable: {error}")
    app = Celery("woonoverlast-rabbitmq-test")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=RABBITMQ_URL,
        task_always_eager=False,
        task_default_queue=f"woonoverlast-test-rabbitmq-{os.getpid()}",
    )
    app.loader.import_default_modules()
    import reports.tasks  # noqa: F401  (registers reports.run_export on every app)

    yield app
    app.close()


@pytest.fixture
def worker_closes_its_connection():
    from celery.signals import task_postrun

    def close(**kwargs):
        connections.close_all()

    task_postrun.connect(close, weak=False)
    yield
    task_postrun.disconnect(close)


# On SQLite the worker's thread and the test's share one in-memory database, whose shared cache
# locks whole tables: a read by the test while the worker writes fails the task at once with
# "database table is locked" (SQLITE_LOCKED, which no busy timeout waits out). Seen once in a
# CI rehearsal; the PostgreSQL pass (.ci/run) runs it.
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="a worker thread beside the test on SQLite's shared in-memory database races for "
    "table locks; the PostgreSQL pass runs this test",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_runs_an_export_from_rabbitmq(
    rabbitmq_app, worker_closes_its_connection, settings, tmp_path
):
    from celery.contrib.testing.worker import start_worker

    settings.MEDIA_ROOT = str(tmp_path)
    job = ExportJob.objects.create(
        requested_by=rapportage(), year_from=2022, year_to=2023, file_format="csv"
    )
    assert rabbitmq_app.conf.task_acks_late  # a worker that dies leaves the task queued

    with start_worker(rabbitmq_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        rabbitmq_app.send_task("reports.run_export", args=[job.pk])
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state == ExportJob.State.DONE:
                break
            time.sleep(0.2)

    assert job.state == ExportJob.State.DONE
    assert job.file and (tmp_path / job.file.name).stat().st_size > 0
