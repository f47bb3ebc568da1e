"""Sessions that end without losing work: how long is left (`seconds_left`).

A form posted after the session ended is kept for after the log-in by
woonoverlast.common.unsaved_post.
"""

import time

from django.conf import settings

from .middleware import LOGGED_IN_AT, TOUCHED_AT


def seconds_left(request) -> int:
    """Seconds until the session ends: by idleness (from its last renewal) or by its maximum
    age (from the log-in), whichever comes first."""
    now = time.time()
    session = request.session
    touched_at = session.get(TOUCHED_AT, now)
    idle_left = touched_at + settings.SESSION_COOKIE_AGE - now
    logged_in_at = session.get(LOGGED_IN_AT, now)
    max_left = logged_in_at + settings.SESSION_MAX_AGE.total_seconds() - now
    return max(0, int(min(idle_left, max_left)))
