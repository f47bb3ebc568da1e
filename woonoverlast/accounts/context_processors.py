from .roles import can_lead_team, can_view_reports, can_work_cases, primary_role


def roles(request):
    user = request.user
    return {
        "user_role": primary_role(user),
        "can_work_cases": can_work_cases(user),
        "can_lead_team": can_lead_team(user),
        "can_view_reports": can_view_reports(user),
    }
