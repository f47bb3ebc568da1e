from django.urls import path

from . import measures_views, overleg_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("tabel-5-1/", views.tabel51_page, name="tabel51"),
    path("tabel-5-1/csv/", views.tabel51_csv, name="tabel51_csv"),
    path("tabel-5-1/xlsx/", views.tabel51_xlsx, name="tabel51_xlsx"),
    path("tabel-5-1/vaststellen/", views.tabel51_freeze, name="tabel51_freeze"),
    path("tabel-5-1/<int:year>/vastgesteld/", views.tabel51_frozen, name="tabel51_frozen"),
    path("overzicht/", views.overview_page, name="overview"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/<int:pk>/status/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("maatregelen/", measures_views.measures_page, name="maatregelen"),
    path(
        "maatregelen/export.<str:file_format>",
        measures_views.measures_export,
        name="maatregelen_export",
    ),
    path("doorlooptijd/", measures_views.lead_time_page, name="doorlooptijd"),
    path("casusoverleg/", overleg_views.overleg_page, name="overleg"),
    path(
        "casusoverleg/export.<str:file_format>",
        overleg_views.overleg_export,
        name="overleg_export",
    ),
    path(
        "overzicht/doorlooptijd.<str:file_format>",
        measures_views.lead_time_export,
        name="doorlooptijd_export",
    ),
]
