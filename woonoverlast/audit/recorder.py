"""Writing the audit log. Services, views and jobs call `record`; the route (screen, admin,
import, background job, command line) comes from the context the caller runs in.
"""

import contextlib
import datetime
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from django.dispatch import Signal

from woonoverlast.bulk import insert_many, insert_rows

from .models import AuditAction, AuditEvent, AuditRoute

# Sent by `record` inside the caller's transaction, once the event is written: action=, obj=,
# case=, changes=. The events app turns the changes other systems hear of into notifications
# (woonoverlast.events.outbox.AUDIT_EVENTS), so every service's transaction holds its event.
audit_recorded = Signal()


@dataclass(frozen=True)
class _Context:
    route: str = AuditRoute.COMMAND
    ip_address: str | None = None
    path: str = ""


_DEFAULT_CONTEXT = _Context()  # frozen, so sharing it as the default is safe
_context: ContextVar[_Context] = ContextVar("audit_context", default=_DEFAULT_CONTEXT)


@contextlib.contextmanager
def audit_context(*, route: str, ip_address: str | None = None, path: str = ""):
    """Everything recorded inside is attributed to this route (and request)."""
    token = _context.set(_Context(route=route, ip_address=ip_address, path=path[:300]))
    try:
        yield
    finally:
        _context.reset(token)


def record(
    action: str,
    *,
    by=None,
    obj: models.Model | None = None,
    case=None,
    changes: dict | None = None,
    actor_name: str = "",
) -> AuditEvent:
    event = audit_event(action, by=by, obj=obj, case=case, changes=changes, actor_name=actor_name)
    event.save(force_insert=True)
    audit_recorded.send(sender=AuditEvent, action=action, obj=obj, case=case, changes=changes)
    return event


def record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Write events made with audit_event in one go: bulk writes do not escape the log."""
    insert_many(AuditEvent, events)
    return events


def record_rows(rows: Iterable[dict], *, count: int | None = None) -> None:
    """Write events made with audit_row in one go (`rows` as bulk.insert_rows takes them:
    with `count`, a generator whose events are sent as they are made)."""
    insert_rows(AuditEvent, rows, count=count)


def audit_event(
    action: str,
    *,
    by=None,
    obj: models.Model | None = None,
    case=None,
    changes: dict | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """The unsaved event `record` writes, in the current context (route, request)."""
    actor = by if by is not None and by.is_authenticated else None
    return AuditEvent(
        actor=actor,
        case=case,
        **_event_values(
            action,
            actor=actor,
            object_type=obj._meta.verbose_name if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            changes=changes,
            actor_name=actor_name,
        ),
    )


def audit_row(
    action: str,
    *,
    by=None,
    model: type[models.Model] | None = None,
    object_id=None,
    case_id: int | None = None,
    changes: dict | None = None,
    actor_name: str = "",
) -> dict:
    """The values of the event `audit_event` makes, as a row for woonoverlast.bulk.insert_rows:
    the bulk import writes hundreds of thousands of them without a model instance each."""
    actor = by if by is not None and by.is_authenticated else None
    return {
        "actor_id": actor.pk if actor else None,
        "case_id": case_id,
        **_event_values(
            action,
            actor=actor,
            object_type=model._meta.verbose_name if model is not None else "",
            object_id=str(object_id) if object_id is not None else "",
            changes=changes,
            actor_name=actor_name,
        ),
    }


def audit_row_maker(action: str, *, by=None, model: type[models.Model] | None = None):
    """`audit_row` for many events of one action, actor and model (the bulk import): the
    values they share (the actor, the route and request of the current context, the
    object type) made once. The maker takes object_id=, case_id= and changes= and returns
    the row `audit_row` would."""
    shared = audit_row(action, by=by, model=model)

    def make(*, object_id, case_id: int | None, changes: dict | None) -> dict:
        row = shared.copy()
        row["case_id"] = case_id
        row["object_id"] = str(object_id) if object_id is not None else ""
        row["changes"] = changes or {}
        return row

    return make


OBJECT_TYPE_LENGTH = AuditEvent._meta.get_field("object_type").max_length


def _event_values(
    action: str, *, actor, object_type: str, object_id: str, changes, actor_name: str
) -> dict:
    context = _context.get()
    return {
        "actor_name": actor_name or (actor.get_username() if actor else ""),
        "action": action,
        "route": context.route,
        # A model's name as the column holds it (some Dutch names are longer, e.g.
        # "gelijkgestelde dag (Algemene termijnenwet)"): an audit event is never refused.
        "object_type": str(object_type)[:OBJECT_TYPE_LENGTH],
        "object_id": object_id,
        "changes": changes or {},
        "path": context.path,
        "ip_address": context.ip_address,
    }


def record_view(request, case, *, with_parties: bool, page: str = "") -> AuditEvent:
    """A case file (and whether its parties' personal data) was shown to the user; `page`
    names another page of the case that shows personal data (a form with its address)."""
    changes = {"betrokkenen getoond": with_parties}
    if page:
        changes["pagina"] = page
    return record(AuditAction.VIEW, by=request.user, obj=case, case=case, changes=changes)


def record_list_view(request, *, page: str, references: list[str]) -> AuditEvent | None:
    """A list showed the addresses of these cases (by reference, never the values); nothing
    when it showed none."""
    if not references:
        return None
    return record(
        AuditAction.VIEW,
        by=request.user,
        changes={"pagina": page, "adressen getoond": sorted(references)},
    )


# -- describing changes ----------------------------------------------------------------------

MASKED = "(gewijzigd)"


# Built once: a union written inside isinstance() is built anew on every call, which the
# bulk import pays about ten times per case.
_AS_IS = bool | int | float | str
_COLLECTIONS = list | tuple | set


def _plain(value):
    if value is None or isinstance(value, _AS_IS):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, _COLLECTIONS):
        return sorted(_plain(item) for item in value)
    return str(value)


def snapshot(instance: models.Model, fields, m2m=()) -> dict:
    """The values of `fields` (and names in the m2m relations) as plain, loggable data."""
    values = {name: getattr(instance, name) for name in fields}
    for name in m2m:
        values[name] = [str(item) for item in getattr(instance, name).all()]
    return values


def describe_changes(before: dict, after: dict, *, private=()) -> dict:
    """{field: {"oud": ..., "nieuw": ...}} for the fields that differ.

    Personal-data fields (`private`) show only that they changed, never their values.
    """
    changes = {}
    for name in after:
        old, new = _plain(before.get(name)), _plain(after[name])
        if old == new:
            continue
        if name in private:
            changes[name] = MASKED
        else:
            changes[name] = {"oud": old, "nieuw": new}
    return changes


def describe_new(values: dict, *, private=()) -> dict:
    """The values of a new object; personal-data fields only say whether they were filled."""
    return {
        name: ("(ingevuld)" if value not in ("", None) else "")
        if name in private
        else _plain(value)
        for name, value in values.items()
    }
