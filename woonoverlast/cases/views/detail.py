"""The case file: facts, parties, meldingen and one timeline of status changes and actions."""

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
from woonoverlast.common.calendar import AtwCalendar
from woonoverlast.common.validation import today

from ..models import Case
from ..sections import CASE_FILE, sections_context
from ..timeline import timeline


def _mark_correctable(user, case: Case, *, may_write: bool) -> None:
    """Set `may_correct` on the case's prefetched parties, meldingen and actions (no query):
    whether this user may edit or withdraw each (accounts.roles.can_correct_entry)."""
    for entry in (*case.parties.all(), *case.meldingen.all(), *case.actions.all()):
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
    # The sections of the apps built on cases: termijnen, maatregelen, documents.
    # One Atw calendar per request: the termijnen and the maatregelen both count with it.
    sections = sections_context(
        CASE_FILE,
        request.user,
        case,
        show_personal_data=show_personal_data,
        today=today(),
        calendar=AtwCalendar.load(),
    )
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
            "show_parties": show_personal_data,
            "show_personal_data": show_personal_data,
            "hide_personal_data": not show_personal_data,
            "can_write": can_write,
            "can_correct_status": (
                can_write and changes_in_force > 1 and can_correct_status(request.user)
            ),
            **sections,
        },
    )
