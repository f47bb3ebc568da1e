from .roles import (
    Role,
    can_lead_team,
    can_manage_subscriptions,
    can_see_destruction_lists,
    can_view_reports,
    can_work_cases,
    primary_role,
)
from .sessions import seconds_left


def roles(request):
    user = request.user
    role = primary_role(user)
    return {
        "user_role": role,
        "user_role_label": Role(role).label if role else "",
        "can_work_cases": can_work_cases(user),
        "can_lead_team": can_lead_team(user),
        "can_view_reports": can_view_reports(user),
        "can_see_destruction_lists": can_see_destruction_lists(user),
        "can_manage_subscriptions": can_manage_subscriptions(user),
        # For the session warning (base.html, static/js/session-timeout.js).
        "session_seconds_left": seconds_left(request) if user.is_authenticated else None,
    }
