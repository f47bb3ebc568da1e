"""Legal protection: the hoorzitting before the beslissing op bezwaar (art. 7:2/7:3 Awb), the
beslistermijn of art. 7:10 complete, the beroepstermijn after the bekendmaking of the
beslissing op bezwaar (6:7/6:8), rechtstreeks beroep (7:1a), voorlopige voorziening (8:81),
beroep and hoger beroep; an uitspraak that vernietigt, or a schorsing, stops enforcement."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.factories import CaseFactory, measure
from tests.measures_helpers import codes, ordered, record, state_of
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.rules import DeadlineKind
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db

D = datetime.date
NOTIFIED_ON = D(2026, 3, 24)  # bezwaartermijn ends Wednesday 6 May 2026 (5 mei)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, 0), tick=False):
        yield


def objected(cm, tl):
    """A last onder dwangsom (€ 250 up to € 2.500, seven days to comply) with a bezwaar."""
    m = ordered(cm, tl, notified_on=NOTIFIED_ON, begunstigingstermijn_days=7)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    return m


class TestHoorzitting:
    def test_no_beslissing_op_bezwaar_without_it(self, cm, tl):
        m = objected(cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.OBJECTION_DECIDED, D(2026, 5, 20), tl, outcome=Outcome.UNFOUNDED)
        assert codes(excinfo) == {"hearing"}
        # A team leader cannot skip it either.
        with pytest.raises(ValidationError):
            measure_step_record(
                m,
                step=Step.OBJECTION_DECIDED,
                on=D(2026, 5, 20),
                by=tl,
                outcome=Outcome.UNFOUNDED,
                skip_reason="Spoed",
            )

    @pytest.mark.parametrize("outcome", [Outcome.HEARD, Outcome.WAIVED_DECLINED])
    def test_heard_or_a_ground_of_7_3(self, cm, tl, outcome):
        m = objected(cm, tl)
        record(m, Step.HEARING, D(2026, 5, 1), cm, outcome=outcome)
        assert record(m, Step.OBJECTION_DECIDED, D(2026, 5, 20), tl, outcome=Outcome.UNFOUNDED)

    def test_a_hearing_needs_a_bezwaar_and_an_outcome(self, cm, tl):
        m = objected(cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.HEARING, D(2026, 5, 1), cm, outcome=Outcome.COMPLIED)
        assert codes(excinfo) == {"required"}

    def test_a_withdrawn_bezwaar_needs_no_hearing(self, cm, tl):
        m = objected(cm, tl)
        assert record(
            m, Step.OBJECTION_DECIDED, D(2026, 5, 1), cm, outcome=Outcome.OBJECTION_WITHDRAWN
        )


class TestBeslistermijn:
    def test_six_weeks_from_the_end_of_the_bezwaartermijn(self, cm, tl):
        assert state_of(objected(cm, tl)).beslistermijn.ends_on == D(2026, 6, 17)

    def test_opgeschort_adds_the_days_of_herstel_lid_2(self, cm, tl):
        m = objected(cm, tl)
        record(m, Step.DECISION_SUSPENDED, D(2026, 5, 1), cm, until_on=D(2026, 5, 11))
        # 17 June + 10 days = Saturday 27 June: the Atw moves it to Monday 29 June.
        term = state_of(m).beslistermijn
        assert (term.plain_on, term.ends_on) == (D(2026, 6, 27), D(2026, 6, 29))

    def test_opgeschort_needs_its_end_date(self, cm, tl):
        m = objected(cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.DECISION_SUSPENDED, D(2026, 5, 1), cm)
        assert codes(excinfo) == {"required"}

    def test_uitgesteld_with_consent_lid_4(self, cm, tl):
        m = objected(cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.DECISION_POSTPONED, D(2026, 6, 1), cm, until_on=D(2026, 9, 1))
        assert codes(excinfo) == {"required"}
        record(
            m,
            Step.DECISION_POSTPONED,
            D(2026, 6, 1),
            cm,
            outcome=Outcome.POSTPONED_APPLICANT_AGREES,
            until_on=D(2026, 9, 1),
        )
        assert state_of(m).beslistermijn.ends_on == D(2026, 9, 1)


class TestBeroep:
    def decided(self, m, cm, tl, outcome=Outcome.UNFOUNDED):
        record(m, Step.HEARING, D(2026, 5, 1), cm, outcome=Outcome.HEARD)
        record(m, Step.OBJECTION_DECIDED, D(2026, 6, 1), tl, outcome=outcome)

    def test_beroep_after_the_bekendmaking_of_the_beslissing_op_bezwaar(self, cm, tl):
        m = objected(cm, tl)
        self.decided(m, cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.APPEAL_FILED, D(2026, 6, 10), cm)
        assert "sequence" in codes(excinfo)
        record(m, Step.NOTIFIED, D(2026, 6, 2), cm)
        state = state_of(m)
        assert state.beroepstermijn.ends_on == D(2026, 7, 14)
        assert DeadlineKind.APPEAL_TERM in {deadline.kind for deadline in state.deadlines}
        record(m, Step.APPEAL_FILED, D(2026, 7, 10), cm)
        assert DeadlineKind.APPEAL_TERM not in {d.kind for d in state_of(m).deadlines}

    def test_an_uitspraak_that_vernietigt_stops_enforcement(self, cm, tl):
        m = objected(cm, tl)
        self.decided(m, cm, tl)
        record(m, Step.NOTIFIED, D(2026, 6, 2), cm)
        record(m, Step.APPEAL_FILED, D(2026, 7, 10), cm)
        record(m, Step.APPEAL_RULING, D(2026, 12, 1), cm, outcome=Outcome.WELL_FOUNDED)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, D(2026, 12, 2), cm, outcome=Outcome.BREACHED)
        assert codes(excinfo) == {"enforcement"}
        assert excinfo.value.messages == [
            "De rechter heeft het besluit op 01-12-2026 vernietigd (uitspraak beroep). Leg eerst "
            "een nieuw besluit vast."
        ]
        # Hoger beroep follows the uitspraak; a new besluit may follow too.
        record(m, Step.HIGHER_APPEAL_FILED, D(2026, 12, 20), tl)
        assert state_of(m).onherroepelijk_on is None
        record(m, Step.HIGHER_APPEAL_RULING, D(2027, 5, 1), tl, outcome=Outcome.UNFOUNDED)
        assert state_of(m).onherroepelijk_on == D(2027, 5, 1)
        # The Raad van State keeps the besluit in place: enforcing is possible again.
        assert record(m, Step.CHECK, D(2027, 5, 2), cm, outcome=Outcome.BREACHED)

    def test_hoger_beroep_needs_an_uitspraak(self, cm, tl):
        m = objected(cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.HIGHER_APPEAL_FILED, D(2026, 5, 1), cm)
        assert "sequence" in codes(excinfo)

    def test_rechtstreeks_beroep_7_1a(self, cm, tl):
        m = objected(cm, tl)
        record(m, Step.DIRECT_APPEAL, D(2026, 4, 20), tl)
        state = state_of(m)
        assert state.open_bezwaar is None and state.open_beroep is not None
        assert DeadlineKind.DECISION not in {d.kind for d in state.deadlines}
        record(m, Step.APPEAL_RULING, D(2026, 11, 1), cm, outcome=Outcome.UNFOUNDED)
        assert state_of(m).onherroepelijk_on == D(2026, 12, 14)

    def test_a_voorlopige_voorziening_schorst(self, cm, tl):
        m = objected(cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.INTERIM_RULING, D(2026, 4, 20), cm, outcome=Outcome.GRANTED)
        assert "sequence" in codes(excinfo)
        record(m, Step.INTERIM_REQUEST, D(2026, 4, 12), cm)
        record(m, Step.INTERIM_RULING, D(2026, 4, 20), cm, outcome=Outcome.GRANTED)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, D(2026, 4, 21), cm, outcome=Outcome.BREACHED)
        assert excinfo.value.messages == [
            "De voorzieningenrechter heeft het besluit op 20-04-2026 geschorst (art. 8:81 Awb): "
            "handhaven kan pas na de uitspraak in beroep."
        ]
        self.decided(m, cm, tl)
        # The schorsing lasts until the beslissing op bezwaar (ongegrond) ends it.
        assert record(m, Step.CHECK, D(2026, 6, 2), cm, outcome=Outcome.BREACHED)


def test_the_bestuursdwang_kind_has_the_same_protection(cm, tl):
    m = measure(
        CaseFactory(registered_on=D(2026, 1, 5)),
        by=cm,
        kind=MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT,
    )
    record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 5), cm)
    record(m, Step.WEIGHING, D(2026, 1, 5), cm, note="Afweging vastgelegd")
    record(m, Step.WARNING_SENT, D(2026, 1, 6), cm)
    record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
    record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
    record(m, Step.DECISION, D(2026, 1, 9), tl)
    record(m, Step.NOTIFIED, NOTIFIED_ON, cm)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    with pytest.raises(ValidationError) as excinfo:
        record(m, Step.OBJECTION_DECIDED, D(2026, 5, 20), tl, outcome=Outcome.UNFOUNDED)
    assert codes(excinfo) == {"hearing"}
