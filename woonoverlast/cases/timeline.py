"""The case's timeline: its status changes and actions as one list, the newest first. Read by
the case file (views.detail) and the dossier PDF (documents.services.pdf)."""

import datetime
from dataclasses import dataclass

from .choices import Status
from .models import Action, Case, StatusChange


@dataclass(frozen=True)
class TimelineEntry:
    on: datetime.date
    kind: str  # "status" or "action"
    item: StatusChange | Action
    title: str

    @property
    def sort_key(self):
        return (self.on, self.item.created_at, self.kind == "action", self.item.pk)


def _status_title(row: StatusChange, *, first: bool) -> str:
    if row.status == Status.CLOSED:
        title = f"Afgerond: {row.get_closing_reason_display().lower()}"
    else:
        title = "Geregistreerd" if first else "Heropend"
    return f"Correctie: {title[0].lower()}{title[1:]}" if row.corrects_id else title


def timeline(case: Case) -> list[TimelineEntry]:
    """Status changes and actions of a prefetched case, the newest first. A status row that a
    correction replaced, and a withdrawn action, stay on it (marked by the template)."""
    entries = []
    rows = sorted(case.status_changes.all(), key=lambda row: (row.effective_on, row.pk))
    replaced = {row.corrects_id for row in rows if row.corrects_id}
    first_in_force = next((row for row in rows if row.pk not in replaced), None)
    for row in rows:
        row.replaced = row.pk in replaced
        title = _status_title(row, first=row is first_in_force)
        entries.append(TimelineEntry(row.effective_on, "status", row, title))
    entries += [
        TimelineEntry(action.performed_on, "action", action, action.get_action_type_display())
        for action in case.actions.all()
    ]
    return sorted(entries, key=lambda entry: entry.sort_key, reverse=True)
