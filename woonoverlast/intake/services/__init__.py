"""Every write of the intake goes through these functions (see cases.services)."""

from .feedback import feedback_text, reporter_inform
from .intake import (
    intake_melding_add_to_case,
    intake_melding_close,
    intake_melding_open,
    intake_melding_receive,
    intake_melding_register_case,
    intake_melding_take,
)
from .references import incoming_reference_next
from .retention import intake_meldingen_anonymise, intake_meldingen_past_retention

__all__ = [
    "feedback_text",
    "incoming_reference_next",
    "intake_melding_add_to_case",
    "intake_melding_close",
    "intake_melding_open",
    "intake_melding_receive",
    "intake_melding_register_case",
    "intake_melding_take",
    "intake_meldingen_anonymise",
    "intake_meldingen_past_retention",
    "reporter_inform",
]
