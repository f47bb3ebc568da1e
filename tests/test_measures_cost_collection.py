"""Collecting the costs of bestuursdwang after a bekendgemaakte kostenbeschikking (art. 5:25
Awb): a geldschuld of titel 4.4 Awb, paid within six weeks of the bekendmaking (4:87 lid 1),
then aanmaning (4:112) and dwangbevel (4:114); verjaard five years after the betalingstermijn
(4:104 lid 1), not the dwangsom's one year of 5:35."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests import measures_helpers as helpers
from tests.measures_helpers import codes, record, state_of
from woonoverlast.common.calendar import AtwCalendar
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.deadlines import betalingstermijn_end, geldschuld_verjaring_end
from woonoverlast.measures.rules import DeadlineKind
from woonoverlast.measures.selection import measure_end_date
from woonoverlast.measures.work import TaskKind, enforcement_tasks

pytestmark = pytest.mark.django_db

D = datetime.date
COST_NOTIFIED_ON = D(2026, 3, 6)  # betalingstermijn ends Friday 17 April 2026
PAYMENT_ENDS = D(2026, 4, 17)
PRESCRIBED_AFTER = D(2031, 4, 17)  # the last day the costs can be collected


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2032, 1, 5, 12, 0), tick=False):
        yield


def charged(cm, tl):
    """Bestuursdwang applied and its costs (€ 1.200) charged by a kostenbeschikking
    bekendgemaakt on 6 March 2026."""
    m = helpers.ordered(
        cm, tl, notified_on=D(2026, 2, 3), kind=MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT
    )
    record(m, Step.CHECK, D(2026, 3, 1), cm, outcome=Outcome.BREACHED)
    record(m, Step.ENFORCEMENT_APPLIED, D(2026, 3, 1), cm)
    record(m, Step.COST_ORDER, D(2026, 3, 5), tl, amount=Decimal("1200"))
    record(m, Step.NOTIFIED, COST_NOTIFIED_ON, cm)
    return m


def test_the_betalingstermijn_is_six_weeks_moved_by_the_atw():
    calendar = AtwCalendar.load()
    assert betalingstermijn_end(D(2026, 2, 3), calendar).ends_on == D(2026, 3, 17)
    # Six weeks end on 5 May (Bevrijdingsdag, art. 3 Atw): Wednesday 6 May.
    assert betalingstermijn_end(D(2026, 3, 24), calendar).ends_on == D(2026, 5, 6)


def test_the_verjaring_of_a_geldschuld_is_five_years_after_the_betalingstermijn():
    assert geldschuld_verjaring_end(D(2026, 3, 17)) == D(2031, 3, 17)


def test_the_costs_verjaren_five_years_after_the_betalingstermijn(cm, tl):
    m = charged(cm, tl)
    state = state_of(m)
    assert state.cost_payment_term(state.last(Step.COST_ORDER)).ends_on == PAYMENT_ENDS
    (item,) = state.verjaringen_kosten
    assert item.ends_on == PRESCRIBED_AFTER
    deadline = next(d for d in state.deadlines if d.kind == DeadlineKind.COST_PRESCRIPTION)
    assert deadline.due_on == PRESCRIBED_AFTER and deadline.is_decision


def test_no_verjaring_before_the_kostenbeschikking_is_bekendgemaakt(cm, tl):
    m = helpers.ordered(
        cm, tl, notified_on=D(2026, 2, 3), kind=MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT
    )
    record(m, Step.CHECK, D(2026, 3, 1), cm, outcome=Outcome.BREACHED)
    record(m, Step.ENFORCEMENT_APPLIED, D(2026, 3, 1), cm)
    record(m, Step.COST_ORDER, D(2026, 3, 5), tl, amount=Decimal("1200"))
    assert state_of(m).verjaringen_kosten == []
    assert enforcement_tasks(state_of(m), D(2026, 6, 1)) == []


def test_the_aanmaning_is_due_the_day_after_the_betalingstermijn(cm, tl):
    m = charged(cm, tl)
    state = state_of(m)
    assert enforcement_tasks(state, PAYMENT_ENDS) == []
    (task,) = enforcement_tasks(state, PAYMENT_ENDS + datetime.timedelta(days=1))
    assert (task.kind, task.due_on, task.step) == (
        TaskKind.REMINDER,
        D(2026, 4, 18),
        Step.REMINDER,
    )
    assert "€ 1.200,00" in task.detail and "4:104" in task.detail


def test_the_dwangbevel_is_due_two_weeks_after_the_aanmaning(cm, tl):
    m = charged(cm, tl)
    record(m, Step.REMINDER, D(2026, 4, 20), cm)
    state = state_of(m)
    assert enforcement_tasks(state, D(2026, 5, 4)) == []
    (task,) = enforcement_tasks(state, D(2026, 5, 5))
    assert (task.kind, task.step) == (TaskKind.WRIT, Step.WRIT)
    # The first aanmaning stuit the verjaring: five years from it.
    assert state.verjaringen_kosten[0].ends_on == D(2031, 4, 20)
    record(m, Step.WRIT, D(2026, 5, 6), cm)
    assert enforcement_tasks(state_of(m), D(2026, 6, 1)) == []


def test_nothing_is_due_once_paid(cm, tl):
    m = charged(cm, tl)
    record(m, Step.PAYMENT_RECEIVED, D(2026, 4, 1), cm, amount=Decimal("1200"))
    state = state_of(m)
    assert enforcement_tasks(state, D(2026, 6, 1)) == []
    assert not [d for d in state.deadlines if d.kind == DeadlineKind.COST_PRESCRIPTION]


def test_an_aanmaning_on_the_last_day_and_not_the_day_after(cm, tl):
    m = charged(cm, tl)
    state = state_of(m)
    assert [t.kind for t in enforcement_tasks(state, PRESCRIBED_AFTER)] == [TaskKind.REMINDER]
    assert enforcement_tasks(state, PRESCRIBED_AFTER + datetime.timedelta(days=1)) == []
    with pytest.raises(ValidationError) as excinfo:
        record(m, Step.REMINDER, PRESCRIBED_AFTER + datetime.timedelta(days=1), cm)
    assert codes(excinfo) == {"prescribed"}
    assert record(m, Step.REMINDER, PRESCRIBED_AFTER, cm)


def test_the_measure_ends_for_archiving_with_the_verjaring_of_its_costs(cm, tl):
    m = charged(cm, tl)
    record(m, Step.ENDED, D(2026, 5, 1), cm)
    assert measure_end_date(m, on=PRESCRIBED_AFTER) is None
    assert measure_end_date(m, on=D(2031, 4, 18)) == PRESCRIBED_AFTER


def test_only_the_first_aanmaning_and_each_dwangbevel_stuit_the_verjaring_of_the_costs(cm, tl):
    # Art. 4:105 and 4:106 Awb: a stuiting starts five years anew; the first aanmaning stuit
    # it, a second one does not, a dwangbevel does.
    m = charged(cm, tl)
    (item,) = state_of(m).verjaringen_kosten
    assert (item.interrupted_on, item.ends_on) == (None, PRESCRIBED_AFTER)
    record(m, Step.REMINDER, D(2026, 4, 20), cm)
    (item,) = state_of(m).verjaringen_kosten
    assert (item.interrupted_on, item.ends_on) == (D(2026, 4, 20), D(2031, 4, 20))
    record(m, Step.REMINDER, D(2026, 5, 1), cm)
    (item,) = state_of(m).verjaringen_kosten
    assert (item.interrupted_on, item.ends_on) == (D(2026, 4, 20), D(2031, 4, 20))
    record(m, Step.WRIT, D(2026, 5, 6), cm)
    (item,) = state_of(m).verjaringen_kosten
    assert (item.interrupted_on, item.ends_on) == (D(2026, 5, 6), D(2031, 5, 6))


def test_an_aanmaning_on_the_verjarings_last_day_still_stuit_it(cm, tl):
    m = charged(cm, tl)
    record(m, Step.REMINDER, PRESCRIBED_AFTER, cm)
    (item,) = state_of(m).verjaringen_kosten
    assert (item.interrupted_on, item.ends_on) == (PRESCRIBED_AFTER, D(2036, 4, 17))


def test_an_aanmaning_before_a_second_kostenbeschikking_does_not_stuit_its_verjaring(cm, tl):
    # The aanmaning of 2 May is for the first beschikking's costs; the second beschikking
    # (5 May, bekendgemaakt 6 May) is paid by 17 June 2026 and verjaart on 17 June 2031.
    m = charged(cm, tl)
    record(m, Step.CHECK, D(2026, 5, 1), cm, outcome=Outcome.BREACHED)
    record(m, Step.ENFORCEMENT_APPLIED, D(2026, 5, 1), cm)
    record(m, Step.REMINDER, D(2026, 5, 2), cm)
    record(m, Step.COST_ORDER, D(2026, 5, 5), tl, amount=Decimal("800"))
    record(m, Step.NOTIFIED, D(2026, 5, 6), cm)
    first, second = state_of(m).verjaringen_kosten
    assert (first.interrupted_on, first.ends_on) == (D(2026, 5, 2), D(2031, 5, 2))
    assert (second.interrupted_on, second.ends_on) == (None, D(2031, 6, 17))
