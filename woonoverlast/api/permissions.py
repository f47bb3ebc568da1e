"""Permission classes of the API. Each asks a rule of woonoverlast.accounts.roles; none knows
a group name. Without credentials DRF answers 401, with the wrong role 403."""

from rest_framework.permissions import BasePermission

from woonoverlast.accounts import roles


class RolePermission(BasePermission):
    """Allowed when `rule(user)` (a function of accounts.roles) says so."""

    rule = staticmethod(lambda user: False)
    message = "U hebt geen toegang tot dit onderdeel van de API."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and self.rule(request.user))


def role_permission(rule, name: str) -> type[RolePermission]:
    """A permission class for one rule: role_permission(roles.can_work_cases, "CanWorkCases")."""
    return type(name, (RolePermission,), {"rule": staticmethod(rule)})


CanWorkCases = role_permission(roles.can_work_cases, "CanWorkCases")
CanLeadTeam = role_permission(roles.can_lead_team, "CanLeadTeam")
# Figures without personal data: every role (rapportage included).
CanViewReports = role_permission(roles.can_view_reports, "CanViewReports")
# The partners' systems (koppelingen): send meldingen and read back their own, nothing else.
CanSendIntakeMeldingen = role_permission(roles.can_send_intake_meldingen, "CanSendIntakeMeldingen")
# The vernietigingslijsten and verklaringen van vernietiging (read-only): the archivaris.
CanReadDestructionLists = role_permission(
    roles.can_read_destruction_lists_api, "CanReadDestructionLists"
)
