"""The case file: facts, parties, meldingen and one timeline of status changes and actions."""

import datetime
from dataclasses import dataclass

from django.shortcuts import get_object_or_404, render

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import can_see_parties, can_work_cases
from woonoverlast.audit.recorder import record_view
from woonoverlast.followups.selection import due_for_case
from woonoverlast.measures.presentation import measure_cards

from ..choices import Status
from ..models import Action, Case, StatusChange
from ..services.validation import today


@dataclass(frozen=True)
class TimelineEntry:
    on: datetime.date
    kind: str  # "status" or "action"
    item: StatusChange | Action
    title: str

    @property
    def sort_key(self):
        return (self.on, self.item.created_at, self.kind == "action", self.item.pk)


def timeline(case: Case) -> list[TimelineEntry]:
    """Status changes and actions of a prefetched case, the newest first."""
    entries = []
    rows = sorted(case.status_changes.all(), key=lambda row: (row.effective_on, row.pk))
    for index, row in enumerate(rows):
        if row.status == Status.CLOSED:
            title = f"Afgerond: {row.get_closing_reason_display().lower()}"
        else:
            title = "Geregistreerd" if index == 0 else "Heropend"
        entries.append(TimelineEntry(row.effective_on, "status", row, title))
    entries += [
        TimelineEntry(action.performed_on, "action", action, action.get_action_type_display())
        for action in case.actions.all()
    ]
    return sorted(entries, key=lambda entry: entry.sort_key, reverse=True)


@role_required(can_work_cases)
def case_detail(request, reference):
    case = get_object_or_404(Case.objects.for_file(), reference=reference)
    show_parties = can_see_parties(request.user, case)
    record_view(request, case, with_parties=show_parties)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "timeline": timeline(case),
            "case_due": due_for_case(case),
            "show_parties": show_parties,
            "measure_cards": measure_cards(case, user=request.user, today=today()),
        },
    )
