"""A form posted after the session ended is not lost.

When a form is posted after the session ended, the view cannot save it (nobody is logged in).
`stash_post` keeps what was typed in the new, anonymous session of the same browser, without
the CSRF token, passwords or other tokens; after logging in again, `restore_post` hands it to
the same form page as its initial values, once, and only to the user who was logged in on
that browser before (a cookie holds an HMAC of their id, so the stash can never reach another
user who logs in on the same browser).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.utils.crypto import constant_time_compare, salted_hmac

STASH = "woonoverlast_unsaved_post"
USER_COOKIE = "woonoverlast_gebruiker"
USER_COOKIE_DAYS = 7
# The salt is the one the marks were made with when this module lived in accounts.sessions:
# another would orphan the mark every browser already holds.
_SALT = "woonoverlast.accounts.sessions.stash"
# Fields never kept: the CSRF token, anything holding a password or a one-time token.
_NEVER_KEPT = ("csrfmiddlewaretoken", "password", "token", "otp")
# A stash is offered for this long after it was posted.
STASH_MAX_AGE_SECONDS = 60 * 60
STASH_MAX_FIELDS = 200


def user_mark(user) -> str:
    """The value of USER_COOKIE for `user`: not their id, an HMAC of it."""
    return salted_hmac(_SALT, str(user.pk)).hexdigest()


def _kept(name: str) -> bool:
    lowered = name.lower()
    return not any(part in lowered for part in _NEVER_KEPT)


def stash_post(request) -> None:
    """Keep a POST that arrived without a (live) session, for `restore_post` after logging in.
    Uploaded files cannot be kept; the message says so."""
    if request.method != "POST":
        return
    data = {
        name: request.POST.getlist(name)
        for name in list(request.POST.keys())[:STASH_MAX_FIELDS]
        if _kept(name)
    }
    request.session[STASH] = {
        "path": request.path,
        "user": request.COOKIES.get(USER_COOKIE, ""),
        "at": time.time(),
        "data": data,
    }
    text = (
        "Uw sessie was verlopen, daarom is het formulier niet opgeslagen. Wat u invulde is "
        "bewaard: log opnieuw in, dan staat het weer in het formulier."
    )
    if request.FILES:
        text += " Bijgevoegde bestanden moet u opnieuw kiezen."
    messages.warning(request, text)


def restore_post(request) -> dict | None:
    """The form data stashed for this page, for the user who posted it: once, within the
    hour; None otherwise. A stash for another page stays until that page is opened."""
    stash = request.session.get(STASH)
    if not stash or request.method != "GET" or not request.user.is_authenticated:
        return None
    if stash.get("path") != request.path:
        return None
    del request.session[STASH]
    if not stash.get("user") or not constant_time_compare(stash["user"], user_mark(request.user)):
        return None
    if time.time() - stash.get("at", 0) > STASH_MAX_AGE_SECONDS:
        return None
    messages.info(
        request,
        "Wat u invulde voordat uw sessie verliep staat weer in het formulier. "
        "Controleer het en sla het op.",
    )
    return {
        name: values if len(values) > 1 else values[0]
        for name, values in stash["data"].items()
        if values
    }


def mark_user(request, response):
    """Set USER_COOKIE for the logged-in user (when it is missing or names someone else)."""
    if not request.user.is_authenticated:
        return
    mark = user_mark(request.user)
    if request.COOKIES.get(USER_COOKIE) != mark:
        response.set_cookie(
            USER_COOKIE,
            mark,
            max_age=USER_COOKIE_DAYS * 24 * 60 * 60,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
