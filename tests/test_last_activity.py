"""Case.last_activity_on, kept up to date on write, always equals the recomputation from the
history: after every service, after the bulk import, the bewaartermijn job and two writers at
once (issue 18)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CaseFactory, UserFactory
from tests.factories import action as log_action
from woonoverlast.cases import services
from woonoverlast.cases.choices import ActionType, ClosingReason, HousingType
from woonoverlast.cases.models import Case, District
from woonoverlast.cases.querysets import last_activity_from_history

TODAY = datetime.date(2026, 6, 15)


def assert_in_step():
    """The column of every case equals the history's answer."""
    rows = Case.objects.annotate(expected=last_activity_from_history()).values_list(
        "reference", "last_activity_on", "expected"
    )
    wrong = [(reference, kept, expected) for reference, kept, expected in rows if kept != expected]
    assert not wrong, f"last_activity_on out of step (reference, kept, history): {wrong}"


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False)
    return TODAY


@pytest.mark.django_db
def test_registration_sets_it_to_the_registration_date(today):
    case = CaseFactory(registered_on=datetime.date(2026, 3, 1))
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 3, 1)
    assert_in_step()


@pytest.mark.django_db
def test_an_action_moves_it_forward_and_a_backdated_one_does_not(today):
    case = CaseFactory(registered_on=datetime.date(2026, 3, 1))
    log_action(case, performed_on=datetime.date(2026, 5, 1))
    log_action(case, performed_on=datetime.date(2026, 4, 1))  # back-dated: not later
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 5, 1)
    assert_in_step()


@pytest.mark.django_db
def test_reopening_counts_as_activity_and_closing_does_not(today):
    case = CaseFactory(registered_on=datetime.date(2026, 1, 5))
    services.case_close(case, on=datetime.date(2026, 2, 1), reason=ClosingReason.RESOLVED, by=None)
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 1, 5)
    services.case_reopen(case, on=datetime.date(2026, 6, 1), reason="Nieuwe meldingen", by=None)
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 6, 1)
    assert_in_step()


@pytest.mark.django_db
def test_correcting_the_registration_date_recomputes_it(today):
    case = CaseFactory(registered_on=datetime.date(2026, 3, 1))
    services.case_update(case, by=None, registered_on=datetime.date(2026, 4, 20))
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 4, 20)
    assert_in_step()


@pytest.mark.django_db
def test_the_bulk_import_and_the_bewaartermijn_job_keep_it(today):
    district = District.objects.first()
    services.cases_register_many(
        [
            services.NewCase(
                register={
                    "district": district,
                    "housing_type": HousingType.KOOP,
                    "registered_on": datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
                },
                close_on=datetime.date(2021, 1, 1) if n % 2 else None,
            )
            for n in range(10)
        ],
        by=None,
    )
    assert_in_step()
    services.cases_anonymise(on=TODAY, by=None)
    assert Case.objects.filter(anonymised_at__isnull=False).exists()
    assert_in_step()


_steps = st.lists(
    st.tuples(
        st.sampled_from(["action", "close", "reopen", "registered_on"]),
        st.integers(min_value=0, max_value=160),
    ),
    max_size=8,
)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=_steps)
def test_any_sequence_of_writes_keeps_it_in_step(today, steps):
    """Whatever the services are asked, in any order, with any dates (refused ones too)."""
    from django.core.exceptions import ValidationError

    start = datetime.date(2026, 1, 1)
    case = CaseFactory(registered_on=start)
    for step, offset in steps:
        day = start + datetime.timedelta(days=offset)
        try:
            if step == "action":
                log_action(case, performed_on=day, action_type=ActionType.CONVERSATION)
            elif step == "close":
                services.case_close(case, on=day, reason=ClosingReason.RESOLVED, by=None)
            elif step == "reopen":
                services.case_reopen(case, on=day, reason="Opnieuw overlast", by=None)
            else:
                services.case_update(case, by=None, registered_on=day)
        except ValidationError:
            pass  # refused: nothing changed, and the column must still be right
        case.refresh_from_db()
    assert_in_step()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two writers at once need PostgreSQL's row locks"
)
def test_two_people_logging_actions_at_once(today):
    """Each writer's transaction recomputes; neither may hide the other's action."""
    case = CaseFactory(registered_on=datetime.date(2026, 1, 1))
    people = [UserFactory(), UserFactory()]
    dates = [datetime.date(2026, 5, 1), datetime.date(2026, 6, 1)]
    barrier = threading.Barrier(2)
    errors = []

    def write(user, day):
        try:
            barrier.wait(timeout=10)
            log_action(case, performed_on=day, performed_by=user, by=user)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=write, args=pair) for pair in zip(people, dates, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 6, 1)
    assert_in_step()
