from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from woonoverlast.accounts.roles import Role, primary_role
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.cases.views.lists import audited_worklist, team_overview_context


@login_required
def home(request):
    """The start page depends on the role: a team leader sees the open cases per wijk and
    housing type, a casemanager *Mijn casussen*; rapportage goes straight to the reports."""
    role = primary_role(request.user)
    if role is None:
        raise PermissionDenied
    if role == Role.RAPPORTAGE:
        return redirect("reports:index")
    if role == Role.ARCHIVARIS:
        return redirect("archiving:lists")
    if role == Role.TEAMLEIDER:
        return render(request, "home.html", team_overview_context())
    return render(request, "cases/mine.html", audited_worklist(request))


def permission_denied(request, exception=None):
    """The Dutch 403 page; every refusal goes into the audit log."""
    record(AuditAction.DENIED, by=request.user)
    return render(request, "403.html", status=403)
