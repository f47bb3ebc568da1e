"""Termijnen and berichten: the due list, the notifications, marking a follow-up done."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import can_lead_team, can_work_cases
from woonoverlast.cases.models import Action
from woonoverlast.cases.services import followup_complete
from woonoverlast.common.validation import today

from . import services
from .filters import DueFilter
from .models import FollowUpSettings, Notification
from .selection import DueList, due_for_team, due_for_user, team_rows

NOTIFICATIONS_PER_PAGE = 20


def _back(request, default: str):
    """The safe `next` of a POST (a path in this app), or `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@role_required(can_work_cases)
def due_overview(request):
    """Termijnen: what is due on my cases; for a team leader also the team's."""
    config = FollowUpSettings.load()
    if not can_lead_team(request.user):
        due = due_for_user(request.user, config=config)
        return render(request, "followups/due.html", {"due": due, "config": config})
    # The team's page lists its most urgent items and counts the rest in the database; the
    # team leader's own list is selected in full, like a casemanager's.
    team = due_for_team(config=config, limit=DueList.SHOWN)
    team_filter = DueFilter(request.GET or None)
    listed = team
    if team_filter.selected_casemanager is not None:
        listed = due_for_team(
            config=config, limit=DueList.SHOWN, casemanager=team_filter.selected_casemanager
        )
    context = {
        "due": due_for_user(request.user, config=config),
        "config": config,
        "team_due": team_filter.apply(listed),
        "team_filter": team_filter,
        "team_rows": team_rows(team),
    }
    return render(request, "followups/due.html", context)


@role_required(can_work_cases)
def notification_list(request):
    notifications = Notification.objects.for_recipient(request.user)
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "followups/notifications.html",
        {"page": page, "notifications": page.object_list},
    )


@role_required(can_work_cases)
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification, by=request.user)
    return _back(request, "followups:notifications")


@role_required(can_work_cases)
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            "Alle berichten zijn gemarkeerd als gelezen."
            if count > 1
            else "Het bericht is gemarkeerd als gelezen.",
        )
    return _back(request, "followups:notifications")


@role_required(can_work_cases)
@require_POST
def followup_done(request, pk):
    """Mark the follow-up of an action as done today; back to the case file (or `next`)."""
    action = get_object_or_404(Action.objects.select_related("case"), pk=pk)
    try:
        followup_complete(action, on=today(), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"De vervolgactie bij {action.case.reference} "
            f"({action.get_action_type_display().lower()} van "
            f"{action.performed_on:%d-%m-%Y}) is afgehandeld.",
        )
    return _back(request, action.case.get_absolute_url())
