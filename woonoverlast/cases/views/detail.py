"""The case file: facts, parties, meldingen and one timeline of status changes and actions."""

import datetime
from dataclasses import dataclass

from django.shortcuts import get_object_or_404, render

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import (
    can_correct_entry,
    can_correct_status,
    can_see_case_data,
    can_work_cases,
    can_write_case,
)
from woonoverlast.audit.recorder import record_view
from woonoverlast.common.validation import today
from woonoverlast.documents.models import Document
from woonoverlast.followups.selection import due_for_case
from woonoverlast.measures.presentation import measure_cards

from ..choices import Status
from ..models import Action, Case, StatusChange


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


def _mark_correctable(user, case: Case, *, may_write: bool) -> None:
    """Set `may_correct` on the case's prefetched parties, meldingen and actions (no query):
    whether this user may edit or withdraw each (accounts.roles.can_correct_entry)."""
    for entry in (*case.parties.all(), *case.reports.all(), *case.actions.all()):
        entry.may_correct = can_correct_entry(user, entry, may_write=may_write)


@role_required(can_work_cases)
def case_detail(request, reference):
    case = get_object_or_404(Case.objects.for_file(), reference=reference)
    # One rule for all personal data of the case (accounts.roles): the address, description,
    # melding texts, notes and parties; whoever may see them may also write to the case.
    show_personal_data = can_see_case_data(request.user, case)
    can_write = show_personal_data and can_write_case(request.user, case)
    _mark_correctable(request.user, case, may_write=can_write)
    record_view(request, case, with_parties=show_personal_data)
    documents = Document.objects.for_case_file(case, request.user, can_see=show_personal_data)
    entries = timeline(case)
    # A status correction needs a change after the registration (services.status).
    changes_in_force = sum(
        1 for entry in entries if entry.kind == "status" and not entry.item.replaced
    )
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "timeline": entries,
            "case_due": due_for_case(case),
            "show_parties": show_personal_data,
            "documents": documents,
            "show_personal_data": show_personal_data,
            "hide_personal_data": not show_personal_data,
            "can_write": can_write,
            "can_correct_status": (
                can_write and changes_in_force > 1 and can_correct_status(request.user)
            ),
            "measure_cards": measure_cards(case, user=request.user, today=today()),
        },
    )
