"""/gezondheid/: liveness and readiness for nginx, a load balancer or monitoring.

- `/gezondheid/live/` (liveness): the process answers; it checks nothing else, so a database
  outage never makes a supervisor restart healthy app processes.
- `/gezondheid/` (readiness): the primary database, the broker, the file storage (MEDIA_ROOT:
  there, writable and not full, looked at without writing a file on every call) and, when
  configured, the read replica (django-health-check). 200 `ok` or 503 `niet gereed`.
  A replica that is down or lags is reported but does not make the app unready: the reports
  then read the primary.

The answer says up or down and nothing more (it is public: no versions, host names or error
texts). What failed is logged (logger `health_check`, with the request id), and on the server
`python manage.py health_check gezondheid --no-http` prints every check with its result.
"""

import asyncio
import contextlib
import dataclasses
import logging

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView

from . import db_router

logger = logging.getLogger("health_check")


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker (Redis or RabbitMQ) accepts a connection; OK when tasks run in-process."""

    def run(self):
        from woonoverlast.celery import app

        if app.conf.task_always_eager:
            return
        try:
            with app.connection_for_write(app.conf.broker_url, connect_timeout=3) as connection:
                connection.ensure_connection(max_retries=1, timeout=3)
        except Exception as error:  # kombu raises many kinds; the name is enough for the log
            raise ServiceUnavailable(f"Broker unreachable ({type(error).__name__})") from error


@dataclasses.dataclass
class ReplicaLag(HealthCheck):
    """The read replica answers and lags at most REPLICA_MAX_LAG_SECONDS (a warning if not)."""

    def run(self):
        if not db_router.replica_configured():
            return
        try:
            state = db_router.replica_state(fresh=True)
        finally:
            db_router.close_replica()  # this runs in a helper thread
        if not state.up:
            raise ServiceWarning(f"Replica unavailable ({state.problem})")
        if state.lag_seconds > settings.REPLICA_MAX_LAG_SECONDS:
            raise ServiceWarning(f"Replica lags {state.lag_seconds:.0f} s")


# Free space below which the file storage counts as full.
MIN_FREE_BYTES = 1024 * 1024


@dataclasses.dataclass
class MediaRoot(HealthCheck):
    """MEDIA_ROOT exists, may be written and has room. django-health-check's Storage check
    writes and deletes a file on every call (a probe every few seconds from every balancer);
    asking the file system costs nothing and tells the same. A folder not made yet (a new
    installation before its first export) is made once, as the storage would on its first
    write."""

    def run(self):
        import os
        import shutil

        root = settings.MEDIA_ROOT
        with contextlib.suppress(OSError):
            os.makedirs(root, exist_ok=True)
        if not os.path.isdir(root) or not os.access(root, os.W_OK | os.X_OK):
            raise ServiceUnavailable("MEDIA_ROOT missing or not writable")
        if shutil.disk_usage(root).free < MIN_FREE_BYTES:
            raise ServiceUnavailable("MEDIA_ROOT full")


def is_failure(result) -> bool:
    return result.error is not None and not isinstance(result.error, ServiceWarning)


class Readiness(HealthCheckView):
    checks = (
        ("health_check.checks.Database", {"alias": "default"}),
        "woonoverlast.health.Broker",
        "woonoverlast.health.ReplicaLag",
        "woonoverlast.health.MediaRoot",
    )

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        if any(is_failure(result) for result in results):
            return _answer("niet gereed", status=503)
        return _answer("ok")


def _answer(text: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(f"{text}\n", status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


readiness = Readiness.as_view()


@never_cache
def liveness(request):
    return _answer("ok")
