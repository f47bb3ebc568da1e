"""What every API view shares. A new endpoint subclasses ApiView (its docstring says what
to set)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions
from rest_framework.views import APIView

from woonoverlast.accounts.roles import is_partner_account
from woonoverlast.cases.models import Case


class RefusesPartnerAccounts:
    """A ketenpartner (a partner organisation's contact) sees /partner/ only: every API route
    refuses its token or session with 403, the public schema and documentation included."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if is_partner_account(request.user):
            raise exceptions.PermissionDenied("Een ketenpartner heeft geen toegang tot de API.")


class ApiView(RefusesPartnerAccounts, APIView):
    """Base of the API's views: set `permission_classes` (from .permissions) and, for views
    that call a service, `field_names` (service argument -> API field name) so that a
    service's ValidationError names the API's fields. Decorate every `post` with
    idempotency.idempotent."""

    field_names: dict[str, str] = {}


class CaseApiView(ApiView):
    """A view of one case, named by `referentie` in the URL. The role check runs first (DRF's
    `initial`), so a refused caller learns nothing about the case."""

    case_queryset = Case.objects.select_related("district", "casemanager", "corporation")

    def get_case(self, queryset=None) -> Case:
        return get_object_or_404(
            self.case_queryset if queryset is None else queryset,
            reference=self.kwargs["referentie"],
        )


class SchemaView(RefusesPartnerAccounts, SpectacularAPIView):
    """The OpenAPI 3 schema (public: it holds no data)."""


class DocsView(RefusesPartnerAccounts, SpectacularSwaggerSplitView):
    """Swagger UI from the app's own static files (drf-spectacular-sidecar); its start script
    is a separate file, so the page needs no inline script or style (CSP)."""

    template_name = "api/swagger_ui.html"
    title = "Woonoverlast API"


@extend_schema(exclude=True)
class NotFoundView(ApiView):
    """Any other address under /api/v1/: 404 as problem+json, not the HTML page."""

    permission_classes = []

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound()

    post = put = patch = delete = get
