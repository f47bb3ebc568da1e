"""Access checks for views: the one place where a view says which role it needs.

Not logged in: redirect to the login page. Logged in without the right role: 403 (in Dutch,
templates/403.html). The rules themselves live in accounts.roles.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import can_lead_team, can_view_reports, can_work_cases, can_write_case

Check = Callable[[object], bool]


def _allowed(request, check: Check):
    """None when allowed; otherwise the response or exception that refuses the request."""
    if not request.user.is_authenticated:
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
