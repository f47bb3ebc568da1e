"""Access checks: the one place where a view says which role it needs, and the services'
re-check of a write to a case (`check_case_write`).

Not logged in: redirect to the login page. Logged in without the right role: 403 (in Dutch,
templates/403.html). The rules themselves live in accounts.roles.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from woonoverlast.common.unsaved_post import stash_post

from .roles import (
    can_lead_team,
    can_view_reports,
    can_work_cases,
    can_write_case,
    is_application_account,
)

Check = Callable[[object], bool]


def check_case_write(case, by) -> None:
    """Refuse a write to `case` by a user who may not write to it (accounts.roles: the
    closed-case rule). `by=None` is the system itself (import, demo data, jobs)."""
    if by is not None and not can_write_case(by, case):
        raise PermissionDenied("U mag deze casus niet wijzigen.")


def _allowed(request, check: Check):
    """None when allowed; otherwise the response or exception that refuses the request."""
    if not request.user.is_authenticated:
        stash_post(request)  # a form posted after the session ended is kept (common.unsaved_post)
        return redirect_to_login(request.get_full_path())
    if not check(request.user):
        raise PermissionDenied
    return None


def role_required(check: Check):
    """Decorator for function views: @role_required(can_work_cases)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return _allowed(request, check) or view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(LoginRequiredMixin):
    """Base for class-based views; subclasses set `role_check`."""

    role_check: Check = staticmethod(lambda user: False)

    def dispatch(self, request, *args, **kwargs):
        refused = _allowed(request, type(self).role_check)
        return refused or super().dispatch(request, *args, **kwargs)


class CaseWorkerRequiredMixin(RoleRequiredMixin):
    role_check = staticmethod(can_work_cases)


class TeamLeaderRequiredMixin(RoleRequiredMixin):
    role_check = staticmethod(can_lead_team)


class ReportsViewerRequiredMixin(RoleRequiredMixin):
    role_check = staticmethod(can_view_reports)


class CaseWriteRequiredMixin:
    """After the role mixin (put it second): refuse (403) every page that writes to
    `self.case` when the user may not write to it (roles.can_write_case, the closed-case
    rule), the form as well as the POST."""

    def dispatch(self, request, *args, **kwargs):
        if not can_write_case(request.user, self.case):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# The only paths an application account (koppeling) may reach: the API and logging out.
APPLICATION_ACCOUNT_PATHS = ("/api/", "/uitloggen/")


class ApplicationAccountMiddleware:
    """A koppeling gets 403 on every page outside the API, including pages added later by
    apps that never heard of koppelingen (and the admin, whatever its flags)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and is_application_account(user)
            and not request.path.startswith(APPLICATION_ACCOUNT_PATHS)
        ):
            raise PermissionDenied
        return self.get_response(request)
