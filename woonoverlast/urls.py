from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, views
from .accounts import oidc, two_factor
from .accounts.forms import LoginForm
from .intake import urls as intake_urls
from .overleg import urls as overleg_urls

oidc_urls = [
    path("inloggen/", oidc.SsoLoginView.as_view(), name="login"),
    path("callback/", oidc.SsoCallbackView.as_view(), name="callback"),
    path("verificatiecode/", oidc.sso_verify, name="verify"),
]

admin.site.site_header = "Woonoverlast – beheer"
admin.site.site_title = "Woonoverlast"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    # Log-out: also at the identity provider after an SSO log-in (accounts.oidc).
    path("uitloggen/", oidc.logout_view, name="logout"),
    path("sso/", include((oidc_urls, "sso"))),
    path("casussen/", include("woonoverlast.cases.urls")),
    path("rapportages/", include("reports.urls")),
    path("audit/", include("woonoverlast.audit.urls")),
    path("account/", include("woonoverlast.accounts.urls")),
    path("termijnen/", include("woonoverlast.followups.urls")),
    path("casussen/<reference:reference>/dossier/", include("woonoverlast.documents.urls")),
    path("melden/", include((intake_urls.public_patterns, "melden"))),
    path("meldingen/", include("woonoverlast.intake.urls")),
    path("maatregelen/", include("woonoverlast.measures.urls")),
    path("notificaties/", include("woonoverlast.events.urls")),
    path("archief/", include("woonoverlast.archiving.urls")),
    path("overleg/", include("woonoverlast.overleg.urls")),
    path("partner/", include((overleg_urls.partner_patterns, "partner"))),
    # Before the admin's own URLs: its log-in is the app's, with the two-factor step.
    path("beheer/login/", two_factor.admin_login, name="admin_login"),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("woonoverlast.api.urls")),
    path("gezondheid/", health.readiness, name="gezondheid"),
    path("gezondheid/live/", health.liveness, name="gezondheid_live"),
]

handler400 = "woonoverlast.views.bad_request"
handler403 = "woonoverlast.views.permission_denied"
handler404 = "woonoverlast.views.page_not_found"
handler500 = "woonoverlast.views.server_error"
