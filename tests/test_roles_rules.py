"""The closed-case rule as accounts.roles states it, each of its three forms asked directly:
can_see_case_data (one case), case_data_visible_condition (a list's address column) and
cases_with_visible_parties (the case list's search on a party's name). The views check roles
before they ask; these tests do not lean on that.

- Only case workers (casemanagers and team leaders, never a koppeling) see a case's personal
  data, also of an open case.
- A grant is valid up to and including its `valid_until` day ("geldig tot en met").
- Only active case workers are offered as casemanager: the same rule as can_work_cases, so
  not a koppeling or ketenpartner account that is also in the casemanager group.
"""

import datetime

import pytest
import time_machine

from tests.factories import CaseFactory, UserFactory, casemanager, koppeling, rapportage, teamleider
from woonoverlast.accounts.roles import (
    Role,
    can_see_case_data,
    can_work_cases,
    case_data_visible_condition,
    case_workers,
    cases_with_visible_parties,
)
from woonoverlast.accounts.services import case_access_grant
from woonoverlast.cases.models import Case

pytestmark = pytest.mark.django_db
D = datetime.date


def at_noon(day: datetime.date):
    """Travel to midday of `day`: the same local date whatever the time zone's offset."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False)


def visible_by_condition(user, case) -> bool:
    return Case.objects.annotate(visible=case_data_visible_condition(user)).get(pk=case.pk).visible


def visible_by_search_condition(user, case) -> bool:
    condition = cases_with_visible_parties(user)
    return condition is not None and Case.objects.filter(condition, pk=case.pk).exists()


def all_three(user, case) -> tuple[bool, bool, bool]:
    return (
        can_see_case_data(user, case),
        visible_by_condition(user, case),
        visible_by_search_condition(user, case),
    )


# -- who is a case worker --------------------------------------------------------------------


def koppeling_also_casemanager():
    """An application account put in the casemanager group as well: still no case worker."""
    user = koppeling()
    user.groups.add(*casemanager().groups.all())
    return user


NOT_CASE_WORKERS = {
    "rapportage": rapportage,
    "koppeling": koppeling,
    "koppeling die ook casemanager is": koppeling_also_casemanager,
    "zonder rol": UserFactory,
}


@pytest.mark.parametrize("make_user", NOT_CASE_WORKERS.values(), ids=NOT_CASE_WORKERS.keys())
def test_who_is_no_case_worker_sees_no_personal_data_of_an_open_case(make_user):
    case = CaseFactory()
    assert case.is_open
    assert all_three(make_user(), case) == (False, False, False)


@pytest.mark.parametrize("make_user", NOT_CASE_WORKERS.values(), ids=NOT_CASE_WORKERS.keys())
def test_who_is_no_case_worker_sees_none_of_a_closed_case_either(make_user):
    user = make_user()
    case = CaseFactory(by=None, closed_on=D(2023, 6, 1))
    assert all_three(user, case) == (False, False, False)


def test_the_search_condition_of_no_case_worker_is_none_at_all():
    assert cases_with_visible_parties(rapportage()) is None
    assert cases_with_visible_parties(koppeling()) is None


def test_every_casemanager_sees_an_open_case_and_a_team_leader_every_case():
    open_case = CaseFactory()
    closed_case = CaseFactory(closed_on=D(2023, 6, 1))
    assert all_three(casemanager(), open_case) == (True, True, True)
    assert all_three(casemanager(), closed_case) == (False, False, False)
    assert all_three(teamleider(), closed_case) == (True, True, True)


@pytest.mark.parametrize("who", ["casemanager", "registrant"])
def test_a_closed_cases_casemanager_and_its_registrant_each_keep_access_on_their_own(who):
    """Either suffices: the casemanager who did not register the case, and the registrant who
    is not its casemanager."""
    user, other = casemanager(), casemanager()
    case = CaseFactory(
        casemanager=user if who == "casemanager" else other,
        by=user if who == "registrant" else other,
        closed_on=D(2023, 6, 1),
    )
    case.refresh_from_db()
    assert all_three(user, case) == (True, True, True)
    assert all_three(casemanager(), case) == (False, False, False)


# -- a grant's last day ----------------------------------------------------------------------


@pytest.fixture
def granted():
    """A closed case and a casemanager who got a grant on 15 January 2024."""
    case = CaseFactory(closed_on=D(2023, 6, 1))
    user = casemanager()
    with at_noon(D(2024, 1, 15)):
        grant = case_access_grant(case, user=user, reason="Overlast terug", by=teamleider())
    return case, user, grant


def test_a_grant_is_valid_on_its_last_day_in_all_three_forms_of_the_rule(granted):
    case, user, grant = granted
    with at_noon(grant.valid_until):
        assert all_three(user, case) == (True, True, True)


def test_a_grant_has_ended_the_day_after_its_last_day_in_all_three_forms(granted):
    case, user, grant = granted
    with at_noon(grant.valid_until + datetime.timedelta(days=1)):
        assert all_three(user, case) == (False, False, False)


def test_a_grant_is_valid_from_the_day_it_is_given(granted):
    case, user, _ = granted
    with at_noon(D(2024, 1, 15)):
        assert all_three(user, case) == (True, True, True)


def test_a_grant_is_for_its_own_case_and_user_only(granted):
    case, user, grant = granted
    other_case = CaseFactory(closed_on=D(2023, 6, 1))
    with at_noon(grant.valid_until):
        assert all_three(casemanager(), case) == (False, False, False)
        assert all_three(user, other_case) == (False, False, False)


# -- who may be a case's casemanager -------------------------------------------------------


def test_only_active_case_workers_are_offered_as_casemanager():
    active_cm, active_tl = casemanager(), teamleider()
    inactive = casemanager(is_active=False)
    reporter, partner = rapportage(), koppeling()
    offered = set(case_workers())
    assert {active_cm, active_tl} <= offered
    assert not offered & {inactive, reporter, partner}


def test_case_workers_are_offered_by_first_name_then_last_name_then_username():
    people = [
        casemanager(username="c", first_name="Anna", last_name="Zwart"),
        casemanager(username="b", first_name="Anna", last_name="Bakker"),
        casemanager(username="a", first_name="Bert", last_name="Aalders"),
        casemanager(username="e", first_name="Anna", last_name="Jansen"),
        casemanager(username="d", first_name="Anna", last_name="Jansen"),
    ]
    offered = [user for user in case_workers() if user in people]
    assert [user.username for user in offered] == ["b", "d", "e", "c", "a"]


def test_the_inactive_ones_only_when_asked_for():
    inactive = casemanager(is_active=False)
    assert inactive in case_workers(active_only=False)
    assert inactive not in case_workers()


def partner_also_casemanager():
    """A ketenpartner's account put in the casemanager group as well: still no case worker."""
    user = UserFactory(role=Role.KETENPARTNER)
    user.groups.add(*casemanager().groups.all())
    return user


@pytest.mark.parametrize(
    "make_user",
    [koppeling_also_casemanager, partner_also_casemanager],
    ids=["koppeling die ook casemanager is", "ketenpartner die ook casemanager is"],
)
def test_an_account_that_may_not_work_cases_is_not_offered_even_in_the_casemanager_group(
    make_user,
):
    user = make_user()
    assert user.groups.filter(name=Role.CASEMANAGER).exists()
    assert user not in case_workers()
    assert user not in case_workers(active_only=False)
    assert not can_work_cases(user)


def test_a_case_worker_in_both_groups_is_offered_once():
    user = casemanager()
    user.groups.add(*teamleider().groups.filter(name=Role.TEAMLEIDER))
    assert list(case_workers()).count(user) == 1
