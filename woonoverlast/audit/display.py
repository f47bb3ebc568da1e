"""The audit log in words: Dutch field labels, the display values of choices, dd-mm-jjjj
dates, case references and users' full names instead of internal names, codes, ISO dates
and ids. Everything is resolved for a page of events at once: one query per kind of object
referred to, never one per row."""

import datetime
import re
from collections import defaultdict

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .models import _shown

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# Keys services write in Dutch for a field of the object (accounts, status changes).
_ALIASES = {"reden": "closing_reason", "datum": "effective_on"}


def _models_by_verbose_name() -> dict[str, type[models.Model]]:
    return {str(model._meta.verbose_name): model for model in apps.get_models()}


def _field(model, name: str):
    if model is None:
        return None
    for candidate in (name, _ALIASES.get(name)):
        if not candidate:
            continue
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def _date(text: str) -> str:
    try:
        if _ISO_DATE.match(text):
            return datetime.date.fromisoformat(text).strftime("%d-%m-%Y")
        if _ISO_DATETIME.match(text):
            return datetime.datetime.fromisoformat(text).strftime("%d-%m-%Y %H:%M")
    except ValueError:
        pass
    return text


class _Resolver:
    """Turns stored values into display text; ids of related objects are collected first
    (`want`) and fetched in bulk (`fetch`), one query per related model."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], str], str] = {}

    def want(self, field, value) -> None:
        if field is not None and field.is_relation and field.related_model is not None:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, int) and not isinstance(item, bool):
                    self.wanted[field.related_model].add(item)

    def fetch(self) -> None:
        for model, ids in self.wanted.items():
            for obj in model._default_manager.filter(pk__in=ids):
                self.names[(model, str(obj.pk))] = str(obj)

    def value(self, field, value) -> str:
        if isinstance(value, list):
            return ", ".join(self.value(field, item) for item in value) or "—"
        if field is not None:
            if field.choices and not isinstance(value, bool):
                return str(dict(field.flatchoices).get(value, _shown(value)))
            if field.is_relation and field.related_model is not None and value is not None:
                return self.names.get((field.related_model, str(value)), _shown(value))
        if isinstance(value, str):
            return _date(value) or "—"
        return _shown(value)


def _label(field, name: str) -> str:
    label = str(field.verbose_name) if field is not None else name
    return label[:1].upper() + label[1:]


def describe(events) -> list:
    """Set on each event `lines` [(label, text)], `object_label` and `actor_label`; return
    the events. A fixed number of queries for any number of events."""
    events = list(events)
    by_name = _models_by_verbose_name()
    resolver = _Resolver()
    user_model = get_user_model()
    case_model = apps.get_model("cases", "Case")
    for event in events:
        model = by_name.get(event.object_type)
        event._display_model = model
        for name, change in (event.changes or {}).items():
            field = _field(model, name)
            if isinstance(change, dict) and set(change) == {"oud", "nieuw"}:
                resolver.want(field, change["oud"])
                resolver.want(field, change["nieuw"])
            else:
                resolver.want(field, change)
        if model in (user_model, case_model) and event.object_id.isdigit():
            resolver.wanted[model].add(int(event.object_id))
    resolver.fetch()

    for event in events:
        model = event._display_model
        lines = []
        for name, change in (event.changes or {}).items():
            field = _field(model, name)
            if isinstance(change, dict) and set(change) == {"oud", "nieuw"}:
                old, new = (resolver.value(field, change[key]) for key in ("oud", "nieuw"))
                lines.append((_label(field, name), f"{old} → {new}"))
            else:
                lines.append((_label(field, name), resolver.value(field, change)))
        event.lines = lines
        event.object_label = _object_label(event, model, resolver, case_model)
        event.actor_label = str(event.actor) if event.actor_id else event.actor_name
    return events


def _object_label(event, model, resolver, case_model) -> str:
    if not event.object_type:
        return ""
    name = resolver.names.get((model, event.object_id)) if model is not None else None
    if name:
        if model is case_model:
            return f"{event.object_type} {name}"
        return f"{event.object_type}: {name}"
    if event.object_id:
        return f"{event.object_type} (nr. {event.object_id})"
    return event.object_type
