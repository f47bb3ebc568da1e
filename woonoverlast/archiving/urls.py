from django.urls import path

from . import views

app_name = "archiving"

urlpatterns = [
    path("", views.destruction_lists, name="lists"),
    path("lijsten/<int:pk>/", views.destruction_list_detail, name="list_detail"),
    path(
        "lijsten/<int:pk>/casussen/<int:item_pk>/uitzonderen/",
        views.destruction_list_item_exclude,
        name="list_item_exclude",
    ),
    path("lijsten/<int:pk>/beoordeeld/", views.destruction_list_review, name="list_review"),
    path("lijsten/<int:pk>/goedkeuren/", views.destruction_list_approve, name="list_approve"),
    path("verklaringen/<int:pk>/", views.statement_detail, name="statement"),
    path("verklaringen/<int:pk>/pdf/", views.statement_download, name="statement_pdf"),
    path("lijsten/<int:pk>/mdto/", views.list_mdto, name="list_mdto"),
    path("casus/<reference:reference>/mdto/", views.case_mdto, name="case_mdto"),
    path(
        "casus/<reference:reference>/resultaat/",
        views.CaseResultView.as_view(),
        name="case_result",
    ),
    path(
        "casus/<reference:reference>/maatregelen/<int:pk>/resultaat/",
        views.MeasureResultView.as_view(),
        name="measure_result",
    ),
]
