from django.urls import reverse

from woonoverlast.client_address import client_ip

from .models import AuditRoute
from .recorder import audit_context

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
