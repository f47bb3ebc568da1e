"""Logging filters (settings.LOGGING)."""

import logging


class OneLineRefusals(logging.Filter):
    """An expected refusal (403: a role without access, a CSRF failure) is one line in the
    log, not a traceback: the audit log already records every refusal (woonoverlast.views).
    Everything else passes unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


class RequestPathOnly(logging.Filter):
    """Django passes the request itself with its request errors (django.request's "Forbidden:
    /sso/callback/", django.security's): its repr holds the query string, which can hold a
    street from a case search or a single sign-on authorization code. The line gets the
    method and path instead, and the request's id: Django logs the answer after
    django-structlog's middleware has ended, so the line would have none."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            method, path = getattr(request, "method", ""), getattr(request, "path", "")
            record.request = f"{method} {path}".strip()
            request_id = getattr(request, "request_id", None)
            if request_id and not getattr(record, "request_id", None):
                record.request_id = request_id
        return True
