"""The services' write check (accounts.access.check_case_write), asked directly: every
service that writes to a case calls it first (tests/test_access.py checks that they do).

- The system itself (`by=None`: import, demo data, jobs) always writes.
- A user writes only where accounts.roles.can_write_case allows it: a closed case only its
  casemanager, its registrant, a team leader or who holds a grant; an open case every case
  worker; never a rapportage or koppeling account.
- A refusal is a PermissionDenied with the Dutch message the pages show.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import CaseFactory, casemanager, koppeling, rapportage, teamleider
from woonoverlast.accounts.access import check_case_write

pytestmark = pytest.mark.django_db
D = datetime.date
REFUSED = "U mag deze casus niet wijzigen."


@pytest.fixture
def owner():
    return casemanager()


@pytest.fixture
def closed_case(owner):
    return CaseFactory(casemanager=owner, closed_on=D(2023, 6, 1))


def refusal(case, by) -> str | None:
    try:
        check_case_write(case, by)
    except PermissionDenied as error:
        return str(error)
    return None


def test_the_system_itself_writes_to_a_closed_case(closed_case):
    assert refusal(closed_case, None) is None


def test_a_closed_case_its_casemanager_and_team_leaders_write(closed_case, owner):
    assert refusal(closed_case, owner) is None
    assert refusal(closed_case, teamleider()) is None


def test_another_casemanager_is_refused_on_a_closed_case_with_the_message(closed_case):
    assert refusal(closed_case, casemanager()) == REFUSED


def test_an_open_case_every_case_worker_but_no_other_account(owner):
    case = CaseFactory(casemanager=owner)
    assert refusal(case, casemanager()) is None
    assert refusal(case, rapportage()) == REFUSED
    assert refusal(case, koppeling()) == REFUSED
