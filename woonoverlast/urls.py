from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

admin.site.site_header = "Woonoverlast – beheer"
admin.site.site_title = "Woonoverlast"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("casussen/", include("woonoverlast.cases.urls")),
    path("rapportages/", include("reports.urls")),
    path("termijnen/", include("woonoverlast.followups.urls")),
    path("beheer/", admin.site.urls),
]
