"""The casework screens: lists, the case file and one view per flow."""

from .access import CaseAccessGrantView
from .activity import ActionAddView, HomeVisitAddView, MeldingAddView, PartyAddView
from .corrections import (
    ActionEditView,
    EntryWithdrawView,
    MeldingEditView,
    PartyEditView,
    StatusDateCorrectView,
    StatusWithdrawView,
)
from .detail import case_detail
from .lists import case_export, case_list, case_reassign_many, my_cases, my_open_cases
from .registration import CaseCreateView, CaseEditView, CaseReassignView
from .status import CaseCloseView, CaseReopenView

__all__ = [
    "ActionAddView",
    "ActionEditView",
    "CaseAccessGrantView",
    "CaseCloseView",
    "CaseCreateView",
    "CaseEditView",
    "CaseReassignView",
    "CaseReopenView",
    "EntryWithdrawView",
    "HomeVisitAddView",
    "MeldingAddView",
    "MeldingEditView",
    "PartyAddView",
    "PartyEditView",
    "StatusDateCorrectView",
    "StatusWithdrawView",
    "case_detail",
    "case_export",
    "case_list",
    "case_reassign_many",
    "my_cases",
    "my_open_cases",
]
