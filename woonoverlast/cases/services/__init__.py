"""Every write to the case domain goes through these functions.

Views, forms, the admin, the importer, the demo loader and Celery tasks call the same service,
so a rule holds everywhere and is tested once. Each raises ValidationError with Dutch messages
keyed by its own argument names.
"""

from .activity import action_log, melding_add, party_add
from .corrections import action_correct, entry_withdraw, melding_correct, party_correct
from .followup import followup_complete
from .imports import CasesRefused, NewCase, cases_register_many
from .last_activity import case_refresh_last_activity
from .open_follow_ups import case_refresh_open_actions
from .registration import (
    case_reassign,
    case_reassign_many,
    case_reassign_matching,
    case_register,
    case_update,
    district_for_postcode,
    registration_casemanager,
)
from .retention import cases_anonymise, cases_past_retention, retention_limit
from .status import (
    ALLOWED_STATUS_CHANGES,
    case_close,
    case_reopen,
    status_change_withdraw,
    status_date_correct,
)

__all__ = [
    "ALLOWED_STATUS_CHANGES",
    "CasesRefused",
    "NewCase",
    "action_correct",
    "action_log",
    "case_close",
    "case_reassign",
    "case_reassign_many",
    "case_reassign_matching",
    "case_refresh_last_activity",
    "case_refresh_open_actions",
    "case_register",
    "case_reopen",
    "case_update",
    "cases_anonymise",
    "cases_past_retention",
    "cases_register_many",
    "district_for_postcode",
    "entry_withdraw",
    "followup_complete",
    "melding_add",
    "melding_correct",
    "party_add",
    "party_correct",
    "registration_casemanager",
    "retention_limit",
    "status_change_withdraw",
    "status_date_correct",
]
