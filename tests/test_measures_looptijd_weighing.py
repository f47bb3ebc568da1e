"""Issue 24, the rest of the enforcement phase: the looptijd of a gedragsaanwijzing (stated, or
explicitly onbepaald with a reason) and forfeiture within it; last_verlengd (a besluit that
extends the begunstigingstermijn, which then governs forfeiture); the belangenafweging before
every besluit that restricts a person (art. 3:4 lid 2 Awb, 151d Gemeentewet: no team leader
can skip it); the verbod om aanwezig te zijn (151d lid 3: ten days by law) and the
handhavingsverzoek (an aanvraag, decided within the term of art. 4:13 Awb)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.factories import CaseFactory, measure, teamleider
from woonoverlast.common.calendar import AtwCalendar
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.models import MeasureStep
from woonoverlast.measures.rules import DeadlineKind, MeasureState
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db

D = datetime.date
NOTIFIED_ON = D(2026, 3, 24)  # begunstigingstermijn of 14 days: last day 7 April 2026
RECEIVED_ON = D(2026, 3, 2)  # a handhavingsverzoek, Monday: eight weeks end on Koningsdag
WEIGHED = "Lichtere middelen hielpen niet; de last staat in verhouding tot de overlast."
PENALTY = {"penalty_amount": Decimal("250"), "penalty_maximum": Decimal("2500")}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 15, 12, 0), tick=False):
        yield


def record(m, step, on, by, **data):
    return measure_step_record(m, step=step, on=on, by=by, **data)


def codes(excinfo) -> set[str]:
    return {error.code for errors in excinfo.value.error_dict.values() for error in errors}


def messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def prepared(cm, kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY, *, weighed=True):
    m = measure(CaseFactory(registered_on=D(2026, 1, 5)), by=cm, kind=kind)
    record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 5), cm)
    if weighed:
        record(m, Step.WEIGHING, D(2026, 1, 5), cm, note=WEIGHED)
    record(m, Step.WARNING_SENT, D(2026, 1, 6), cm)
    return m


def ordered(cm, tl, kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY, **decision):
    m = prepared(cm, kind)
    record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
    record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
    if kind == MeasureKind.BEHAVIOURAL_ORDER_PENALTY:
        decision = {**PENALTY, **decision}
    record(m, Step.DECISION, D(2026, 1, 9), tl, **decision)
    record(m, Step.NOTIFIED, NOTIFIED_ON, cm)
    return m


def breach(m, on, cm):
    record(m, Step.CHECK, on, cm, outcome=Outcome.BREACHED)
    return record(m, Step.PENALTY_INCURRED, on, cm)


class TestLooptijd:
    def _decide(self, cm, tl, **data):
        m = prepared(cm)
        record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
        record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
        return m, lambda: record(m, Step.DECISION, D(2026, 1, 9), tl, **PENALTY, **data)

    @pytest.mark.parametrize(
        "kind", ["gedragsaanwijzing_dwangsom", "gedragsaanwijzing_bestuursdwang"]
    )
    def test_a_gedragsaanwijzing_without_looptijd_is_refused(self, cm, tl, kind):
        m = prepared(cm, kind)
        record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
        record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
        data = PENALTY if kind == MeasureKind.BEHAVIOURAL_ORDER_PENALTY else {}
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.DECISION, D(2026, 1, 9), tl, **data)
        assert codes(excinfo) == {"looptijd"}
        assert "Vul de looptijd van de last in, of kies 'onbepaald' met een reden." in messages(
            excinfo
        )
        assert not m.steps.filter(step=Step.DECISION).exists()

    def test_another_measure_needs_it_only_as_a_last_onder_dwangsom(self, cm, tl):
        m = measure(CaseFactory(registered_on=D(2026, 1, 5)), by=cm, kind=MeasureKind.OTHER)
        record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
        record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.DECISION, D(2026, 1, 9), tl, **PENALTY)
        assert codes(excinfo) == {"looptijd"}
        assert record(m, Step.DECISION, D(2026, 1, 9), tl).duration_months is None

    def test_onbepaald_needs_a_reason(self, cm, tl):
        m, decide = self._decide(cm, tl, duration_indefinite=True)
        with pytest.raises(ValidationError) as excinfo:
            decide()
        assert codes(excinfo) == {"required"}
        assert "Geef de reden waarom de looptijd onbepaald is." in messages(excinfo)
        assert not m.steps.filter(step=Step.DECISION).exists()

    def test_onbepaald_with_a_reason_is_recorded_and_has_no_end(self, cm, tl):
        m, decide = self._decide(
            cm, tl, duration_indefinite=True, indefinite_reason="Structurele overlast"
        )
        row = decide()
        assert row.duration_indefinite and row.indefinite_reason == "Structurele overlast"
        record(m, Step.NOTIFIED, NOTIFIED_ON, cm)
        state = MeasureState(m, m.steps.order_by("occurred_on", "id"), AtwCalendar.load())
        assert state.looptijd_end is None

    def test_a_looptijd_and_onbepaald_together_are_refused(self, cm, tl):
        _, decide = self._decide(
            cm, tl, duration_months=6, duration_indefinite=True, indefinite_reason="Reden"
        )
        with pytest.raises(ValidationError) as excinfo:
            decide()
        assert codes(excinfo) == {"invalid"}

    def test_a_reason_without_onbepaald_is_refused(self, cm, tl):
        _, decide = self._decide(cm, tl, duration_months=6, indefinite_reason="Reden")
        with pytest.raises(ValidationError) as excinfo:
            decide()
        assert codes(excinfo) == {"not_applicable"}

    def test_forfeiture_on_the_last_day_of_the_looptijd_and_not_the_day_after(self, cm, tl):
        # Bekendgemaakt 24 March 2026, six months: the last day is 24 September 2026.
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=6)
        assert breach(m, D(2026, 9, 24), cm).amount == Decimal("250.00")
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, D(2026, 9, 25), cm, outcome=Outcome.BREACHED)
        assert codes(excinfo) == {"enforcement"}
        assert "De looptijd van de last eindigde op 24-09-2026" in messages(excinfo)

    def test_a_team_leader_cannot_forfeit_after_the_looptijd_either(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=6)
        record(m, Step.CHECK, D(2026, 9, 24), cm, outcome=Outcome.BREACHED)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.PENALTY_INCURRED, D(2026, 9, 25), tl, skip_reason="Spoed")
        assert "enforcement" in codes(excinfo)
        assert not m.steps.filter(step=Step.PENALTY_INCURRED).exists()


class TestLastVerlengd:
    def test_only_a_team_leader_records_it(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=6)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.TERM_EXTENDED, D(2026, 4, 1), cm, until_on=D(2026, 4, 30))
        assert "role" in codes(excinfo)
        assert not m.steps.filter(step=Step.TERM_EXTENDED).exists()

    def test_the_new_end_governs_forfeiture_last_day_and_day_after(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=6)
        record(m, Step.TERM_EXTENDED, D(2026, 4, 1), tl, until_on=D(2026, 4, 30))
        # 8 April would have been the first day; now the term runs to 30 April.
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, D(2026, 4, 30), cm, outcome=Outcome.BREACHED)
        assert codes(excinfo) == {"enforcement"}
        assert "Kan vanaf 01-05-2026" in messages(excinfo)
        assert "loopt nog tot en met 30-04-2026" in messages(excinfo)
        assert breach(m, D(2026, 5, 1), cm).amount == Decimal("250.00")

    def test_the_running_deadline_moves(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=6)
        record(m, Step.TERM_EXTENDED, D(2026, 4, 1), tl, until_on=D(2026, 4, 30))
        state = MeasureState(m, m.steps.order_by("occurred_on", "id"), AtwCalendar.load())
        compliance = [d for d in state.deadlines if d.kind == DeadlineKind.COMPLIANCE]
        assert [d.due_on for d in compliance] == [D(2026, 4, 30)]

    @pytest.mark.parametrize("until_on", [D(2026, 4, 7), D(2026, 4, 6)])
    def test_the_new_end_must_lie_after_the_current_one(self, cm, tl, until_on):
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=6)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.TERM_EXTENDED, D(2026, 4, 1), tl, until_on=until_on)
        assert codes(excinfo) == {"extension"}
        assert "De nieuwe laatste dag moet na 07-04-2026 liggen" in messages(excinfo)

    def test_the_day_after_the_current_end_is_an_extension(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=6)
        row = record(m, Step.TERM_EXTENDED, D(2026, 4, 1), tl, until_on=D(2026, 4, 8))
        assert row.until_on == D(2026, 4, 8)

    def test_not_beyond_the_looptijd(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=6)
        assert record(m, Step.TERM_EXTENDED, D(2026, 4, 1), tl, until_on=D(2026, 9, 24))
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=6)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.TERM_EXTENDED, D(2026, 4, 1), tl, until_on=D(2026, 9, 25))
        assert codes(excinfo) == {"extension"}
        assert "na het einde van de looptijd (24-09-2026)" in messages(excinfo)

    def test_not_after_a_dwangsom_was_forfeited(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=6)
        breach(m, D(2026, 4, 10), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.TERM_EXTENDED, D(2026, 4, 11), tl, until_on=D(2026, 5, 30))
        assert codes(excinfo) == {"extension"}
        assert not m.steps.filter(step=Step.TERM_EXTENDED).exists()

    def test_not_before_bekendmaking(self, cm, tl):
        m = prepared(cm)
        record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
        record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
        record(m, Step.DECISION, D(2026, 1, 9), tl, duration_months=6, **PENALTY)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.TERM_EXTENDED, D(2026, 1, 10), tl, until_on=D(2026, 5, 1))
        assert "transition" in codes(excinfo)

    def test_a_new_end_date_is_required(self, cm, tl):
        m = ordered(cm, tl, begunstigingstermijn_days=14, duration_months=6)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.TERM_EXTENDED, D(2026, 4, 1), tl)
        assert codes(excinfo) == {"required"}
        assert "Vul de nieuwe laatste dag van de begunstigingstermijn in." in messages(excinfo)


class TestBelangenafweging:
    def _to_decision(self, cm, *, weighed):
        m = prepared(cm, weighed=weighed)
        skip = {} if weighed else {"skip_reason": "Spoed"}
        record(m, Step.INTENTION_SENT, D(2026, 1, 7), teamleider() if skip else cm, **skip)
        record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
        return m

    def test_no_besluit_without_a_belangenafweging_not_even_by_a_team_leader(self, cm, tl):
        m = self._to_decision(cm, weighed=False)
        with pytest.raises(ValidationError) as excinfo:
            record(
                m,
                Step.DECISION,
                D(2026, 1, 9),
                tl,
                duration_months=6,
                skip_reason="Spoed: ernstige overlast",
                **PENALTY,
            )
        assert "weighing" in codes(excinfo)
        assert "Leg eerst de belangenafweging vast" in messages(excinfo)
        assert not m.steps.filter(step=Step.DECISION).exists()

    def test_with_a_belangenafweging_the_besluit_is_recorded(self, cm, tl):
        m = self._to_decision(cm, weighed=True)
        assert record(m, Step.DECISION, D(2026, 1, 9), tl, duration_months=6, **PENALTY)

    @pytest.mark.parametrize(
        "kind", ["sluiting", "verbod_aanwezig", "gedragsaanwijzing_bestuursdwang"]
    )
    def test_every_kind_that_restricts_a_person_needs_it(self, cm, tl, kind):
        m = measure(CaseFactory(registered_on=D(2026, 1, 5)), by=cm, kind=kind)
        # The voornemen's own preconditions (policy) are those of a gedragsaanwijzing only.
        skip = {"skip_reason": "Spoed"} if kind == "gedragsaanwijzing_bestuursdwang" else {}
        record(m, Step.INTENTION_SENT, D(2026, 1, 7), tl, **skip)
        record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.DECISION, D(2026, 1, 9), tl, duration_months=3)
        assert "weighing" in codes(excinfo)

    def test_the_weighing_itself_must_be_written_down(self, cm):
        m = measure(CaseFactory(registered_on=D(2026, 1, 5)), by=cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.WEIGHING, D(2026, 1, 5), cm, note="  ")
        assert codes(excinfo) == {"required"}
        assert "subsidiariteit" in messages(excinfo) and "evenredigheid" in messages(excinfo)
        assert not m.steps.exists()

    def test_the_voornemen_asks_for_it_a_team_leader_may_go_ahead(self, cm, tl):
        m = prepared(cm, weighed=False)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
        assert codes(excinfo) == {"precondition"}
        assert "belangenafweging vastgelegd" in messages(excinfo)
        assert record(m, Step.INTENTION_SENT, D(2026, 1, 7), tl, skip_reason="Spoed")

    def test_the_weighing_is_masked_in_the_audit_log_like_any_note(self, cm):
        from woonoverlast.audit.models import AuditEvent

        m = measure(CaseFactory(registered_on=D(2026, 1, 5)), by=cm)
        row = record(m, Step.WEIGHING, D(2026, 1, 5), cm, note=WEIGHED)
        event = AuditEvent.objects.get(object_type="maatregelstap", object_id=str(row.pk))
        assert "Lichtere" not in str(event.changes)


class TestVerbodAanwezig:
    def test_ten_days_from_bekendmaking_computed_not_typed(self, cm, tl):
        m = ordered(cm, tl, MeasureKind.PRESENCE_BAN)
        state = MeasureState(m, m.steps.order_by("occurred_on", "id"), AtwCalendar.load())
        assert state.looptijd_end.ends_on == D(2026, 4, 3)
        assert state.begunstigingstermijn is None

    @pytest.mark.parametrize(
        "data",
        [{"duration_months": 1}, {"begunstigingstermijn_days": 3}, {"duration_indefinite": True}],
    )
    def test_a_duration_or_term_is_refused(self, cm, tl, data):
        m = prepared(cm, MeasureKind.PRESENCE_BAN)
        record(m, Step.INTENTION_SENT, D(2026, 1, 7), tl)
        record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.DECISION, D(2026, 1, 9), tl, **data)
        assert "not_applicable" in codes(excinfo)
        assert "tien dagen vanaf de bekendmaking" in messages(excinfo)

    def test_bestuursdwang_on_the_tenth_day_and_not_the_day_after(self, cm, tl):
        m = ordered(cm, tl, MeasureKind.PRESENCE_BAN)
        record(m, Step.CHECK, D(2026, 4, 3), cm, outcome=Outcome.BREACHED)
        assert record(m, Step.ENFORCEMENT_APPLIED, D(2026, 4, 3), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, D(2026, 4, 4), cm, outcome=Outcome.BREACHED)
        assert codes(excinfo) == {"enforcement"}
        assert "03-04-2026" in messages(excinfo)

    def test_it_is_not_extended_as_a_begunstigingstermijn(self, cm, tl):
        m = ordered(cm, tl, MeasureKind.PRESENCE_BAN)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.TERM_EXTENDED, D(2026, 3, 25), tl, until_on=D(2026, 4, 2))
        assert codes(excinfo) == {"transition"}


class TestHandhavingsverzoek:
    def _request(self, cm, received_on=RECEIVED_ON):
        m = measure(
            CaseFactory(registered_on=D(2026, 1, 5)), by=cm, kind=MeasureKind.ENFORCEMENT_REQUEST
        )
        record(m, Step.REQUEST_RECEIVED, received_on, cm)
        return m

    def _state(self, m):
        return MeasureState(m, m.steps.order_by("occurred_on", "id"), AtwCalendar.load())

    def test_eight_weeks_moved_by_the_atw(self, cm):
        # Received Monday 2 March 2026: eight weeks end on Koningsdag, Monday 27 April 2026.
        state = self._state(self._request(cm))
        term = state.request_beslistermijn
        assert (term.plain_on, term.ends_on) == (D(2026, 4, 27), D(2026, 4, 28))
        (deadline,) = [d for d in state.deadlines if d.kind == DeadlineKind.REQUEST_DECISION]
        assert deadline.due_on == D(2026, 4, 28) and deadline.is_decision

    def test_decided_on_the_last_day_the_deadline_ends(self, cm, tl):
        m = self._request(cm)
        row = record(m, Step.REQUEST_DECIDED, D(2026, 4, 28), tl, outcome=Outcome.REQUEST_GRANTED)
        assert row.outcome == Outcome.REQUEST_GRANTED
        state = self._state(m)
        assert not [d for d in state.deadlines if d.kind == DeadlineKind.REQUEST_DECISION]

    def test_a_missed_beslistermijn_is_red(self, cm):
        from woonoverlast.measures.presentation import card

        m = self._request(cm)
        view = card(
            m,
            m.steps.order_by("occurred_on", "id"),
            AtwCalendar.load(),
            user=cm,
            today=D(2026, 4, 29),
        )
        assert view.next_deadline.kind == DeadlineKind.REQUEST_DECISION
        assert view.deadline_missed

    def test_the_besluit_needs_an_outcome_and_a_team_leader(self, cm, tl):
        m = self._request(cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.REQUEST_DECIDED, D(2026, 3, 20), tl)
        assert codes(excinfo) == {"required"}
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.REQUEST_DECIDED, D(2026, 3, 20), cm, outcome=Outcome.REQUEST_REFUSED)
        assert "role" in codes(excinfo)
        assert not MeasureStep.objects.filter(step=Step.REQUEST_DECIDED).exists()

    def test_the_aanvrager_may_object_after_bekendmaking(self, cm, tl):
        m = self._request(cm)
        record(m, Step.REQUEST_DECIDED, D(2026, 3, 20), tl, outcome=Outcome.REQUEST_REFUSED)
        record(m, Step.NOTIFIED, D(2026, 3, 24), cm)
        state = self._state(m)
        assert state.bezwaartermijn.ends_on == D(2026, 5, 6)
        assert record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 1), cm)

    def test_it_starts_with_the_request(self, cm):
        m = measure(
            CaseFactory(registered_on=D(2026, 1, 5)), by=cm, kind=MeasureKind.ENFORCEMENT_REQUEST
        )
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.INVESTIGATION_REPORT, D(2026, 2, 1), cm)
        assert codes(excinfo) == {"transition"}


class TestAddressees:
    """Art. 151d lid 1 (the user: the veroorzaker) and lid 2 (the verhuurder or corporatie)
    Gemeentewet; the sluiting (174a) and a handhavingsverzoek may concern the eigenaar."""

    def _party(self, case, role):
        from woonoverlast.cases.services import party_add

        return party_add(case, role=role, name="Woonstichting", by=None)

    @pytest.mark.parametrize(
        ("role", "kind", "allowed"),
        [
            ("verhuurder", "gedragsaanwijzing_dwangsom", True),
            ("corporatie", "gedragsaanwijzing_bestuursdwang", True),
            ("eigenaar", "gedragsaanwijzing_dwangsom", False),
            ("verhuurder", "verbod_aanwezig", False),
            ("eigenaar", "sluiting", True),
            ("eigenaar", "handhavingsverzoek", True),
            ("betrokkene", "sluiting", False),
            ("melder", "overig", False),
        ],
    )
    def test_whom_each_kind_may_be_addressed_to(self, cm, role, kind, allowed):
        from woonoverlast.measures.models import Measure
        from woonoverlast.measures.services import measure_start

        case = CaseFactory(registered_on=D(2026, 1, 5))
        party = self._party(case, role)
        start = lambda: measure_start(  # noqa: E731
            case=case, respondent=party, kind=kind, by=cm, on=D(2026, 1, 5)
        )
        if allowed:
            assert start().respondent == party
            return
        with pytest.raises(ValidationError) as excinfo:
            start()
        assert codes(excinfo) == {"respondent"}
        assert not Measure.objects.filter(case=case).exists()

    def test_the_refusal_names_the_article(self, cm):
        from woonoverlast.measures.services import measure_start

        case = CaseFactory(registered_on=D(2026, 1, 5))
        with pytest.raises(ValidationError) as excinfo:
            measure_start(
                case=case,
                respondent=self._party(case, "eigenaar"),
                kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY,
                by=cm,
                on=D(2026, 1, 5),
            )
        assert "art. 151d lid 1 Gemeentewet" in messages(excinfo)
        assert "verhuurder of woningcorporatie (lid 2)" in messages(excinfo)


class TestScreens:
    """One view test per new screen element."""

    @pytest.fixture
    def leader(self, client, tl):
        client.force_login(tl)
        return tl

    def test_the_besluit_form_offers_onbepaald_and_posts_it(self, client, cm, leader):
        from django.urls import reverse

        m = prepared(cm)
        record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
        record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
        url = reverse("measures:step", kwargs={"pk": m.pk, "step": Step.DECISION})
        html = client.get(url).content.decode()
        assert "Looptijd onbepaald" in html and "Reden looptijd onbepaald" in html
        response = client.post(
            url,
            {
                "on": "09-01-2026",
                "penalty_amount": "250",
                "penalty_maximum": "2.500",
                "begunstigingstermijn_days": "14",
            },
        )
        assert response.status_code == 200
        assert "kies &#x27;onbepaald&#x27; met een reden" in response.content.decode()
        response = client.post(
            url,
            {
                "on": "09-01-2026",
                "penalty_amount": "250",
                "penalty_maximum": "2.500",
                "begunstigingstermijn_days": "14",
                "duration_indefinite": "on",
                "indefinite_reason": "Structurele overlast",
            },
        )
        assert response.status_code == 302
        assert MeasureStep.objects.get(step=Step.DECISION).duration_indefinite
        assert "<li>Looptijd: onbepaald</li>" in client.get(m.get_absolute_url()).content.decode()

    def test_the_case_file_greys_the_besluit_without_belangenafweging(self, client, cm, leader):
        m = prepared(cm, weighed=False)
        record(m, Step.INTENTION_SENT, D(2026, 1, 7), leader, skip_reason="Spoed")
        record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
        html = client.get(m.get_absolute_url()).content.decode()
        assert "Besluit genomen: Leg eerst de belangenafweging vast" in html

    def test_the_extension_form_and_the_moved_term(self, client, cm, leader):
        from django.urls import reverse

        m = ordered(cm, leader, begunstigingstermijn_days=14, duration_months=6)
        url = reverse("measures:step", kwargs={"pk": m.pk, "step": Step.TERM_EXTENDED})
        assert "Nieuwe laatste dag begunstigingstermijn" in client.get(url).content.decode()
        response = client.post(url, {"on": "01-04-2026", "until_on": "30-04-2026"})
        assert response.status_code == 302
        html = client.get(m.get_absolute_url()).content.decode()
        assert "Begunstigingstermijn verlengd (besluit)" in html
        assert "30-04-2026" in html

    def test_the_weighing_form_asks_for_the_weighing(self, client, cm, leader):
        from django.urls import reverse

        m = measure(CaseFactory(registered_on=D(2026, 1, 5)), by=cm)
        url = reverse("measures:step", kwargs={"pk": m.pk, "step": Step.WEIGHING})
        html = client.get(url).content.decode()
        assert "Afweging" in html and "Subsidiariteit" in html
        response = client.post(url, {"on": "05-01-2026", "note": ""})
        assert response.status_code == 200
        assert "Leg de afweging vast." in response.content.decode()
        assert not MeasureStep.objects.exists()

    def test_the_case_file_shows_the_beslistermijn_of_a_handhavingsverzoek(
        self, client, cm, leader
    ):
        m = measure(
            CaseFactory(registered_on=D(2026, 1, 5)), by=cm, kind=MeasureKind.ENFORCEMENT_REQUEST
        )
        record(m, Step.REQUEST_RECEIVED, RECEIVED_ON, cm)
        html = client.get(m.get_absolute_url()).content.decode()
        assert "Handhavingsverzoek (aanvraag om te handhaven)" in html
        assert "Beslistermijn handhavingsverzoek (art. 4:13 Awb)" in html
        assert "28-04-2026" in html
