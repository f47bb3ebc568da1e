from django.urls import path

from . import two_factor, views

app_name = "accounts"

urlpatterns = [
    path("tweestapsverificatie/", two_factor.setup, name="two_factor"),
    path("tweestapsverificatie/uitschakelen/", two_factor.disable, name="two_factor_disable"),
]

# Sessions and passwords (accounts.views).
urlpatterns += [
    path("sessie-verlengen/", views.keep_alive, name="keep_alive"),
    path("wachtwoord/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "wachtwoord/gewijzigd/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
