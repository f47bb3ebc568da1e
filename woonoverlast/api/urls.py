"""The REST API, version 1: /api/v1/. Every route here must be in the API access table
(tests/test_api_access.py), which walks this URL conf."""

from django.urls import path, re_path

from .views import base, reference, reports

app_name = "api"

urlpatterns = [
    path("schema/", base.SchemaView.as_view(), name="schema"),
    path("docs/", base.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("wijken/", reference.DistrictList.as_view(), name="wijken"),
    path("categorieen/", reference.CategoryList.as_view(), name="categorieen"),
    path("rapportages/tabel-5-1/", reports.Tabel51View.as_view(), name="tabel51"),
    # Last: anything else under /api/v1/ is a 404 as problem+json.
    re_path(r"^.*$", base.NotFoundView.as_view(), name="not_found"),
]
