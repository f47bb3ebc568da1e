"""Case.last_activity_on and Action.case_open, kept up to date on write, always equal the
recomputation from the history: after every service, after the bulk import and the
bewaartermijn job (issue 18). Two writers at once are serialised by the row lock on the case
(services.last_activity, services.open_follow_ups): tested with two threads on PostgreSQL."""

import datetime

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.concurrency_helpers import at_once
from tests.factories import CaseFactory
from tests.factories import action as log_action
from woonoverlast.cases import services
from woonoverlast.cases.choices import ActionType, ClosingReason, HousingType
from woonoverlast.cases.models import Action, Case, District
from woonoverlast.cases.querysets import last_activity_from_history

TODAY = datetime.date(2026, 6, 15)


def assert_in_step():
    """The column of every case equals the history's answer, and so do the counts of actions
    per month (both derived, both kept by the same services)."""
    from woonoverlast.cases.models import ActionMonth
    from woonoverlast.cases.services.action_months import action_months_from_history

    kept = {(row.month, row.action_type): row.count for row in ActionMonth.objects.all()}
    assert {key: n for key, n in kept.items() if n} == action_months_from_history()
    rows = Case.objects.annotate(expected=last_activity_from_history()).values_list(
        "reference", "last_activity_on", "expected"
    )
    wrong = [(reference, kept, expected) for reference, kept, expected in rows if kept != expected]
    assert not wrong, f"last_activity_on out of step (reference, kept, history): {wrong}"
    # The case's status kept on its actions (services.open_follow_ups).
    actions = Action.objects.values_list("case__reference", "case_open", "case__status")
    wrong = [(reference, kept) for reference, kept, status in actions if kept != (status == "open")]
    assert not wrong, f"Action.case_open out of step with the case's status: {wrong}"


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
    services.cases_anonymise(
        case_ids=list(services.cases_past_retention(TODAY).values_list("pk", flat=True))
    )
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


@pytest.mark.django_db
def test_corrections_keep_it_in_step(today):
    """A correction changes what the history says, and the column follows: a withdrawn or
    re-dated action, a re-dated or withdrawn reopening, a closing withdrawn as made in error
    (the case stayed open: not a reopening)."""
    from tests.factories import teamleider

    leader = teamleider()
    case = CaseFactory(registered_on=datetime.date(2026, 1, 5))
    action = log_action(case, performed_on=datetime.date(2026, 3, 1))
    services.action_correct(action, by=leader, performed_on=datetime.date(2026, 2, 1))
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 2, 1)
    services.entry_withdraw(action, reason="Verkeerde casus", by=leader)
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 1, 5)

    services.case_close(case, on=datetime.date(2026, 2, 10), reason=ClosingReason.RESOLVED, by=None)
    services.case_reopen(case, on=datetime.date(2026, 4, 1), reason="Opnieuw overlast", by=None)
    services.status_date_correct(case, on=datetime.date(2026, 3, 20), reason="Datum", by=leader)
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 3, 20)
    services.status_change_withdraw(case, reason="Per vergissing heropend", by=leader)
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 1, 5)

    other = CaseFactory(
        registered_on=datetime.date(2026, 1, 5), closed_on=datetime.date(2026, 2, 1)
    )
    services.status_change_withdraw(other, reason="Per vergissing afgesloten", by=leader)
    other.refresh_from_db()
    assert (other.status, other.last_activity_on) == ("open", datetime.date(2026, 1, 5))
    assert_in_step()


@pytest.mark.django_db
def test_a_maatregel_step_is_activity(today):
    """A case whose gedragsaanwijzing moves is being worked: not stalled."""
    from tests.factories import measure, teamleider
    from woonoverlast.cases.querysets import stalled
    from woonoverlast.measures.choices import Step
    from woonoverlast.measures.services import measure_step_record

    leader = teamleider()
    case = CaseFactory(registered_on=datetime.date(2026, 1, 5))
    maatregel = measure(case, by=leader, on=datetime.date(2026, 1, 6))
    assert Case.objects.filter(stalled(datetime.date(2026, 2, 1)), pk=case.pk).exists()
    measure_step_record(
        maatregel, step=Step.INVESTIGATION_REPORT, on=datetime.date(2026, 3, 2), by=leader
    )
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 3, 2)
    assert not Case.objects.filter(stalled(datetime.date(2026, 2, 1)), pk=case.pk).exists()
    assert_in_step()


@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (concurrent transactions)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("repeat", range(3))
def test_an_action_logged_while_the_case_closes_follows_the_status(today, repeat):
    """A close and an action (with a follow-up) at the same moment: whichever commits first,
    the action ends up marked as on a closed case, and the last activity is right."""
    case = CaseFactory(registered_on=datetime.date(2026, 1, 5))
    writes = [
        lambda: services.case_close(
            Case.objects.get(pk=case.pk),
            on=datetime.date(2026, 3, 1),
            reason=ClosingReason.RESOLVED,
            by=None,
        ),
        lambda: log_action(
            Case.objects.get(pk=case.pk),
            performed_on=datetime.date(2026, 2, 1),
            follow_up_on=datetime.date(2026, 6, 20),
        ),
    ]
    assert not at_once(*writes)
    assert Action.objects.get(case=case).case_open is False
    assert_in_step()


@pytest.mark.django_db
def test_a_batch_refreshes_once_at_its_end_to_the_same_columns(today):
    """refresh_batch.case_refreshes_batched (the demo builder): inside it the derived columns
    wait; at its end they are what refreshing after every write gives."""
    from woonoverlast.cases.services.refresh_batch import case_refreshes_batched

    case = CaseFactory(registered_on=datetime.date(2026, 3, 1))
    with case_refreshes_batched():
        log_action(case, performed_on=datetime.date(2026, 5, 1), follow_up_on=TODAY)
        with case_refreshes_batched():  # a nested batch joins the outer one
            log_action(case, performed_on=datetime.date(2026, 5, 20))
        assert Case.objects.get(pk=case.pk).last_activity_on == datetime.date(2026, 3, 1)
        services.case_close(case, reason=ClosingReason.RESOLVED, on=TODAY, by=None)
        assert Action.objects.filter(case=case, case_open=True).exists()  # not yet refreshed
    case.refresh_from_db()
    assert case.last_activity_on == datetime.date(2026, 5, 20)
    assert not Action.objects.filter(case=case, case_open=True).exists()
    assert_in_step()


@pytest.mark.django_db
def test_a_failed_batch_refreshes_nothing(today):
    from woonoverlast.cases.services import refresh_batch

    case = CaseFactory(registered_on=datetime.date(2026, 3, 1))
    with pytest.raises(RuntimeError), refresh_batch.case_refreshes_batched():
        log_action(case, performed_on=datetime.date(2026, 5, 1))
        raise RuntimeError("stopped halfway")
    assert Case.objects.get(pk=case.pk).last_activity_on == datetime.date(2026, 3, 1)
    assert refresh_batch._pending.get() is None  # the next write refreshes at once again
    log_action(case, performed_on=datetime.date(2026, 5, 2))
    assert Case.objects.get(pk=case.pk).last_activity_on == datetime.date(2026, 5, 2)
