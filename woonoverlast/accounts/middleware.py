from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils import timezone

LOGGED_IN_AT = "woonoverlast_logged_in_at"


@receiver(user_logged_in, dispatch_uid="remember_login_time")
def remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGGED_IN_AT] = timezone.now().timestamp()


class SessionLimitMiddleware:
    """Ends a session SESSION_MAX_AGE after log-in, however active it has been.

    The idle timeout is Django's own (SESSION_COOKIE_AGE, renewed on every request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            logged_in_at = request.session.get(LOGGED_IN_AT)
            now = timezone.now().timestamp()
            if logged_in_at is None:
                request.session[LOGGED_IN_AT] = now
            elif now - logged_in_at > settings.SESSION_MAX_AGE.total_seconds():
                logout(request)
                messages.info(request, "Uw sessie is verlopen. Log opnieuw in.")
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
