from django.urls import path

from . import views

app_name = "intake"

# The public form, without logging in.
public_patterns = [
    path("", views.public_form, name="form"),
    path("bedankt/", views.public_thanks, name="thanks"),
]

# The intake queue and its three ways out.
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/in-behandeling/", views.take, name="take"),
    path("<str:reference>/toevoegen/", views.AddToCaseView.as_view(), name="add_to_case"),
    path("<str:reference>/nieuwe-casus/", views.RegisterCaseView.as_view(), name="register_case"),
    path("<str:reference>/afsluiten/", views.CloseView.as_view(), name="close"),
]
