"""Refreshing the derived columns once after a batch of writes to the same cases.

`Case.last_activity_on` and `Action.case_open` are recomputed from the history by every service
that writes it (last_activity, open_follow_ups), so refreshing once after several writes gives
the same columns as refreshing after each. A caller that writes a case's whole history in one
go (the demo builder) wraps it in `case_refreshes_batched`: each refresh only notes its case ids,
and the batch refreshes them at its end, in the same transaction. Nothing may read those
columns inside the batch.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_pending: ContextVar[dict[str, set[int]] | None] = ContextVar("case_refreshes", default=None)


def deferred(kind: str, case_ids) -> bool:
    """Inside a batch: note `case_ids` for the refresh of `kind` and say so (True)."""
    pending = _pending.get()
    if pending is None:
        return False
    pending.setdefault(kind, set()).update(case_ids)
    return True


@contextmanager
def case_refreshes_batched() -> Iterator[None]:
    """Defer the refreshes of the writes inside to its end (a nested batch joins the outer
    one). After an exception nothing is refreshed: the transaction is rolled back anyway."""
    if _pending.get() is not None:
        yield
        return
    pending: dict[str, set[int]] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    from .last_activity import case_refresh_last_activity
    from .open_follow_ups import case_refresh_open_actions

    case_refresh_open_actions(*pending.get("open_actions", ()))
    case_refresh_last_activity(*pending.get("last_activity", ()))
