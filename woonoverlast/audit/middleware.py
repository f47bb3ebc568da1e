from django.urls import reverse

from .models import AuditRoute
from .recorder import audit_context


def client_ip(request) -> str | None:
    # Behind the municipality's proxy, set SECURE_PROXY_SSL_HEADER and let the proxy overwrite
    # REMOTE_ADDR; X-Forwarded-For is not trusted here because a client can set it.
    return request.META.get("REMOTE_ADDR") or None


API_PREFIX = "/api/"


class AuditContextMiddleware:
    """Attributes everything recorded during a request to the screens, the admin or the API."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")

    def __call__(self, request):
        route = (
            AuditRoute.ADMIN if request.path.startswith(self.admin_prefix) else AuditRoute.SCREEN
        )
        if request.path.startswith(API_PREFIX):
            route = AuditRoute.API
        with audit_context(route=route, ip_address=client_ip(request), path=request.path):
            return self.get_response(request)
