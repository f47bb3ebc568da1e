from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    path("", views.due_overview, name="due"),
    path("berichten/", views.notification_list, name="notifications"),
    path("berichten/gelezen/", views.notifications_read_all, name="notifications_read_all"),
    path("berichten/<int:pk>/gelezen/", views.notification_read, name="notification_read"),
    path("vervolg/<int:pk>/afgehandeld/", views.followup_done, name="followup_done"),
]
