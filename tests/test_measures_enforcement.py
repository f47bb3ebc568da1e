"""Forfeiture and enforcement lie after the begunstigingstermijn and within the looptijd, and
never after a (partly) well-founded bezwaar until a new besluit (art. 5:32a lid 2, 5:24 lid 2,
3:40 and 7:11 lid 2 Awb). The law, not policy: a team leader cannot skip them."""

import datetime
from decimal import Decimal
from functools import partial

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests import measures_helpers as helpers
from tests.measures_helpers import codes, messages, record
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db

D = datetime.date
NOTIFIED_ON = D(2026, 3, 24)  # begunstigingstermijn of 14 days: last day 7 April 2026


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 15, 12, 0), tick=False):
        yield


ordered = partial(helpers.ordered, notified_on=NOTIFIED_ON)


class TestBegunstigingstermijn:
    def test_no_breach_found_during_the_term(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, D(2026, 3, 26), cm, outcome=Outcome.BREACHED)
        assert codes(excinfo) == {"enforcement"}
        assert excinfo.value.messages == [
            "Kan vanaf 08-04-2026: de begunstigingstermijn loopt nog tot en met 07-04-2026 "
            "(art. 5:32a lid 2 en 5:24 lid 2 Awb)."
        ]

    def test_a_controle_that_finds_compliance_may_lie_in_the_term(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14)
        assert record(m, Step.CHECK, D(2026, 3, 26), cm, outcome=Outcome.COMPLIED)

    def test_not_on_the_last_day_of_the_term(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, D(2026, 4, 7), cm, outcome=Outcome.BREACHED)
        assert codes(excinfo) == {"enforcement"}

    def test_the_day_after_the_term(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14)
        record(m, Step.CHECK, D(2026, 4, 8), cm, outcome=Outcome.BREACHED)
        row = record(m, Step.PENALTY_INCURRED, D(2026, 4, 8), cm)
        assert row.amount == Decimal("250.00")

    def test_a_team_leader_cannot_skip_it(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14)
        with pytest.raises(ValidationError) as excinfo:
            measure_step_record(
                m,
                step=Step.CHECK,
                on=D(2026, 3, 26),
                by=tl,
                outcome=Outcome.BREACHED,
                skip_reason="Spoed",
            )
        assert "enforcement" in codes(excinfo)

    def test_bestuursdwang_waits_for_the_term_too(self, cm, tl):
        m = ordered(
            cm, tl, kind=MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT, begunstigingstermijn_days=14
        )
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, D(2026, 4, 7), cm, outcome=Outcome.BREACHED)
        assert codes(excinfo) == {"enforcement"}
        record(m, Step.CHECK, D(2026, 4, 8), cm, outcome=Outcome.BREACHED)
        assert record(m, Step.ENFORCEMENT_APPLIED, D(2026, 4, 8), cm)

    def test_without_a_term_from_the_day_after_bekendmaking(self, cm, tl):
        m = ordered(cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, NOTIFIED_ON, cm, outcome=Outcome.BREACHED)
        assert "art. 3:40 Awb" in messages(excinfo)
        assert record(m, Step.CHECK, D(2026, 3, 25), cm, outcome=Outcome.BREACHED)


class TestLooptijd:
    def test_on_the_last_day_of_the_looptijd_and_not_after(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=3)  # ends 24-06-2026
        record(m, Step.CHECK, D(2026, 6, 24), cm, outcome=Outcome.BREACHED)
        assert record(m, Step.PENALTY_INCURRED, D(2026, 6, 24), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.PENALTY_INCURRED, D(2026, 6, 25), cm)
        assert codes(excinfo) == {"enforcement"}
        assert excinfo.value.messages == [
            "De looptijd van de last eindigde op 24-06-2026; daarna kan geen dwangsom meer "
            "worden verbeurd of bestuursdwang worden toegepast."
        ]
        with pytest.raises(ValidationError):
            record(m, Step.CHECK, D(2026, 6, 25), cm, outcome=Outcome.BREACHED)


class TestAfterBezwaar:
    @pytest.mark.parametrize("outcome", [Outcome.WELL_FOUNDED, Outcome.PARTLY_WELL_FOUNDED])
    def test_none_after_a_well_founded_bezwaar_until_a_new_besluit(self, cm, tl, outcome):
        m = ordered(cm, tl, begunstigingstermijn_days=14)
        record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 1), cm)
        record(m, Step.CHECK, D(2026, 4, 8), cm, outcome=Outcome.BREACHED)
        record(m, Step.HEARING, D(2026, 4, 15), cm, outcome=Outcome.HEARD)
        record(m, Step.OBJECTION_DECIDED, D(2026, 4, 20), cm, outcome=outcome)
        with pytest.raises(ValidationError) as excinfo:
            measure_step_record(m, step=Step.PENALTY_INCURRED, on=D(2026, 4, 21), by=tl)
        assert codes(excinfo) == {"enforcement"}
        # The refusal says why in full (art. 7:11 lid 2 Awb), the outcome as the screen names it.
        label = "gegrond" if outcome == Outcome.WELL_FOUNDED else "gedeeltelijk gegrond"
        assert excinfo.value.messages == [
            f"Het bezwaar is op 20-04-2026 {label} verklaard: de last is herroepen (art. 7:11 "
            "lid 2 Awb). Leg eerst een nieuw besluit vast."
        ]
        # A new besluit, bekendgemaakt: its own begunstigingstermijn runs again.
        record(
            m,
            Step.DECISION,
            D(2026, 4, 22),
            tl,
            penalty_amount=Decimal("250"),
            penalty_maximum=Decimal("2500"),
            begunstigingstermijn_days=7,
        )
        record(m, Step.NOTIFIED, D(2026, 4, 23), cm)
        with pytest.raises(ValidationError):
            record(m, Step.CHECK, D(2026, 4, 30), cm, outcome=Outcome.BREACHED)
        record(m, Step.CHECK, D(2026, 5, 1), cm, outcome=Outcome.BREACHED)
        assert record(m, Step.PENALTY_INCURRED, D(2026, 5, 1), cm)

    @pytest.mark.parametrize(
        "outcome", [Outcome.UNFOUNDED, Outcome.INADMISSIBLE, Outcome.OBJECTION_WITHDRAWN]
    )
    def test_enforcement_goes_on_after_other_outcomes(self, cm, tl, outcome):
        m = ordered(cm, tl, begunstigingstermijn_days=14)
        record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 1), cm)
        record(m, Step.HEARING, D(2026, 4, 15), cm, outcome=Outcome.WAIVED_UNFOUNDED)
        record(m, Step.OBJECTION_DECIDED, D(2026, 4, 20), cm, outcome=outcome)
        record(m, Step.CHECK, D(2026, 4, 21), cm, outcome=Outcome.BREACHED)
        assert record(m, Step.PENALTY_INCURRED, D(2026, 4, 21), cm)

    def test_no_new_besluit_while_the_old_one_stands(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14)
        with pytest.raises(ValidationError) as excinfo:
            record(
                m,
                Step.DECISION,
                D(2026, 4, 22),
                tl,
                penalty_amount=Decimal("250"),
                penalty_maximum=Decimal("2500"),
            )
        assert "sequence" in codes(excinfo)
