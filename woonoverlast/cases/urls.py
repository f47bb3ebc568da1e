from django.urls import include, path, register_converter

from . import views
from .models import Action, Melding, Party
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
    path("meldingen/nieuw/", views.MeldingAddView.as_view(), name="melding_add"),
    path("betrokkenen/nieuw/", views.PartyAddView.as_view(), name="party_add"),
    # Corrections (services.corrections, services.status).
    path("betrokkenen/<int:pk>/wijzigen/", views.PartyEditView.as_view(), name="party_edit"),
    path(
        "betrokkenen/<int:pk>/intrekken/",
        views.EntryWithdrawView.as_view(model=Party, anchor="betrokkenen", what="De betrokkene"),
        name="party_withdraw",
    ),
    path("meldingen/<int:pk>/wijzigen/", views.MeldingEditView.as_view(), name="melding_edit"),
    path(
        "meldingen/<int:pk>/intrekken/",
        views.EntryWithdrawView.as_view(model=Melding, anchor="meldingen", what="De melding"),
        name="melding_withdraw",
    ),
    path("acties/<int:pk>/wijzigen/", views.ActionEditView.as_view(), name="action_edit"),
    path(
        "acties/<int:pk>/intrekken/",
        views.EntryWithdrawView.as_view(model=Action, anchor="tijdlijn", what="De actie"),
        name="action_withdraw",
    ),
    path("status/corrigeren/", views.StatusDateCorrectView.as_view(), name="status_correct"),
    path("status/intrekken/", views.StatusWithdrawView.as_view(), name="status_withdraw"),
]

urlpatterns = [
    path("", views.case_list, name="list"),
    path("mijn/", views.my_cases, name="mine"),
    path("mijn/lopend/", views.my_open_cases, name="mine_open"),
    path("nieuw/", views.CaseCreateView.as_view(), name="create"),
    path("exporteren/", views.case_export, name="export"),
    path("toewijzen/", views.case_reassign_many, name="reassign_many"),
    path("<reference:reference>/", include(case_patterns)),
]
