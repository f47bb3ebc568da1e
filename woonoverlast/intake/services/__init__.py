"""Every write of the intake goes through these functions (see cases.services)."""

from .feedback import feedback_text, reporter_inform
from .intake import (
    incoming_report_add_to_case,
    incoming_report_close,
    incoming_report_open,
    incoming_report_receive,
    incoming_report_register_case,
    incoming_report_take,
)
from .references import incoming_reference_next
from .retention import incoming_reports_anonymise, incoming_reports_past_retention

__all__ = [
    "feedback_text",
    "incoming_reference_next",
    "incoming_report_add_to_case",
    "incoming_report_close",
    "incoming_report_open",
    "incoming_report_receive",
    "incoming_report_register_case",
    "incoming_report_take",
    "incoming_reports_anonymise",
    "incoming_reports_past_retention",
    "reporter_inform",
]
