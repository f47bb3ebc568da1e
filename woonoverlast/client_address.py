"""The client's address, behind the proxies the environment names (TRUSTED_PROXIES).

One answer for everything that keys on an address: the public form's rate limit
(intake.ratelimit), log-in throttling (django-axes, AXES_CLIENT_IP_CALLABLE) and the audit
log (audit.middleware). Behind nginx the direct peer is nginx itself; the client is in
`X-Forwarded-For`, to which each proxy appends the address it got the request from
(`$proxy_add_x_forwarded_for`). Only entries added by a trusted proxy are believed: the header
is read from the right, past the trusted proxies, and the first other address is the client.
Whatever a client wrote into the header itself stands left of that and is never used, so a
client cannot pick its own address; and from a peer that is not a trusted proxy the header is
ignored altogether.
"""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries if entry)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The address of the client that sent `request` (None when unknown)."""
    peer = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if peer is None or not _trusted(_address(peer), networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _address(entry)
        if address is None:
            # Not an address where a trusted proxy should have put one: trust nothing further.
            return peer
        if not _trusted(address, networks):
            return str(address)
    return peer
