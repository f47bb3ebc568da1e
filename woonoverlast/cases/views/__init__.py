"""The casework screens: lists, the case file and one view per flow."""

from .access import CaseAccessGrantView
from .activity import ActionAddView, HomeVisitAddView, PartyAddView, ReportAddView
from .detail import case_detail
from .lists import case_export, case_list, case_reassign_many, my_cases
from .registration import CaseCreateView, CaseEditView, CaseReassignView
from .status import CaseCloseView, CaseReopenView

__all__ = [
    "ActionAddView",
    "CaseAccessGrantView",
    "CaseCloseView",
    "CaseCreateView",
    "CaseEditView",
    "CaseReassignView",
    "CaseReopenView",
    "HomeVisitAddView",
    "PartyAddView",
    "ReportAddView",
    "case_detail",
    "case_export",
    "case_list",
    "case_reassign_many",
    "my_cases",
]
