from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("mijn/", views.my_cases, name="mine"),
    path("nieuw/", views.CaseCreateView.as_view(), name="create"),
    path("exporteren/", views.case_export, name="export"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/wijzigen/", views.CaseEditView.as_view(), name="edit"),
    path("<str:reference>/afsluiten/", views.CaseCloseView.as_view(), name="close"),
    path("<str:reference>/heropenen/", views.CaseReopenView.as_view(), name="reopen"),
    path("<str:reference>/toewijzen/", views.CaseReassignView.as_view(), name="reassign"),
    path("<str:reference>/toegang/", views.CaseAccessGrantView.as_view(), name="grant_access"),
    path("<str:reference>/acties/nieuw/", views.ActionAddView.as_view(), name="action_add"),
    path("<str:reference>/huisbezoeken/nieuw/", views.HomeVisitAddView.as_view(), name="visit_add"),
    path("<str:reference>/meldingen/nieuw/", views.ReportAddView.as_view(), name="report_add"),
    path("<str:reference>/betrokkenen/nieuw/", views.PartyAddView.as_view(), name="party_add"),
]
