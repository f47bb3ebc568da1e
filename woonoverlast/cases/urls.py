from django.urls import include, path, register_converter

from . import views
from .validators import REFERENCE_REGEX


class ReferenceConverter:
    """Only what a reference can be reaches a view: anything else is a 404 straight away."""

    regex = REFERENCE_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "reference")

app_name = "cases"

# The pages of one case, below its reference.
case_patterns = [
    path("", views.case_detail, name="detail"),
    path("wijzigen/", views.CaseEditView.as_view(), name="edit"),
    path("afsluiten/", views.CaseCloseView.as_view(), name="close"),
    path("heropenen/", views.CaseReopenView.as_view(), name="reopen"),
    path("toewijzen/", views.CaseReassignView.as_view(), name="reassign"),
    path("toegang/", views.CaseAccessGrantView.as_view(), name="grant_access"),
    path("acties/nieuw/", views.ActionAddView.as_view(), name="action_add"),
    path("huisbezoeken/nieuw/", views.HomeVisitAddView.as_view(), name="visit_add"),
    path("meldingen/nieuw/", views.ReportAddView.as_view(), name="report_add"),
    path("betrokkenen/nieuw/", views.PartyAddView.as_view(), name="party_add"),
]

urlpatterns = [
    path("", views.case_list, name="list"),
    path("mijn/", views.my_cases, name="mine"),
    path("nieuw/", views.CaseCreateView.as_view(), name="create"),
    path("exporteren/", views.case_export, name="export"),
    path("toewijzen/", views.case_reassign_many, name="reassign_many"),
    path("<reference:reference>/", include(case_patterns)),
]
