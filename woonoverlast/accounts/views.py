"""Keeping a session alive, and changing or resetting a password (Django's own views, with
our Dutch templates and an audit entry)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from woonoverlast import ratelimit
from woonoverlast.api.services import tokens_revoke_all
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record

from .middleware import TOUCHED_AT
from .sessions import seconds_left


@require_POST
def keep_alive(request):
    """The session warning's "Ingelogd blijven" (static/js/session-timeout.js): renews the
    session and says how long it now lasts. 401 when it has already ended."""
    if not request.user.is_authenticated:
        return JsonResponse({"ingelogd": False, "seconden": 0}, status=401)
    from django.utils import timezone

    request.session[TOUCHED_AT] = timezone.now().timestamp()  # saving renews the expiry
    return JsonResponse({"ingelogd": True, "seconden": seconds_left(request)})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            AuditAction.UPDATE,
            by=self.request.user,
            obj=self.request.user,
            changes={"wachtwoord": "gewijzigd"},
        )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


RESET_SCOPE = "wachtwoord-vergeten"


class PasswordResetView(auth_views.PasswordResetView):
    """The e-mail links to SITE_URL (not to whatever host the request named)."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL}

    def post(self, request, *args, **kwargs):
        # PASSWORD_RESET_RATE_LIMIT requests per client address per window: without it anyone
        # could flood a colleague's mailbox, or our mail server's reputation, from the form.
        if ratelimit.is_limited(RESET_SCOPE, request, limit=settings.PASSWORD_RESET_RATE_LIMIT):
            form = self.get_form()
            form.is_valid()  # keeps what was typed
            form.add_error(
                None,
                "U hebt de afgelopen tijd al vaak een link gevraagd. Probeer het later opnieuw "
                "of vraag de functioneel beheerder om hulp.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        ratelimit.count(RESET_SCOPE, request, minutes=settings.PASSWORD_RESET_RATE_LIMIT_MINUTES)
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(AuditAction.UPDATE, obj=form.user, changes={"wachtwoord": "hersteld via e-mail"})
        # Whoever had the old password may have made an API token with it: a reset ends them.
        tokens_revoke_all(user=form.user, by=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
