"""The counts of actions per month and type (cases.models.ActionMonth) that the overview
reads: kept by the action services, always equal to counting the actions."""

import datetime
import threading

import pytest
from django.conf import settings as django_settings

from tests.factories import CaseFactory, UserFactory, teamleider
from tests.factories import action as log_action
from woonoverlast.accounts.roles import Role
from woonoverlast.cases import services
from woonoverlast.cases.choices import ActionType
from woonoverlast.cases.models import ActionMonth
from woonoverlast.cases.services.action_months import (
    action_months_from_history,
    action_months_rebuild,
)

D = datetime.date


def kept() -> dict:
    return {
        (row.month, row.action_type): row.count for row in ActionMonth.objects.all() if row.count
    }


@pytest.mark.django_db
def test_log_correct_and_withdraw_move_the_counts():
    leader = teamleider()
    case = CaseFactory(registered_on=D(2024, 1, 10))
    first = log_action(case, action_type=ActionType.CONVERSATION, performed_on=D(2024, 1, 31))
    log_action(case, action_type=ActionType.CONVERSATION, performed_on=D(2024, 1, 10))
    log_action(case, action_type=ActionType.WARNING, performed_on=D(2024, 2, 1))
    assert kept() == {
        (D(2024, 1, 1), ActionType.CONVERSATION): 2,
        (D(2024, 2, 1), ActionType.WARNING): 1,
    }
    # Moved to the next month and another type: out of one count, into another.
    services.action_correct(
        first, by=leader, performed_on=D(2024, 2, 29), action_type=ActionType.WARNING
    )
    assert kept() == {
        (D(2024, 1, 1), ActionType.CONVERSATION): 1,
        (D(2024, 2, 1), ActionType.WARNING): 2,
    }
    services.entry_withdraw(first, reason="Verkeerde casus", by=leader)
    assert kept() == {
        (D(2024, 1, 1), ActionType.CONVERSATION): 1,
        (D(2024, 2, 1), ActionType.WARNING): 1,
    }
    assert kept() == action_months_from_history()


@pytest.mark.django_db
def test_a_refused_action_counts_nothing():
    case = CaseFactory(registered_on=D(2024, 1, 10))
    with pytest.raises(Exception):  # noqa: B017 - any refusal: the point is what is kept
        log_action(case, performed_on=D(2024, 1, 9))
    assert kept() == {}


@pytest.mark.django_db
def test_a_rebuild_counts_the_same():
    case = CaseFactory(registered_on=D(2023, 12, 1))
    for day in (D(2023, 12, 31), D(2024, 1, 1), D(2024, 1, 2)):
        log_action(case, performed_on=day)
    before = kept()
    ActionMonth.objects.update(count=0)
    assert action_months_rebuild() == 2
    assert kept() == before == action_months_from_history()


@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (concurrent transactions)",
)
@pytest.mark.django_db(transaction=True)
def test_two_people_logging_in_a_new_month_at_once_both_count():
    """Both find no row for the month and create it; the unique constraint makes the second
    add to the first one's row instead of losing its action."""
    from django.db import connections

    cases = [CaseFactory(registered_on=D(2024, 1, 2)) for _ in range(2)]
    people = [UserFactory(role=Role.CASEMANAGER) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def write(case, user):
        try:
            barrier.wait(timeout=10)
            log_action(case, performed_on=D(2024, 3, 5), by=user, performed_by=user)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=write, args=pair) for pair in zip(cases, people, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert kept() == {(D(2024, 3, 1), ActionType.CONVERSATION): 2} == action_months_from_history()
