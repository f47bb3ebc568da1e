from django.urls import path

from woonoverlast.cases import urls as case_urls  # noqa: F401 (registers the `reference` converter)

from . import views

app_name = "overleg"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("nieuw/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/voordragen/", views.agenda_propose, name="propose"),
    path("<int:pk>/agenda/", views.agenda_set, name="agenda_set"),
    path(
        "<int:pk>/voorbeeld/<int:organisation_pk>/",
        views.partner_preview,
        name="preview",
    ),
    path("agendapunt/<int:pk>/", views.item_detail, name="item"),
    path("agendapunt/<int:pk>/dossier/", views.minutes_to_dossier, name="minutes_pdf"),
    path("afspraak/<int:pk>/afmelden/", views.agreement_done, name="agreement_done"),
    path("verstrekkingen/", views.disclosure_register, name="register"),
    path(
        "verstrekkingen/export.<str:file_format>",
        views.disclosure_register_export,
        name="register_export",
    ),
    path("casus/<reference:reference>/", views.case_disclosures, name="case"),
]

partner_patterns = [
    path("", views.partner_home, name="home"),
    path("overleg/<int:pk>/", views.partner_meeting, name="meeting"),
    path("overleg/<int:pk>/casus/<reference:reference>/", views.partner_case, name="case"),
    path("overleg/<int:pk>/agenda.pdf", views.partner_agenda_pdf, name="agenda_pdf"),
    path(
        "afspraak/<int:pk>/afmelden/",
        views.partner_agreement_done,
        name="agreement_done",
    ),
]
