from django.urls import path

from . import views

app_name = "documents"

# Below casussen/<reference>/dossier/.
urlpatterns = [
    path("", views.document_list, name="list"),
    path("toevoegen/", views.UploadView.as_view(), name="upload"),
    path("brief/", views.LetterView.as_view(), name="letter"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/downloaden/", views.document_download, name="download"),
    path("<int:pk>/miniatuur/", views.document_thumbnail, name="thumbnail"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/pdf/status/", views.document_pdf_status, name="pdf_status"),
    path("<int:pk>/soort/", views.document_set_type, name="set_type"),
    path("<int:pk>/nieuwe-versie/", views.VersionView.as_view(), name="add_version"),
    path("pdf/", views.export_request, name="export_request"),
    path("pdf/<int:pk>/", views.export_detail, name="export_detail"),
    path("pdf/<int:pk>/status/", views.export_status, name="export_status"),
    path("pdf/<int:pk>/downloaden/", views.export_download, name="export_download"),
]
