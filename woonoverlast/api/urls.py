"""The REST API, version 1: /api/v1/. Every route here must be in the API access table
(tests/test_api_access.py), which walks this URL conf."""

from django.urls import path, re_path

# Registers the `reference` path converter (the pattern of a case reference) the routes use.
import woonoverlast.cases.urls  # noqa: F401

from .views import archiving, base, cases, intake, measures, reference, reports

app_name = "api"
CASE = "casussen/<reference:referentie>/"

urlpatterns = [
    path("schema/", base.SchemaView.as_view(), name="schema"),
    path("docs/", base.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("casussen/", cases.CaseList.as_view(), name="casussen"),
    path(CASE, cases.CaseDetail.as_view(), name="casus"),
    path(f"{CASE}afsluiten/", cases.CaseClose.as_view(), name="afsluiten"),
    path(f"{CASE}heropenen/", cases.CaseReopen.as_view(), name="heropenen"),
    path(f"{CASE}acties/", cases.CaseActions.as_view(), name="acties"),
    path(f"{CASE}meldingen/", cases.CaseMeldingen.as_view(), name="meldingen"),
    path(f"{CASE}betrokkenen/", cases.CaseParties.as_view(), name="betrokkenen"),
    path(f"{CASE}maatregelen/", measures.CaseMeasures.as_view(), name="maatregelen"),
    path("maatregelen/<int:pk>/", measures.MeasureDetail.as_view(), name="maatregel"),
    path("maatregelen/<int:pk>/stappen/", measures.MeasureSteps.as_view(), name="stappen"),
    path(
        "maatregelen/<int:pk>/geadresseerden/",
        measures.MeasureAddressees.as_view(),
        name="geadresseerden",
    ),
    path("wijken/", reference.DistrictList.as_view(), name="wijken"),
    path("categorieen/", reference.CategoryList.as_view(), name="categorieen"),
    path("rapportages/tabel-5-1/", reports.Tabel51View.as_view(), name="tabel51"),
    path("rapportages/maatregelen/", measures.MeasureYearView.as_view(), name="maatregelen_jaar"),
    # The archivaris: the vernietigingslijsten and their verklaringen (read-only).
    path(
        "vernietigingslijsten/", archiving.DestructionLists.as_view(), name="vernietigingslijsten"
    ),
    path(
        "vernietigingslijsten/<int:pk>/",
        archiving.DestructionListDetail.as_view(),
        name="vernietigingslijst",
    ),
    # The partners' systems (role koppeling): meldingen in, status of their own out.
    path("meldingen/", intake.IntakeMeldingList.as_view(), name="intake_meldingen"),
    path(
        "meldingen/<str:referentie>/",
        intake.IntakeMeldingDetail.as_view(),
        name="intake_melding",
    ),
    # Last: anything else under /api/v1/ is a 404 as problem+json.
    re_path(r"^.*$", base.NotFoundView.as_view(), name="not_found"),
]
