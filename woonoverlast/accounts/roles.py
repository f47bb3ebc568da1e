"""The three roles of the team, and what each may do. The one place that decides access.

A role is a Django group (created by a migration). Views ask the helpers below, never the
group names, so that a rule is written once.
"""

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    CASEMANAGER = "casemanager", "Casemanager"
    TEAMLEIDER = "teamleider", "Teamleider"
    RAPPORTAGE = "rapportage", "Rapportage"
    # An application account of a partner system: the partners' API only, no page at all.
    KOPPELING = "koppeling", "Koppeling"


# Model permissions each role gets in the Django admin. Team leaders maintain the reference
# lists (wijken, categories, partners, corporations) and may look at everything else.
ADMIN_PERMISSIONS = {
    Role.TEAMLEIDER: [
        "cases.add_district",
        "cases.change_district",
        "cases.view_district",
        "cases.add_category",
        "cases.change_category",
        "cases.view_category",
        "cases.add_partner",
        "cases.change_partner",
        "cases.view_partner",
        "cases.add_housingcorporation",
        "cases.change_housingcorporation",
        "cases.view_housingcorporation",
        "cases.view_case",
        "cases.view_party",
        "cases.view_report",
        "cases.view_action",
        "cases.view_statuschange",
        # Termijnbewaking: stalled after N days, nazorg after N weeks.
        "followups.add_followupsettings",
        "followups.change_followupsettings",
        "followups.view_followupsettings",
        # Terugkoppeling: the texts melders get.
        "intake.add_feedbacktemplate",
        "intake.change_feedbacktemplate",
        "intake.view_feedbacktemplate",
        # API tokens: look at them and revoke them (they are made by `manage.py api_token`).
        "api.view_apitoken",
        "api.change_apitoken",
        # Maatregelen: the days a decree equates with a feestdag (Algemene termijnenwet).
        "measures.add_equatedday",
        "measures.change_equatedday",
        "measures.delete_equatedday",
        "measures.view_equatedday",
        "measures.view_measure",
        "measures.view_measurestep",
    ],
    Role.CASEMANAGER: [],
    Role.RAPPORTAGE: [],
    Role.KOPPELING: [],
}


def roles_of(user) -> set[str]:
    """The user's roles, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_woonoverlast_roles"):
        user._woonoverlast_roles = set(user.groups.values_list("name", flat=True)) & set(Role)
    return user._woonoverlast_roles


def primary_role(user) -> str | None:
    """The role that shapes the start page: the broadest one the user has."""
    roles = roles_of(user)
    for role in (Role.TEAMLEIDER, Role.CASEMANAGER, Role.RAPPORTAGE):
        if role in roles:
            return role
    return None


def can_work_cases(user) -> bool:
    """Case files, parties and all case work: casemanagers and team leaders (never an
    application account, whatever other group it is in)."""
    return bool(roles_of(user) & set(CASE_WORK_ROLES)) and not is_application_account(user)


CASE_WORK_ROLES = (Role.CASEMANAGER, Role.TEAMLEIDER)


def case_workers(*, active_only: bool = True):
    """The users who may work cases (and so be a case's casemanager), by name."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(groups__name__in=CASE_WORK_ROLES)
    if active_only:
        users = users.filter(is_active=True)
    return users.distinct().order_by("first_name", "last_name", "username")


def can_lead_team(user) -> bool:
    """Reassigning cases, exporting case lists, freezing tables: team leaders."""
    return Role.TEAMLEIDER in roles_of(user)


def two_factor_required(user) -> bool:
    """Team leaders must use two-factor verification when the setting says so."""
    return settings.TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER and can_lead_team(user)


def can_view_reports(user) -> bool:
    """Figures without personal data: every role of the team (not a koppeling)."""
    return bool(roles_of(user) - {Role.KOPPELING})


def is_application_account(user) -> bool:
    """A koppeling (partner system): it may use the partners' API and nothing else."""
    return Role.KOPPELING in roles_of(user)


def can_handle_intake(user) -> bool:
    """The intake queue (binnengekomen meldingen) and its three ways out: case workers."""
    return can_work_cases(user)


def can_send_incoming_reports(user) -> bool:
    """POST /api/v1/meldingen/ and reading back its own meldingen: koppelingen only."""
    return user.is_active and is_application_account(user)


def can_see_parties(user, case) -> bool:
    """May `user` see the personal data of the parties of `case`?

    Team leaders always. Casemanagers while the case is open (the team works together); once
    it is closed, only those who worked on it (its casemanager, who registered it, logged an
    action, a melding or a status change) or to whom a team leader granted access. One query
    at most.
    """
    if not can_work_cases(user):
        return False
    if can_lead_team(user) or case.is_open:
        return True
    if user.pk in (case.casemanager_id, case.created_by_id):
        return True
    from django.db.models import Exists, Q
    from django.utils import timezone

    from woonoverlast.cases.models import Action, Case, Report, StatusChange

    from .models import CaseAccessGrant

    worked_on = (
        Q(Exists(Action.objects.filter(case=case, performed_by=user)))
        | Q(Exists(Report.objects.filter(case=case, created_by=user)))
        | Q(Exists(StatusChange.objects.filter(case=case, created_by=user)))
        | Q(
            Exists(
                CaseAccessGrant.objects.filter(
                    case=case, user=user, valid_until__gte=timezone.localdate()
                )
            )
        )
    )
    return Case.objects.filter(pk=case.pk).filter(worked_on).exists()


def sync_role_permissions(sender=None, **kwargs):
    """Give each role group its admin permissions (post_migrate: permissions exist by then)."""
    from django.contrib.auth.models import Group, Permission

    for role, codenames in ADMIN_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
