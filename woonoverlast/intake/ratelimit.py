"""A rate limit per client address for the public form, counted in Django's cache.

Fixed windows of INTAKE_RATE_LIMIT_MINUTES: the first counted request of an address opens a
window; INTAKE_RATE_LIMIT requests fit in it. With several server processes the cache must be
shared between them (CACHES); the default local-memory cache counts per process.
"""

from django.conf import settings
from django.core.cache import cache

from woonoverlast.client_address import client_ip


def _key(request) -> str:
    return f"intake:melden:{client_ip(request) or 'onbekend'}"


def is_limited(request) -> bool:
    """Has this client address used up its meldingen for now?"""
    return (cache.get(_key(request)) or 0) >= settings.INTAKE_RATE_LIMIT


def count(request) -> None:
    """Count one melding (or attempt) from this client address."""
    key = _key(request)
    timeout = settings.INTAKE_RATE_LIMIT_MINUTES * 60
    if not cache.add(key, 1, timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout)
