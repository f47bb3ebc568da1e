from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

LOGGED_IN_AT = "woonoverlast_logged_in_at"
TOUCHED_AT = "woonoverlast_touched_at"
# Activity renews the session's expiry at most this often, so that not every request writes
# the session (the idle limit is then kept to within this margin).
TOUCH_INTERVAL_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="remember_login_time")
def remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[LOGGED_IN_AT] = now
        request.session[TOUCHED_AT] = now


class SessionLimitMiddleware:
    """Keeps sessions within their limits.

    Idle: the session expires SESSION_COOKIE_AGE after it was last saved; activity saves it
    again (at most once a minute). Maximum: SESSION_MAX_AGE after log-in it ends, however
    active it has been.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from woonoverlast.common.unsaved_post import mark_user, stash_post

        if request.user.is_authenticated:
            logged_in_at = request.session.get(LOGGED_IN_AT)
            now = timezone.now().timestamp()
            if logged_in_at is None:
                request.session[LOGGED_IN_AT] = now
            elif now - logged_in_at > settings.SESSION_MAX_AGE.total_seconds():
                logout(request)
                if request.method == "POST":
                    stash_post(request)  # kept for after the log-in (common.unsaved_post)
                else:
                    messages.info(request, "Uw sessie is verlopen. Log opnieuw in.")
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(TOUCHED_AT, 0) > TOUCH_INTERVAL_SECONDS:
                request.session[TOUCHED_AT] = now  # saving the session renews its expiry
        response = self.get_response(request)
        mark_user(request, response)
        return response


class NoStoreWhenSignedInMiddleware:
    """Every response to a signed-in user may hold personal data: the browser must not keep
    it (a shared municipal PC's cache). Static files are served before this by whitenoise and
    keep their caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # Cache-Control: ... no-store ..., private
        return response
