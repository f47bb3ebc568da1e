"""Collecting forfeited dwangsommen and the costs of bestuursdwang: the invorderingsbeschikking
(art. 5:37 Awb), payments, aanmaning and dwangbevel (4:112, 4:114), and the verjaring per
verbeurde dwangsom (5:35; stuiting 5:37a lid 1 and 4:106)."""

import datetime
from decimal import Decimal
from functools import partial

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests import measures_helpers as helpers
from tests.measures_helpers import codes, messages, record, state_of
from woonoverlast.measures.choices import COLLECTION_STEPS, MeasureKind, Outcome, Step
from woonoverlast.measures.models import MeasureStep
from woonoverlast.measures.money import format_euro
from woonoverlast.measures.rules import ALLOWED_STEPS, DeadlineKind
from woonoverlast.measures.selection import measure_end_date

pytestmark = pytest.mark.django_db

D = datetime.date
NOTIFIED_ON = D(2026, 2, 3)  # bezwaartermijn ends Tuesday 17 March 2026
FORFEITED_ON = D(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2028, 12, 1, 12, 0), tick=False):
        yield


ordered = partial(helpers.ordered, notified_on=NOTIFIED_ON)


def forfeited(cm, tl, times=1):
    m = ordered(cm, tl)
    for _ in range(times):
        record(m, Step.CHECK, FORFEITED_ON, cm, outcome=Outcome.BREACHED)
        record(m, Step.PENALTY_INCURRED, FORFEITED_ON, cm)
    return m


def test_amounts_in_dutch_notation():
    assert format_euro(Decimal("2500")) == "€ 2.500,00"
    assert format_euro(Decimal("250.5")) == "€ 250,50"
    assert format_euro(Decimal("1234567.891")) == "€ 1.234.567,89"


def test_the_old_invordering_is_no_longer_offered():
    for kind in MeasureKind.values:
        assert all(Step.COLLECTION not in allowed for allowed in ALLOWED_STEPS[kind].values())


class TestInvorderingsbeschikking:
    def test_only_a_team_leader_records_it(self, cm, tl):
        m = forfeited(cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.COLLECTION_ORDER, D(2026, 5, 1), cm, amount=Decimal("250"))
        assert "role" in codes(excinfo)
        assert record(m, Step.COLLECTION_ORDER, D(2026, 5, 1), tl, amount=Decimal("250"))

    def test_not_without_a_forfeited_dwangsom(self, cm, tl):
        m = ordered(cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.COLLECTION_ORDER, D(2026, 5, 1), tl, amount=Decimal("250"))
        assert "sequence" in codes(excinfo)

    def test_at_most_what_was_forfeited_and_not_yet_claimed(self, cm, tl):
        m = forfeited(cm, tl, times=2)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.COLLECTION_ORDER, D(2026, 5, 1), tl, amount=Decimal("750"))
        assert codes(excinfo) == {"over_collectable"}
        assert "€ 750,00" in messages(excinfo) and "€ 500,00" in messages(excinfo)
        record(m, Step.COLLECTION_ORDER, D(2026, 5, 1), tl, amount=Decimal("300"))
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.COLLECTION_ORDER, D(2026, 5, 2), tl, amount=Decimal("250"))
        assert "€ 200,00" in messages(excinfo)

    def test_on_the_last_day_of_the_verjaring_and_not_the_day_after(self, cm, tl):
        # Verbeurd 10 March 2026: it can be collected up to and including 10 March 2027.
        m = forfeited(cm, tl)
        assert state_of(m).verjaringen[0].ends_on == D(2027, 3, 10)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.COLLECTION_ORDER, D(2027, 3, 11), tl, amount=Decimal("250"))
        assert codes(excinfo) == {"prescribed"}
        assert record(m, Step.COLLECTION_ORDER, D(2027, 3, 10), tl, amount=Decimal("250"))

    def test_its_bekendmaking_starts_its_own_bezwaartermijn(self, cm, tl):
        m = forfeited(cm, tl)
        order = record(m, Step.COLLECTION_ORDER, D(2026, 5, 1), tl, amount=Decimal("250"))
        record(m, Step.NOTIFIED, D(2026, 5, 4), cm)
        state = state_of(m)
        ((row, term),) = state.collection_terms()
        assert row.pk == order.pk and term.ends_on == D(2026, 6, 15)
        # The order's own bekendmaking is still the first one.
        assert state.bekendmaking.occurred_on == NOTIFIED_ON
        kinds = {deadline.kind for deadline in state.deadlines}
        assert DeadlineKind.COLLECTION_OBJECTION in kinds

    def test_a_second_bekendmaking_needs_a_besluit(self, cm, tl):
        m = forfeited(cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.NOTIFIED, D(2026, 5, 4), cm)
        assert "sequence" in codes(excinfo)


class TestVerjaring:
    def test_the_invorderingsbeschikking_stuit_it(self, cm, tl):
        # Art. 5:37a lid 1: a new year from the beschikking.
        m = forfeited(cm, tl)
        record(m, Step.COLLECTION_ORDER, D(2026, 6, 1), tl, amount=Decimal("250"))
        item = state_of(m).verjaringen[0]
        assert (item.interrupted_on, item.ends_on) == (D(2026, 6, 1), D(2027, 6, 1))

    def test_extended_while_bezwaar_against_the_last_is_pending(self, cm, tl):
        # Art. 5:35 lid 2: pending on the last day: runs until decided irrevocably.
        m = forfeited(cm, tl)
        record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 12), cm)
        assert state_of(m).verjaringen[0].ends_on is None
        record(m, Step.HEARING, D(2027, 3, 20), cm, outcome=Outcome.HEARD)
        record(m, Step.OBJECTION_DECIDED, D(2027, 4, 1), cm, outcome=Outcome.UNFOUNDED)
        # Then until the beroepstermijn has passed unused (six weeks, Atw).
        assert state_of(m).verjaringen[0].ends_on == D(2027, 5, 13)

    def test_not_extended_when_the_bezwaar_was_decided_long_before(self, cm, tl):
        m = forfeited(cm, tl)
        record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 12), cm)
        record(m, Step.HEARING, D(2026, 3, 20), cm, outcome=Outcome.HEARD)
        record(m, Step.OBJECTION_DECIDED, D(2026, 4, 1), cm, outcome=Outcome.UNFOUNDED)
        assert state_of(m).verjaringen[0].ends_on == D(2027, 3, 10)

    def test_extended_until_the_uitspraak_in_hoger_beroep_and_no_longer(self, cm, tl):
        # Art. 5:35 lid 2: while hoger beroep against the last is pending on the verjaring's
        # last day it runs on; the uitspraak of the Afdeling is final on its own day (no
        # further remedy), so the verjaring ends then.
        m = forfeited(cm, tl)
        record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 12), cm)
        record(m, Step.HEARING, D(2026, 3, 20), cm, outcome=Outcome.HEARD)
        record(m, Step.OBJECTION_DECIDED, D(2026, 4, 1), cm, outcome=Outcome.UNFOUNDED)
        record(m, Step.NOTIFIED, D(2026, 4, 2), cm)
        record(m, Step.APPEAL_FILED, D(2026, 4, 20), cm)
        assert state_of(m).onherroepelijk_on is None  # beroep pending
        record(m, Step.APPEAL_RULING, D(2026, 10, 1), cm, outcome=Outcome.UNFOUNDED)
        # Without hoger beroep the uitspraak is final once its six weeks (6:7 Awb) passed.
        assert state_of(m).onherroepelijk_on == D(2026, 11, 12)
        record(m, Step.HIGHER_APPEAL_FILED, D(2026, 10, 20), cm)
        state = state_of(m)
        assert (state.onherroepelijk_on, state.verjaringen[0].ends_on) == (None, None)
        record(m, Step.HIGHER_APPEAL_RULING, D(2027, 9, 1), cm, outcome=Outcome.UNFOUNDED)
        state = state_of(m)
        assert state.onherroepelijk_on == D(2027, 9, 1)
        assert state.verjaringen[0].ends_on == D(2027, 9, 1)

    def test_the_next_verjaring_is_the_earliest_while_something_is_outstanding(self, cm, tl):
        # The API's verjaring_tot: the first day a verbeurde dwangsom still outstanding can
        # no longer be collected; none while every verjaring runs on (5:35 lid 2).
        m = forfeited(cm, tl)
        record(m, Step.CHECK, D(2026, 4, 10), cm, outcome=Outcome.BREACHED)
        record(m, Step.PENALTY_INCURRED, D(2026, 4, 10), cm)
        state = state_of(m)
        assert [p.ends_on for p in state.verjaringen] == [D(2027, 3, 10), D(2027, 4, 10)]
        assert [p.interrupted_on for p in state.verjaringen] == [None, None]  # no stuiting
        assert state.next_verjaring == state.verjaringen[0]
        record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 12), cm)
        assert state_of(m).next_verjaring is None

    def test_the_beroepstermijn_after_the_beslissing_op_bezwaar_counts_from_its_bekendmaking(
        self, cm, tl
    ):
        # Art. 6:8 Awb: the term for beroep starts the day after the beslissing op bezwaar
        # was bekendgemaakt; the order is onaantastbaar once it passed unused (5:35 lid 2).
        m = forfeited(cm, tl)
        record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 12), cm)
        record(m, Step.HEARING, D(2026, 3, 20), cm, outcome=Outcome.HEARD)
        record(m, Step.OBJECTION_DECIDED, D(2026, 4, 1), cm, outcome=Outcome.UNFOUNDED)
        record(m, Step.NOTIFIED, D(2026, 4, 10), cm)
        assert state_of(m).onherroepelijk_on == D(2026, 5, 22)

    def test_a_stuiting_before_the_dwangsom_was_verbeurd_does_not_stuit_it(self, cm, tl):
        # Art. 5:37a lid 1: the invorderingsbeschikking stuit the verjaring of what was
        # verbeurd before it; a dwangsom verbeurd the day after has its own year.
        m = forfeited(cm, tl)
        record(m, Step.CHECK, D(2026, 4, 10), cm, outcome=Outcome.BREACHED)
        record(m, Step.COLLECTION_ORDER, D(2026, 5, 1), tl, amount=Decimal("250"))
        record(m, Step.PENALTY_INCURRED, D(2026, 5, 2), cm)
        first, second = state_of(m).verjaringen
        assert (first.interrupted_on, first.ends_on) == (D(2026, 5, 1), D(2027, 5, 1))
        assert (second.interrupted_on, second.ends_on) == (None, D(2027, 5, 2))

    def test_only_the_first_aanmaning_stuit_it(self, cm, tl):
        # Art. 4:106 lid 1 Awb (read with 5:37a lid 2): the verjaring is gestuit by the first
        # aanmaning and by a dwangbevel; a second aanmaning does not start a new year.
        m = forfeited(cm, tl)
        record(m, Step.COLLECTION_ORDER, D(2026, 6, 1), tl, amount=Decimal("250"))
        record(m, Step.NOTIFIED, D(2026, 6, 3), cm)
        record(m, Step.REMINDER, D(2027, 5, 1), cm)
        record(m, Step.REMINDER, D(2028, 4, 1), cm)
        item = state_of(m).verjaringen[0]
        assert (item.interrupted_on, item.ends_on) == (D(2027, 5, 1), D(2028, 5, 1))

    def test_while_extended_it_keeps_its_dwangsom_and_its_last_stuiting(self, cm, tl):
        # Extended without a last day (5:35 lid 2), the verjaring still belongs to its
        # verbeurde dwangsom and still knows the invorderingsbeschikking that stuitte it.
        m = forfeited(cm, tl)
        record(m, Step.COLLECTION_ORDER, D(2026, 3, 11), tl, amount=Decimal("250"))
        record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 12), cm)
        state = state_of(m)
        (penalty,) = state.verbeurde_dwangsommen
        (item,) = state.verjaringen
        assert (item.penalty, item.ends_on, item.interrupted_on) == (penalty, None, D(2026, 3, 11))

    def test_what_the_old_invordering_claimed_cannot_be_claimed_again(self, cm, tl):
        # Rows of the old `invordering` step (no longer offered, still read) claimed part of
        # what was forfeited: an invorderingsbeschikking may claim only the rest.
        m = forfeited(cm, tl)
        MeasureStep.objects.create(
            measure=m, step=Step.COLLECTION, amount=Decimal("100"), occurred_on=D(2026, 5, 1)
        )
        assert state_of(m).collectable_on(D(2026, 6, 1)) == Decimal("150")

    def test_a_running_deadline_red_once_missed(self, cm, tl):
        m = forfeited(cm, tl)
        (deadline,) = [d for d in state_of(m).deadlines if d.kind == DeadlineKind.PRESCRIPTION]
        assert deadline.due_on == D(2027, 3, 10) and deadline.is_decision
        assert not deadline.lapses


class TestAanmaningEnDwangbevel:
    @pytest.mark.parametrize("step", [Step.REMINDER, Step.WRIT])
    def test_not_without_an_invorderingsbeschikking(self, cm, tl, step):
        m = forfeited(cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, step, D(2026, 6, 1), cm)
        assert "sequence" in codes(excinfo)
        assert "invorderingsbeschikking" in messages(excinfo)

    def test_not_before_the_beschikking_is_bekendgemaakt(self, cm, tl):
        m = forfeited(cm, tl)
        record(m, Step.COLLECTION_ORDER, D(2026, 6, 1), tl, amount=Decimal("250"))
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.REMINDER, D(2026, 6, 20), cm)
        assert "art. 3:40 Awb" in messages(excinfo)
        record(m, Step.NOTIFIED, D(2026, 6, 3), cm)
        assert record(m, Step.REMINDER, D(2026, 6, 20), cm)
        assert record(m, Step.WRIT, D(2026, 7, 20), cm)

    def test_none_after_verjaring(self, cm, tl):
        m = forfeited(cm, tl)
        record(m, Step.COLLECTION_ORDER, D(2026, 6, 1), tl, amount=Decimal("250"))
        record(m, Step.NOTIFIED, D(2026, 6, 3), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.REMINDER, D(2027, 6, 2), cm)
        assert codes(excinfo) == {"prescribed"}
        assert "verjaard sinds 02-06-2027" in messages(excinfo)
        # On the last day it still can, and the first aanmaning stuit it again (4:106).
        record(m, Step.REMINDER, D(2027, 6, 1), cm)
        assert state_of(m).verjaringen[0].ends_on == D(2028, 6, 1)

    def test_none_once_everything_is_paid(self, cm, tl):
        m = forfeited(cm, tl)
        record(m, Step.COLLECTION_ORDER, D(2026, 6, 1), tl, amount=Decimal("250"))
        record(m, Step.NOTIFIED, D(2026, 6, 3), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.PAYMENT_RECEIVED, D(2026, 6, 10), cm, amount=Decimal("300"))
        assert codes(excinfo) == {"over_outstanding"}
        record(m, Step.PAYMENT_RECEIVED, D(2026, 6, 10), cm, amount=Decimal("250"))
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.REMINDER, D(2026, 6, 20), cm)
        assert "Er staat niets meer open." in messages(excinfo)
        assert not [d for d in state_of(m).deadlines if d.kind == DeadlineKind.PRESCRIPTION]


class TestKosten:
    def test_a_kostenbeschikking_after_bestuursdwang(self, cm, tl):
        m = ordered(cm, tl, kind=MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.COST_ORDER, D(2026, 3, 1), tl, amount=Decimal("1200"))
        assert "sequence" in codes(excinfo)
        record(m, Step.CHECK, D(2026, 3, 1), cm, outcome=Outcome.BREACHED)
        record(m, Step.ENFORCEMENT_APPLIED, D(2026, 3, 1), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.COST_ORDER, D(2026, 3, 5), cm, amount=Decimal("1200"))
        assert "role" in codes(excinfo)
        record(m, Step.COST_ORDER, D(2026, 3, 5), tl, amount=Decimal("1200"))
        record(m, Step.NOTIFIED, D(2026, 3, 6), cm)
        assert record(m, Step.REMINDER, D(2026, 4, 30), cm)


class TestAfterTheEnd:
    def test_collecting_goes_on_after_afgelopen_and_the_measure_stays_ended(self, cm, tl):
        m = forfeited(cm, tl)
        record(m, Step.EXPIRED, D(2026, 4, 1), cm)
        assert set(state_of(m).allowed_next) <= COLLECTION_STEPS | {Step.NOTIFIED}
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, D(2026, 4, 2), cm, outcome=Outcome.COMPLIED)
        assert codes(excinfo) == {"transition"}
        record(m, Step.COLLECTION_ORDER, D(2026, 5, 1), tl, amount=Decimal("250"))
        m.refresh_from_db()
        assert (m.current_step, m.ended_on) == (Step.COLLECTION_ORDER, D(2026, 4, 1))

    def test_measure_end_date_waits_for_collection(self, cm, tl):
        m = forfeited(cm, tl)
        record(m, Step.EXPIRED, D(2026, 4, 1), cm)
        assert measure_end_date(m, on=D(2026, 12, 1)) is None
        # Unpaid and verjaard (10 March 2027): it ended with the verjaring.
        assert measure_end_date(m, on=D(2027, 3, 11)) == D(2027, 3, 10)
        record(m, Step.COLLECTION_ORDER, D(2026, 5, 1), tl, amount=Decimal("250"))
        record(m, Step.NOTIFIED, D(2026, 5, 4), cm)
        record(m, Step.PAYMENT_RECEIVED, D(2026, 6, 1), cm, amount=Decimal("250"))
        # Paid: ends with the last step once the beschikking's terms are over.
        assert measure_end_date(m, on=D(2026, 12, 1)) == D(2026, 6, 1)

    def test_a_running_measure_has_no_end_date(self, cm, tl):
        assert measure_end_date(ordered(cm, tl), on=D(2026, 12, 1)) is None
