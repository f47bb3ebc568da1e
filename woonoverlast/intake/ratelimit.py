"""The public form's rate limit: INTAKE_RATE_LIMIT meldingen per client address per
INTAKE_RATE_LIMIT_MINUTES (woonoverlast.ratelimit)."""

from django.conf import settings

from woonoverlast import ratelimit

SCOPE = "melden"


def is_limited(request) -> bool:
    """Has this client address used up its meldingen for now?"""
    return ratelimit.is_limited(SCOPE, request, limit=settings.INTAKE_RATE_LIMIT)


def count(request) -> None:
    """Count one melding (or attempt) from this client address."""
    ratelimit.count(SCOPE, request, minutes=settings.INTAKE_RATE_LIMIT_MINUTES)
