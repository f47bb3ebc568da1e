"""Reads of the heavy reports go to the read replica; everything else to the primary.

Only code that says so reads from the replica: the report views and the export task enter
`use_replica()` (a context manager, also a decorator). The router reads that context from a
contextvar, so nothing else ever reads a replica that may lag behind. Inside it:

- writes always go to the primary, and so does every read inside a transaction;
- the replica is used only while it answers and lags at most REPLICA_MAX_LAG_SECONDS; it is
  checked at most once per REPLICA_CHECK_SECONDS per process (one small query), and when it is
  down or behind the reports read the primary;
- a page never shows data older than its own user's writes: after a request that may have
  written (POST and friends) the session keeps the primary's WAL position
  (`ReadYourWritesMiddleware`), and the replica is used for that session only once it has
  replayed up to there.

Without DATABASE_REPLICA_URL there is no "replica" alias and everything reads the primary.
"""

import contextlib
import contextvars
import functools
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
SESSION_KEY = "_primary_wal_lsn"

# The WAL position a read must see at least (0: any), or None outside use_replica().
_min_lsn: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "replica_min_lsn", default=None
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def _replica_context(min_lsn: int = 0):
    token = _min_lsn.set(min_lsn)
    try:
        yield
    finally:
        _min_lsn.reset(token)


def use_replica(func=None, *, min_lsn: int = 0):
    """Read from the replica (when it is healthy) inside this block or function.

    As a decorator of a view, the request's session decides the minimum WAL position.
    """
    if func is None:
        return _replica_context(min_lsn)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        request = args[0] if args else None
        session = getattr(request, "session", None)
        needed = session.get(SESSION_KEY, 0) if session is not None else 0
        with _replica_context(needed):
            return func(*args, **kwargs)

    return wrapper


# -- the replica's state, checked cheaply --------------------------------------------------


@dataclass(frozen=True)
class ReplicaState:
    up: bool
    lag_seconds: float | None = None
    replay_lsn: int = 0
    checked_at: float = 0.0
    problem: str = ""


_lock = threading.Lock()
_state: ReplicaState | None = None


def parse_lsn(text: str | None) -> int:
    """'16/B374D848' -> an integer that orders as the WAL does."""
    if not text:
        return 0
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


REPLICA_STATE_SQL = """
    SELECT pg_is_in_recovery(),
           pg_last_wal_replay_lsn()::text,
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
           END
"""


def check_replica() -> ReplicaState:
    """Ask the replica how far behind it is (one query). Never raises."""
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(REPLICA_STATE_SQL)
            in_recovery, replay_lsn, lag = cursor.fetchone()
    except DatabaseError as error:
        with contextlib.suppress(DatabaseError):
            connection.close()
        return ReplicaState(up=False, checked_at=time.monotonic(), problem=type(error).__name__)
    now = time.monotonic()
    if not in_recovery:
        # Not a standby (promoted, or pointed at the primary by mistake): all data is there.
        return ReplicaState(up=True, lag_seconds=0.0, replay_lsn=2**63, checked_at=now)
    return ReplicaState(
        up=True, lag_seconds=float(lag), replay_lsn=parse_lsn(replay_lsn), checked_at=now
    )


def replica_state(*, fresh: bool = False) -> ReplicaState:
    """The replica's state, checked at most once per REPLICA_CHECK_SECONDS in this process."""
    global _state
    with _lock:
        state = _state
        if (
            fresh
            or state is None
            or time.monotonic() - state.checked_at >= settings.REPLICA_CHECK_SECONDS
        ):
            state = _state = check_replica()
            if not state.up:
                logger.warning("Replica unavailable (%s); reports read the primary", state.problem)
    return state


def close_replica() -> None:
    """Close this thread's replica connection (checks that run in a helper thread)."""
    if replica_configured():
        connections[REPLICA].close()


def forget_replica_state() -> None:
    global _state
    with _lock:
        _state = None


def replica_usable(min_lsn: int = 0) -> bool:
    if not replica_configured():
        return False
    state = replica_state()
    if state.up and state.replay_lsn < min_lsn:
        # The user wrote after the last check: the replica has most likely replayed it by
        # now (it streams within milliseconds); one fresh look before reading the primary.
        state = replica_state(fresh=True)
    return (
        state.up
        and state.lag_seconds is not None
        and state.lag_seconds <= settings.REPLICA_MAX_LAG_SECONDS
        and state.replay_lsn >= min_lsn
    )


class ReplicaRouter:
    """DATABASE_ROUTERS entry. Decides per query; see the module docstring."""

    def db_for_read(self, model, **hints):
        min_lsn = _min_lsn.get()
        if min_lsn is None or not replica_configured():
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA if replica_usable(min_lsn) else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


# -- read your own writes ------------------------------------------------------------------

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class ReadYourWritesMiddleware:
    """After a request that may have written, keep the primary's WAL position in the session,
    so that this user's next report waits for the replica to have it (or reads the primary)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in SAFE_METHODS
            and replica_configured()
            and hasattr(request, "session")
            and response.status_code < 500
        ):
            position = primary_wal_lsn()
            if position:
                request.session[SESSION_KEY] = position
        return response


def primary_wal_lsn() -> int:
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return parse_lsn(cursor.fetchone()[0])
    except DatabaseError:
        return 0
