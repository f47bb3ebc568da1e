"""Structured logs: JSON lines with a request id, and nothing personal in them.

Every line logged while a request is handled (by Django, the app or django-structlog) carries
the request's `request_id`: the X-Request-ID header nginx sets (its $request_id), or a new one.
The same id goes back to the client as the X-Request-ID response header, so a user's report of
a problem can be matched with the log. Celery tasks started by a request log the same id
(DJANGO_STRUCTLOG_CELERY_ENABLED).

What is kept out: query strings (a case search names streets and postcodes), form data, client
addresses (nginx's access log has those, kept under its own retention).
"""

import re
import uuid

import structlog
from django_structlog.middlewares import RequestMiddleware

# nginx's $request_id is 32 hex digits; a UUID has dashes. Anything else (a forged header
# with a line break or a name in it) is replaced.
REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
HEADER = "X-Request-ID"

SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
]


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def logging_config(*, level: str, log_format: str) -> dict:
    """The LOGGING setting: every logger through one console handler, as JSON or plain."""
    renderer = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                # Lines from the standard library's loggers (Django, Celery, the app).
                "foreign_pre_chain": [
                    *SHARED_PROCESSORS,
                    structlog.stdlib.ExtraAdder(),
                ],
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "structured",
                # On the handler, so that it sees every logger's lines (django.request's,
                # django.security.*'s): a logger's own filters skip its children's.
                "filters": ["request_path_only"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "filters": {
            "one_line_refusals": {"()": "woonoverlast.log_filters.OneLineRefusals"},
            "request_path_only": {"()": "woonoverlast.log_filters.RequestPathOnly"},
        },
        "loggers": {
            # django-axes logs every start-up at INFO; its failures (WARNING) still show.
            "axes": {"level": "WARNING"},
            # Django's own console handler (DEBUG only) printed every request error a second
            # time beside the root's: the root prints it once.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            # An expected 403 is one line, without the traceback.
            "django.request": {"filters": ["one_line_refusals"]},
            # Every request is logged once by django-structlog (request_finished): path only.
            "django_structlog": {"level": level},
        },
    }


class RequestIdMiddleware(RequestMiddleware):
    """django-structlog's request logging, without query strings, with the id as a header."""

    def prepare(self, request) -> None:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        if not REQUEST_ID.match(given):
            request.META["HTTP_X_REQUEST_ID"] = uuid.uuid4().hex
        request.__dict__.pop("headers", None)  # rebuilt from META on next use
        super().prepare(request)
        request.request_id = structlog.contextvars.get_contextvars().get("request_id")

    def handle_response(self, request, response) -> None:
        request_id = getattr(request, "request_id", None)
        super().handle_response(request, response)
        if request_id:
            response[HEADER] = request_id

    @staticmethod
    def format_request(request) -> str:
        # The path only: a query string can hold a street or a postcode.
        return f"{request.method} {request.path}"
