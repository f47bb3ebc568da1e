"""A rate limit per client address, counted in Django's cache: the public melding form
(intake.ratelimit) and the password reset (accounts.views) use it.

Fixed windows of `minutes`: the first counted request of an address opens a window; `limit`
requests fit in it. With several server processes the cache must be shared between them
(CACHES); the default local-memory cache counts per process. The address is the client's
behind the trusted proxies (woonoverlast.client_address).
"""

from django.core.cache import cache

from woonoverlast.client_address import client_ip


def _key(scope: str, request) -> str:
    return f"ratelimit:{scope}:{client_ip(request) or 'onbekend'}"


def is_limited(scope: str, request, *, limit: int) -> bool:
    """Has this client address used up its `limit` requests of `scope` for now?"""
    return (cache.get(_key(scope, request)) or 0) >= limit


def count(scope: str, request, *, minutes: int) -> None:
    """Count one request of `scope` from this client address."""
    key = _key(scope, request)
    timeout = minutes * 60
    if not cache.add(key, 1, timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout)
