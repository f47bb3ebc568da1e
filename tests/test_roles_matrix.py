"""Who may do what, as accounts.roles states it: every helper asked directly for every role
(and for the accounts that are in a role's group by mistake). The closed-case rule itself is in
test_roles_rules.py and test_closed_case_rule.py; the views' use of these helpers in
test_access.py.

- A koppeling uses the partners' API and nothing else, a ketenpartner /partner/ and nothing
  else: whatever other group the same account is in gives it nothing more.
- Case work (case files, intake, overleg, archive data, staff workload): casemanagers and team
  leaders.
- Leading the team (reassigning, status corrections, subscriptions, MDTO, partners,
  destruction-list review): team leaders.
- Reports (figures only): every role of the team, not a koppeling, ketenpartner or archivaris
  (an archivaris who is also rapportage: as rapportage).
- The archivaris approves vernietigingslijsten and sees them (with team leaders); a koppeling
  in the archivaris group is no archivaris.
- A koppeling may send meldingen while active; a ketenpartner may use /partner/ while active.
- Two-factor: a ketenpartner unless switched off; a team leader when switched on.
- Vertrouwelijke documents: the case's casemanager and team leaders; a dossier export: who
  asked for it and team leaders; correcting an entry: its author or a team leader, on a case
  they may write to; chairing an overleg: its chair or a team leader.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from tests.factories import UserFactory
from woonoverlast.accounts import roles
from woonoverlast.accounts.roles import ADMIN_PERMISSIONS, Role

pytestmark = pytest.mark.django_db

CM, TL, RAP, KOP, ARC, KP = (
    Role.CASEMANAGER,
    Role.TEAMLEIDER,
    Role.RAPPORTAGE,
    Role.KOPPELING,
    Role.ARCHIVARIS,
    Role.KETENPARTNER,
)


def user_in(*groups: str, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


# The accounts asked about: their groups, and the answer of each helper (True: may).
ACCOUNTS = {
    "casemanager": (CM,),
    "teamleider": (TL,),
    "rapportage": (RAP,),
    "koppeling": (KOP,),
    "archivaris": (ARC,),
    "ketenpartner": (KP,),
    "zonder rol": (),
    "koppeling ook casemanager": (KOP, CM),
    "koppeling ook teamleider": (KOP, TL),
    "ketenpartner ook teamleider": (KP, TL),
    "koppeling ook archivaris": (KOP, ARC),
    "archivaris ook rapportage": (ARC, RAP),
}
WORKS_CASES = {"casemanager", "teamleider"}
LEADS = {"teamleider"}
REPORTS = {"casemanager", "teamleider", "rapportage", "archivaris ook rapportage"}
ARCHIVARIS = {"archivaris", "archivaris ook rapportage"}
KOPPELINGEN = {name for name, groups in ACCOUNTS.items() if KOP in groups}
PARTNERS = {name for name, groups in ACCOUNTS.items() if KP in groups}

EXPECTED = {
    "can_work_cases": WORKS_CASES,
    "can_see_staff_workload": WORKS_CASES,
    "can_handle_intake": WORKS_CASES,
    "can_take_part_in_overleg": WORKS_CASES,
    "can_lead_team": LEADS,
    "can_correct_status": LEADS,
    "can_manage_subscriptions": LEADS,
    "can_review_destruction_list": LEADS,
    "can_export_mdto": LEADS,
    "can_manage_partners": LEADS,
    "can_manage_letter_templates": LEADS,
    "can_view_reports": REPORTS,
    "is_application_account": KOPPELINGEN,
    "can_send_intake_meldingen": KOPPELINGEN,
    "is_partner_account": PARTNERS,
    "can_use_partner_pages": PARTNERS,
    "is_archivaris": ARCHIVARIS,
    "can_approve_destruction_list": ARCHIVARIS,
    "can_see_destruction_lists": LEADS | ARCHIVARIS,
}


@pytest.fixture
def accounts():
    return {name: user_in(*groups) for name, groups in ACCOUNTS.items()}


@pytest.mark.parametrize("helper", EXPECTED)
def test_each_rule_of_who_may_for_every_account(helper, accounts):
    allowed = {name for name, user in accounts.items() if getattr(roles, helper)(user)}
    assert allowed == EXPECTED[helper]


@pytest.mark.parametrize("helper", EXPECTED)
def test_an_anonymous_visitor_may_nothing(helper):
    assert not getattr(roles, helper)(AnonymousUser())


@pytest.mark.parametrize(
    "helper", ["can_send_intake_meldingen", "can_use_partner_pages"], ids=["koppeling", "partner"]
)
def test_an_inactive_account_may_not_use_the_partners_api_or_pages(helper):
    group = KOP if helper == "can_send_intake_meldingen" else KP
    assert not getattr(roles, helper)(user_in(group, is_active=False))


def test_a_superuser_without_role_manages_letter_templates_and_nothing_else():
    admin = user_in(is_superuser=True)
    assert roles.can_manage_letter_templates(admin)
    assert not roles.can_lead_team(admin) and not roles.can_work_cases(admin)


# -- roles_of and primary_role ----------------------------------------------------------------


def test_the_roles_are_the_accounts_role_groups_only(django_assert_num_queries):
    Group.objects.create(name="beheer")
    user = user_in(CM, RAP, "beheer")
    assert roles.roles_of(AnonymousUser()) == set()
    assert roles.roles_of(user) == {CM, RAP}
    assert roles.roles_of(user_in()) == set()
    with django_assert_num_queries(0):  # asked once per request
        assert roles.roles_of(user) == {CM, RAP}


@pytest.mark.parametrize(
    ("groups", "primary"),
    [
        ((CM, TL, RAP, ARC), TL),
        ((CM, RAP, ARC), CM),
        ((RAP, ARC), RAP),
        ((ARC,), ARC),
        ((KOP,), None),
        ((KP,), None),
        ((), None),
    ],
)
def test_the_start_page_follows_the_broadest_role(groups, primary):
    assert roles.primary_role(user_in(*groups)) == primary


# -- two-factor ---------------------------------------------------------------------------


@pytest.mark.parametrize("for_leader", [True, False])
@pytest.mark.parametrize("for_partner", [True, False])
def test_two_factor_per_setting_for_team_leaders_and_ketenpartners(
    settings, for_leader, for_partner
):
    settings.TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER = for_leader
    settings.TWO_FACTOR_REQUIRED_FOR_KETENPARTNER = for_partner
    assert roles.two_factor_required(user_in(TL)) is for_leader
    assert roles.two_factor_required(user_in(KP)) is for_partner
    assert roles.two_factor_required(user_in(CM)) is False
    assert roles.two_factor_required(user_in(RAP)) is False


# -- the dossier ----------------------------------------------------------------------------


@pytest.fixture
def team():
    return SimpleNamespace(cm=user_in(CM), other=user_in(CM), tl=user_in(TL), rap=user_in(RAP))


def open_case(casemanager):
    return SimpleNamespace(is_open=True, casemanager_id=casemanager.pk, created_by_id=None)


def test_a_confidential_document_for_the_cases_casemanager_and_team_leaders(team):
    case = open_case(team.cm)
    document = SimpleNamespace(confidential=True, case=case)
    plain = SimpleNamespace(confidential=False, case=case)
    for user, confidential in ((team.cm, True), (team.tl, True), (team.other, False)):
        assert roles.can_see_confidential_documents(user, case) is confidential
        assert roles.can_see_document(user, document) is confidential
        assert roles.can_see_document(user, plain) is True
        assert roles.can_add_documents(user, case) is True
    assert not roles.can_see_document(team.rap, plain)
    assert not roles.can_see_confidential_documents(team.rap, case)
    assert not roles.can_add_documents(team.rap, case)


def test_a_confidential_document_of_a_case_without_casemanager_for_team_leaders_only(team):
    case = SimpleNamespace(is_open=True, casemanager_id=None, created_by_id=None)
    assert roles.can_see_confidential_documents(team.tl, case)
    assert not roles.can_see_confidential_documents(team.cm, case)


def test_a_dossier_export_for_who_asked_for_it_and_team_leaders(team):
    case = open_case(team.cm)
    export = SimpleNamespace(case=case, requested_by_id=team.other.pk)
    assert roles.can_see_dossier_export(team.other, export)
    assert roles.can_see_dossier_export(team.tl, export)
    assert not roles.can_see_dossier_export(team.cm, export)
    mine = SimpleNamespace(case=case, requested_by_id=team.rap.pk)
    assert not roles.can_see_dossier_export(team.rap, mine)


# -- correcting an entry, the archive, the overleg -----------------------------------------------


def test_an_entry_is_corrected_by_its_author_or_a_team_leader_on_a_case_they_may_write(team):
    case = open_case(team.cm)
    entry = SimpleNamespace(case=case, author_id=team.other.pk)
    assert roles.can_correct_entry(team.other, entry)
    assert roles.can_correct_entry(team.tl, entry)
    assert not roles.can_correct_entry(team.cm, entry)
    # Who may not write to the case corrects nothing, not even their own entry.
    assert not roles.can_correct_entry(team.other, entry, may_write=False)
    assert not roles.can_correct_entry(team.tl, entry, may_write=False)
    own = SimpleNamespace(case=case, author_id=team.rap.pk)
    assert not roles.can_correct_entry(team.rap, own)
    assert roles.can_correct_entry(team.other, entry, may_write=True)


def test_an_entry_without_known_author_is_corrected_by_a_team_leader_only(team):
    entry = SimpleNamespace(case=open_case(team.cm), author_id=None)
    assert roles.can_correct_entry(team.tl, entry)
    assert not roles.can_correct_entry(team.cm, entry)
    # An unsaved user (no pk) is never the author of an entry without one.
    nobody = user_in(CM)
    assert roles.roles_of(nobody) == {CM}  # asked while saved, kept on the object
    nobody.pk = None
    assert not roles.can_correct_entry(nobody, entry, may_write=True)


def test_archive_data_for_case_workers_a_result_chosen_by_who_may_write(team):
    case = open_case(team.cm)
    for user, may in ((team.cm, True), (team.tl, True), (team.rap, False)):
        assert roles.can_see_archive_data(user, case) is may
        assert roles.can_choose_case_result(user, case) is may


def test_an_overleg_is_chaired_by_its_chair_or_a_team_leader(team):
    meeting = SimpleNamespace(chair_id=team.cm.pk)
    assert roles.can_chair(team.cm, meeting)
    assert roles.can_chair(team.tl, meeting)
    assert not roles.can_chair(team.other, meeting)
    partner_chair = user_in(KP, CM)
    assert not roles.can_chair(partner_chair, SimpleNamespace(chair_id=partner_chair.pk))


# -- the admin's permissions ----------------------------------------------------------------


def test_each_role_group_gets_exactly_its_admin_permissions():
    for group in Group.objects.filter(name__in=list(Role)):
        group.permissions.clear()
    Group.objects.filter(name=Role.ARCHIVARIS).delete()
    leader = Group.objects.get(name=Role.TEAMLEIDER)
    stray = Permission.objects.get(content_type__app_label="cases", codename="delete_case")
    leader.permissions.add(stray)
    roles.sync_role_permissions()
    for role, codenames in ADMIN_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        given = {
            f"{label}.{codename}"
            for label, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert given == set(codenames), role
    assert len(ADMIN_PERMISSIONS[Role.TEAMLEIDER]) > 40
