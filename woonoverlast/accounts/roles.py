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
    # The municipality's record keeper: approves vernietigingslijsten and sees the lists and
    # verklaringen van vernietiging, never a case's content.
    ARCHIVARIS = "archivaris", "Archivaris"
    # A contact person of a partner organisation (casusoverleg): only the pages under
    # /partner/, and there only what a convenant allows (woonoverlast.overleg).
    KETENPARTNER = "ketenpartner", "Ketenpartner"


# Model permissions each role gets in the Django admin. Team leaders maintain the reference
# lists (wijken, categories, partners, corporations) and may look at the cases' facts and
# history, never at personal data: parties are not in the admin (no view_party) and the other
# models' PERSONAL_DATA_FIELDS are left out (cases/admin.py). Personal data is read in the
# case file, where the closed-case rule applies and every read is audited.
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
        "cases.view_melding",
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
        # Events for other systems: the abonnementen and their channels (woonoverlast.events).
        "events.add_subscription",
        "events.change_subscription",
        "events.delete_subscription",
        "events.view_subscription",
        "events.add_subscriptionchannel",
        "events.change_subscriptionchannel",
        "events.delete_subscriptionchannel",
        "events.view_subscriptionchannel",
        # Maatregelen: the days a decree equates with a feestdag (Algemene termijnenwet).
        "measures.add_equatedday",
        "measures.change_equatedday",
        "measures.delete_equatedday",
        "measures.view_equatedday",
        "measures.view_measure",
        "measures.view_measurestep",
        # The dossier: team leaders maintain the letter templates (uploading a new version).
        "documents.add_lettertemplate",
        "documents.change_lettertemplate",
        "documents.view_lettertemplate",
        "documents.view_lettertemplateversion",
        # Archiving: the table of resultaten of the Selectielijst 2020 (a change is audited).
        "archiving.add_resulttype",
        "archiving.change_resulttype",
        "archiving.view_resulttype",
        # Casusoverleg: partner organisations, their contacts and convenanten (every change
        # is audited by the services the admin calls, woonoverlast.overleg.services).
        "overleg.add_organisation",
        "overleg.change_organisation",
        "overleg.view_organisation",
        "overleg.add_contact",
        "overleg.change_contact",
        "overleg.view_contact",
        "overleg.add_covenant",
        "overleg.change_covenant",
        "overleg.view_covenant",
    ],
    Role.CASEMANAGER: [],
    Role.RAPPORTAGE: [],
    Role.KOPPELING: [],
    Role.ARCHIVARIS: [],
    Role.KETENPARTNER: [],
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
    for role in (Role.TEAMLEIDER, Role.CASEMANAGER, Role.RAPPORTAGE, Role.ARCHIVARIS):
        if role in roles:
            return role
    return None


def can_work_cases(user) -> bool:
    """Case files, parties and all case work: casemanagers and team leaders (never an
    application account, whatever other group it is in)."""
    return (
        bool(roles_of(user) & set(CASE_WORK_ROLES))
        and not is_application_account(user)
        and not is_partner_account(user)
    )


CASE_WORK_ROLES = (Role.CASEMANAGER, Role.TEAMLEIDER)


def case_workers(*, active_only: bool = True):
    """The users who may work cases (and so be a case's casemanager), by name: the same rule
    as can_work_cases, so a koppeling or a ketenpartner that is also in the casemanager or
    teamleider group is not offered (it could not open the case it would be given)."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(groups__name__in=CASE_WORK_ROLES)
        .exclude(groups__name__in=(Role.KOPPELING, Role.KETENPARTNER))
    )
    if active_only:
        users = users.filter(is_active=True)
    return users.distinct().order_by("first_name", "last_name", "username")


def can_see_staff_workload(user) -> bool:
    """Open cases per named casemanager: the team itself (docs/privacy.md). A colleague's
    workload is personal data of staff, and the rapportage role needs figures, not names:
    it sees the team's totals only."""
    return can_work_cases(user)


def can_lead_team(user) -> bool:
    """Reassigning cases, exporting case lists, freezing tables: team leaders (never an
    application or partner account, whatever other group it is in)."""
    return (
        Role.TEAMLEIDER in roles_of(user)
        and not is_application_account(user)
        and not is_partner_account(user)
    )


def two_factor_required(user) -> bool:
    """Team leaders must use two-factor verification when the setting says so; a ketenpartner
    (someone outside the municipality who sees case data) unless the setting switches it off."""
    if settings.TWO_FACTOR_REQUIRED_FOR_KETENPARTNER and is_partner_account(user):
        return True
    return settings.TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER and can_lead_team(user)


def can_view_reports(user) -> bool:
    """Figures without personal data: every role of the team (not a koppeling, nor a
    ketenpartner: someone outside the team sees only /partner/; not the archivaris, whose
    task is the archive procedure only). A koppeling or ketenpartner account that is also in
    a team's group gets nothing more (is_application_account, is_partner_account)."""
    if is_application_account(user) or is_partner_account(user):
        return False
    return bool(roles_of(user) - {Role.ARCHIVARIS})


def is_application_account(user) -> bool:
    """A koppeling (partner system): it may use the partners' API and nothing else."""
    return Role.KOPPELING in roles_of(user)


def is_partner_account(user) -> bool:
    """A ketenpartner: a partner organisation's contact, who sees /partner/ and nothing else.
    Any other role the same account may have gives it nothing more (can_work_cases and the
    others exclude it), so that a mistaken group never opens the team's pages to a partner."""
    return Role.KETENPARTNER in roles_of(user)


def can_handle_intake(user) -> bool:
    """The intake queue (binnengekomen meldingen) and its three ways out: case workers."""
    return can_work_cases(user)


def can_send_intake_meldingen(user) -> bool:
    """POST /api/v1/meldingen/ and reading back its own meldingen: koppelingen only."""
    return user.is_active and is_application_account(user)


def can_see_case_data(user, case) -> bool:
    """May `user` see the personal data of `case`: its address, description, the texts of its
    meldingen, the notes of its actions and status changes, and its parties?

    The closed-case rule (docs/privacy.md), decided here only. Team leaders always.
    Casemanagers while the case is open (the team works together); once it is closed, only
    its casemanager, who registered it, and those to whom a team leader granted access that
    is still valid. Having written something on the case does NOT count: that was a bypass
    (log an action on a closed case, see everything for good), and a grant must end. At most
    one query (the grant), none for an open case or a team leader.
    """
    if not can_work_cases(user):
        return False
    if can_lead_team(user) or case.is_open:
        return True
    if user.pk in (case.casemanager_id, case.created_by_id):
        return True
    return _valid_grants(user).filter(case=case).exists()


def _valid_grants(user):
    """The access grants of `user` that are still valid today (a grant must end)."""
    from django.utils import timezone

    from .models import CaseAccessGrant

    return CaseAccessGrant.objects.filter(user=user, valid_until__gte=timezone.localdate())


def case_data_visible_condition(user):
    """can_see_case_data as a boolean annotation on Case rows, for lists that show an
    address: the one condition of cases_with_visible_parties, evaluated in the query."""
    from django.db.models import BooleanField, Value, When
    from django.db.models import Case as Cases

    visible = cases_with_visible_parties(user)
    if visible is None:
        return Value(False, output_field=BooleanField())
    if not visible:  # Q(): every case (a team leader)
        return Value(True, output_field=BooleanField())
    # CASE WHEN, not the bare condition: a NULL casemanager would make it NULL, not false.
    return Cases(When(visible, then=Value(True)), default=Value(False), output_field=BooleanField())


# The parties were the first personal data the rule covered; the name stays for callers.
can_see_parties = can_see_case_data


def can_write_case(user, case) -> bool:
    """May `user` write to `case` (log an action, huisbezoek or melding, add or correct a
    party, change its facts, close or reopen it)? Only who may see its personal data: a
    casemanager shut out of a closed case may not write to it either, nor reopen it, so that
    writing can never be a way in."""
    return can_see_case_data(user, case)


def can_correct_entry(user, entry, *, may_write: bool | None = None) -> bool:
    """May `user` correct or withdraw `entry` (a party, melding or action of a case)? Its
    author or a team leader, and only on a case they may write to (`may_write`: already
    known for this case, to spare the query). An entry without a known author (older rows)
    is corrected by a team leader."""
    if may_write is None:
        may_write = can_write_case(user, entry.case)
    if not may_write:
        return False
    return can_lead_team(user) or (user.pk is not None and user.pk == entry.author_id)


def can_correct_status(user) -> bool:
    """Correcting the status history (a wrong closing date, a closing entered in error):
    team leaders only, by appending rows (cases.services.status)."""
    return can_lead_team(user)


def can_manage_subscriptions(user) -> bool:
    """Abonnementen on the events and their failed deliveries: team leaders."""
    return can_lead_team(user)


def cases_with_visible_parties(user):
    """The cases whose personal data (parties included) `user` may see, as a condition on Case
    (None: none at all; Q(): all of them).

    THE closed-case rule of can_see_case_data for a whole list at once, the one condition
    written out: the case list's search on a party's name filters on it and
    case_data_visible_condition annotates with it (tests/test_search.py checks that they
    agree with the predicate).

    The grants as `id IN (their cases)`, on PostgreSQL `id = ANY(ARRAY(...))`: read once per
    query, an index scan like the other branches; the search writes the address out for the
    open cases and for the rest (cases.querysets.text_condition), so that it reads only the
    cases a casemanager may see.
    """
    from django.db.models import F, Q

    from woonoverlast.cases.choices import Status
    from woonoverlast.common.expressions import InSubquery

    if not can_work_cases(user):
        return None
    if can_lead_team(user):
        return Q()
    granted = InSubquery(F("pk"), _valid_grants(user).order_by().values("case_id"))
    return Q(status=Status.OPEN) | Q(casemanager=user) | Q(created_by=user) | Q(granted)


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


# -- archiving (woonoverlast.archiving) -------------------------------------------------------


def is_archivaris(user) -> bool:
    return Role.ARCHIVARIS in roles_of(user) and not is_application_account(user)


def can_see_destruction_lists(user) -> bool:
    """The vernietigingslijsten and verklaringen van vernietiging (references, resultaten,
    dates, counts: no case content): team leaders, who review them, and the archivaris."""
    return can_lead_team(user) or is_archivaris(user)


def can_review_destruction_list(user) -> bool:
    """Reviewing a proposal and taking a case off it (uitzondering): team leaders."""
    return can_lead_team(user)


def can_read_destruction_lists_api(user) -> bool:
    """The API's vernietigingslijsten and verklaringen (read-only, for the record keeper's
    systems): the archivaris only. Team leaders review the lists on their screens."""
    return is_archivaris(user)


def can_approve_destruction_list(user) -> bool:
    """Approving a vernietigingslijst: the archivaris only."""
    return is_archivaris(user)


def can_see_archive_data(user, case) -> bool:
    """A case's resultaat and archive dates on its case file and in the API: who may see the
    case file's facts (every case worker)."""
    return can_work_cases(user)


def can_choose_case_result(user, case) -> bool:
    """Choosing another resultaat for a closed case, with a reason: who may write to it."""
    return can_write_case(user, case)


def can_see_past_working_term(user) -> bool:
    """Asking the case list (and the API's) for the cases closed longer than RETENTION_MONTHS
    ago, which the working screens leave out: team leaders, who see every case's data under
    the closed-case rule and export cases for the archive (MDTO). Everyone else opens such a
    case only by its reference, under the closed-case rule."""
    return can_lead_team(user)


def can_choose_measure_result(user, measure) -> bool:
    """Choosing another resultaat for an ended maatregel, with a reason: who may write to
    its case."""
    return can_write_case(user, measure.case)


def can_export_mdto(user) -> bool:
    """An MDTO package (the whole case file, for the e-depot or a zaaksysteem): team leaders."""
    return can_lead_team(user)


# -- the dossier (woonoverlast.documents) ----------------------------------------------------


def can_see_documents(user, case) -> bool:
    """The documents of `case`: who may see its personal data (the closed-case rule)."""
    return can_see_case_data(user, case)


def can_see_confidential_documents(user, case) -> bool:
    """Vertrouwelijk documents: only the case's casemanager and team leaders."""
    return can_see_documents(user, case) and (
        can_lead_team(user) or (user.pk is not None and user.pk == case.casemanager_id)
    )


def can_see_document(user, document) -> bool:
    if document.confidential:
        return can_see_confidential_documents(user, document.case)
    return can_see_documents(user, document.case)


def can_add_documents(user, case) -> bool:
    """Uploading and making letters: who may write to the case."""
    return can_write_case(user, case)


def can_manage_letter_templates(user) -> bool:
    """Uploading letter templates (in the admin): team leaders (and the admin's superuser)."""
    return can_lead_team(user) or user.is_superuser


def can_see_dossier_export(user, export) -> bool:
    """A case file as PDF: whoever asked for it, and team leaders."""
    return can_see_documents(user, export.case) and (
        export.requested_by_id == user.pk or can_lead_team(user)
    )


# -- the casusoverleg (woonoverlast.overleg) ------------------------------------------------


def can_take_part_in_overleg(user) -> bool:
    """The team's overleg pages (the list, proposing a case, the agenda): case workers."""
    return can_work_cases(user)


def can_manage_partners(user) -> bool:
    """Partner organisations, contacts and convenanten; the verstrekkingen register: team
    leaders."""
    return can_lead_team(user)


def can_chair(user, meeting) -> bool:
    """Setting the agenda, recording the bespreking and afspraken, the partners' preview: the
    overleg's chair, or a team leader (who stands in when the chair is away)."""
    return can_work_cases(user) and (can_lead_team(user) or meeting.chair_id == user.pk)


def can_use_partner_pages(user) -> bool:
    """/partner/: an active ketenpartner account linked to an active contact person."""
    return user.is_active and is_partner_account(user)
