from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.failed_deliveries, name="failed"),
    path("<int:pk>/opnieuw/", views.delivery_retry_view, name="retry"),
]
