from urllib.parse import unquote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views import defaults

from woonoverlast.accounts.roles import Role, primary_role
from woonoverlast.api.problems import is_api_request, problem_response
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.cases.views.lists import team_overview_context, worklist_context


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
    return render(request, "cases/mine.html", worklist_context(request.user))


def permission_denied(request, exception=None):
    """The Dutch 403 page; every refusal goes into the audit log."""
    record(AuditAction.DENIED, by=request.user)
    if is_api_request(request):
        return problem_response(request, 403, code="permission_denied")
    return render(request, "403.html", status=403)


# Django's other error pages: the API's addresses get problem+json, never an HTML page.


def bad_request(request, exception=None):
    if is_api_request(request):
        return problem_response(request, 400, code="invalid")
    return defaults.bad_request(request, exception)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return problem_response(request, 404, code="not_found")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_request(request):
        return problem_response(request, 500, code="server_error")
    return defaults.server_error(request)


NUL_DETAIL = "Het adres bevat een ongeldig, onzichtbaar teken (NUL)."


class RefuseNulMiddleware:
    """400 for a NUL byte in the path or the query string. No reference, search text or id
    holds one, and PostgreSQL refuses it in a query: looked up, it was a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            if is_api_request(request):
                return problem_response(request, 400, detail=NUL_DETAIL, code="invalid")
            return HttpResponseBadRequest(
                f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
                f"<title>Ongeldig verzoek – Woonoverlast</title></head><body><main>"
                f"<h1>Ongeldig verzoek</h1><p>{NUL_DETAIL}</p></main></body></html>"
            )
        return self.get_response(request)
