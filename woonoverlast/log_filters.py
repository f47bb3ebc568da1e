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
