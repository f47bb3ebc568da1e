"""The maatregelen services: every allowed and refused step per kind, the preconditions, a
team leader's skip, the dates, the roles and two people recording at once."""

import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.factories import (
    CaseFactory,
    casemanager,
    measure,
    rapportage,
    respondent,
    teamleider,
    with_looptijd,
)
from woonoverlast.audit.models import AuditEvent
from woonoverlast.cases.choices import PartyRole
from woonoverlast.cases.services import case_close, party_add
from woonoverlast.measures.choices import COLLECTION_STEPS, MeasureKind, Outcome, Step
from woonoverlast.measures.models import Measure, MeasureStep
from woonoverlast.measures.rules import ALLOWED_STEPS
from woonoverlast.measures.services import measure_start, measure_step_record

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 15)
NOTIFIED_ON = D(2026, 3, 24)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0), tick=False):
        yield


def codes(excinfo) -> set[str]:
    return {error.code for errors in excinfo.value.error_dict.values() for error in errors}


def new_case():
    return CaseFactory(registered_on=D(2026, 1, 5))


def record(m, step, on, by, **data):
    return measure_step_record(m, step=step, on=on, by=by, **with_looptijd(m, step, data))


def decided(m, cm, tl, *, notified_on=NOTIFIED_ON, **decision):
    """Onderzoeksverslag, waarschuwing, voornemen, zienswijze afgezien, besluit, bekendmaking
    (a handhavingsverzoek: received, decided, bekendgemaakt)."""
    if m.kind == MeasureKind.ENFORCEMENT_REQUEST:
        record(m, Step.REQUEST_RECEIVED, D(2026, 1, 5), cm)
        record(m, Step.REQUEST_DECIDED, D(2026, 1, 9), tl, outcome=Outcome.REQUEST_REFUSED)
        record(m, Step.NOTIFIED, notified_on, cm)
        return m
    record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 5), cm)
    record(m, Step.WEIGHING, D(2026, 1, 5), cm, note="Afweging vastgelegd")
    record(m, Step.WARNING_SENT, D(2026, 1, 6), cm)
    record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
    record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
    if m.kind == MeasureKind.BEHAVIOURAL_ORDER_PENALTY:
        decision.setdefault("penalty_amount", Decimal("250"))
        decision.setdefault("penalty_maximum", Decimal("1000"))
    if m.kind == MeasureKind.CLOSURE:
        decision.setdefault("duration_months", 3)
    record(m, Step.DECISION, D(2026, 1, 9), tl, **decision)
    record(m, Step.NOTIFIED, notified_on, cm)
    return m


class TestStart:
    def test_starts_against_a_veroorzaker_with_an_audit_event(self, cm):
        case = new_case()
        person = respondent(case)
        m = measure_start(
            case=case, respondent=person, kind=MeasureKind.CLOSURE, by=cm, on=D(2026, 2, 1)
        )
        assert (m.case, m.respondent, m.started_on, m.current_step) == (
            case,
            person,
            D(2026, 2, 1),
            "",
        )
        assert AuditEvent.objects.filter(object_type="maatregel", object_id=str(m.pk)).exists()

    def test_refuses_a_melder_a_closed_case_another_case_and_rapportage(self, cm):
        case = new_case()
        melder = party_add(case, role=PartyRole.REPORTER, name="Buur", by=None)
        with pytest.raises(ValidationError) as excinfo:
            measure_start(case=case, respondent=melder, kind=MeasureKind.OTHER, by=cm)
        assert codes(excinfo) == {"respondent"}
        with pytest.raises(ValidationError) as excinfo:
            measure_start(case=new_case(), respondent=respondent(case), kind="x", by=cm)
        assert codes(excinfo) == {"respondent", "required"}
        with pytest.raises(ValidationError) as excinfo:
            measure_start(case=case, respondent=respondent(case), kind="overig", by=rapportage())
        assert codes(excinfo) == {"role"}
        # Its own casemanager (one shut out is refused first: tests/test_access.py).
        closed = CaseFactory(registered_on=D(2026, 1, 5), closed_on=D(2026, 2, 1), casemanager=cm)
        with pytest.raises(ValidationError) as excinfo:
            measure_start(case=closed, respondent=respondent(closed), kind="overig", by=cm)
        assert codes(excinfo) == {"case_closed"}
        # While it was open, an earlier measure may be entered afterwards.
        assert measure_start(
            case=closed, respondent=respondent(closed), kind="overig", by=cm, on=D(2026, 1, 31)
        )

    def test_refuses_a_second_running_measure_of_a_kind_and_dates_out_of_range(self, cm):
        case = new_case()
        person = respondent(case)
        measure_start(case=case, respondent=person, kind=MeasureKind.OTHER, by=cm)
        with pytest.raises(ValidationError) as excinfo:
            measure_start(case=case, respondent=person, kind=MeasureKind.OTHER, by=cm)
        assert codes(excinfo) == {"duplicate"}
        for on, code in ((D(2026, 6, 16), "future"), (D(2026, 1, 4), "before_registration")):
            with pytest.raises(ValidationError) as excinfo:
                measure_start(case=case, respondent=person, kind="sluiting", by=cm, on=on)
            assert codes(excinfo) == {code}


class TestTable:
    @pytest.mark.parametrize("kind", MeasureKind.values)
    def test_every_kind_has_a_row_for_every_step_and_the_start(self, kind):
        assert set(ALLOWED_STEPS[kind]) == {None, *Step.values}

    @pytest.mark.parametrize("kind", MeasureKind.values)
    def test_terminal_steps_allow_nothing(self, kind):
        for step in (Step.WITHDRAWN, Step.EXPIRED, Step.ENDED):
            assert ALLOWED_STEPS[kind][step] == frozenset()

    def test_penalty_and_enforcement_steps_follow_the_kind(self):
        after = Step.CHECK
        dwangsom = ALLOWED_STEPS[MeasureKind.BEHAVIOURAL_ORDER_PENALTY][after]
        bestuursdwang = ALLOWED_STEPS[MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT][after]
        assert Step.PENALTY_INCURRED in dwangsom and Step.ENFORCEMENT_APPLIED not in dwangsom
        assert Step.ENFORCEMENT_APPLIED in bestuursdwang
        assert Step.PENALTY_INCURRED not in bestuursdwang
        assert Step.PENALTY_INCURRED not in ALLOWED_STEPS[MeasureKind.CLOSURE][after]

    @pytest.mark.parametrize("kind", MeasureKind.values)
    def test_every_refused_step_from_the_start_is_refused_by_the_service(self, kind, tl):
        m = measure(new_case(), by=tl, kind=kind)
        for step in sorted(set(Step.values) - ALLOWED_STEPS[kind][None]):
            with pytest.raises(ValidationError) as excinfo:
                record(m, step, D(2026, 2, 1), tl)
            assert codes(excinfo) == {"transition"}, step

    @pytest.mark.parametrize("kind", MeasureKind.values)
    def test_every_step_the_table_refuses_after_bekendmaking_is_refused(self, kind, cm, tl):
        m = decided(measure(new_case(), by=cm, kind=kind), cm, tl)
        for step in sorted(set(Step.values) - ALLOWED_STEPS[kind][Step.NOTIFIED]):
            with pytest.raises(ValidationError) as excinfo:
                record(m, step, D(2026, 4, 1), tl)
            assert "transition" in codes(excinfo), step


class TestFullFlow:
    def test_gedragsaanwijzing_end_to_end_mirrors_the_latest_step(self, cm, tl):
        m = decided(measure(new_case(), by=cm), cm, tl, begunstigingstermijn_days=14)
        record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 20), cm, advisory_committee=True)
        record(m, Step.OBJECTION_ADJOURNED, D(2026, 6, 1), cm)
        record(m, Step.HEARING, D(2026, 6, 1), cm, outcome=Outcome.HEARD)
        record(m, Step.OBJECTION_DECIDED, D(2026, 6, 2), cm, outcome=Outcome.UNFOUNDED)
        record(m, Step.CHECK, D(2026, 6, 3), cm, outcome=Outcome.BREACHED)
        record(m, Step.PENALTY_INCURRED, D(2026, 6, 3), cm)
        record(m, Step.COLLECTION_ORDER, D(2026, 6, 10), tl, amount=Decimal("250"))
        last = record(m, Step.EXPIRED, D(2026, 6, 15), cm)
        m.refresh_from_db()
        assert (m.current_step, m.current_step_on, m.ended_on) == (
            Step.EXPIRED,
            D(2026, 6, 15),
            D(2026, 6, 15),
        )
        assert MeasureStep.objects.get(step=Step.PENALTY_INCURRED).amount == Decimal("250.00")
        assert last.measure.steps.count() == 15
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, D(2026, 6, 15), cm, outcome=Outcome.COMPLIED)
        assert codes(excinfo) == {"transition"}

    def test_every_step_writes_an_audit_event_without_its_note(self, cm, tl):
        m = measure(new_case(), by=cm)
        step = record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 10), cm, note="Buren gehoord")
        event = AuditEvent.objects.get(object_type="maatregelstap", object_id=str(step.pk))
        assert event.case == m.case and event.changes["stap"] == Step.INVESTIGATION_REPORT
        assert "Buren" not in str(event.changes)

    def test_steps_are_append_only(self, cm):
        m = measure(new_case(), by=cm)
        step = record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 10), cm)
        with pytest.raises(PermissionError):
            step.save()
        with pytest.raises(PermissionError):
            step.delete()
        with pytest.raises(PermissionError):
            MeasureStep.objects.update(step=Step.WARNING_SENT)


class TestPreconditions:
    def test_no_voornemen_for_a_gedragsaanwijzing_without_verslag_and_waarschuwing(self, cm):
        m = measure(new_case(), by=cm)
        record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 10), cm)
        record(m, Step.WEIGHING, D(2026, 1, 10), cm, note="Afweging vastgelegd")
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.INTENTION_SENT, D(2026, 1, 12), cm)
        assert codes(excinfo) == {"precondition"}
        assert "waarschuwing" in str(excinfo.value)

    def test_a_sluiting_needs_no_waarschuwing_before_its_voornemen(self, cm):
        m = measure(new_case(), by=cm, kind=MeasureKind.CLOSURE)
        step = record(m, Step.INTENTION_SENT, D(2026, 1, 12), cm)
        assert step.zienswijze_days == 14  # the setting's default

    def test_a_team_leader_skips_with_a_reason_that_is_stored(self, cm, tl):
        m = measure(new_case(), by=cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.INTENTION_SENT, D(2026, 1, 12), tl)
        assert "skip_reason" in excinfo.value.error_dict
        step = record(m, Step.INTENTION_SENT, D(2026, 1, 12), tl, skip_reason="Spoed: dreiging")
        assert step.skip_reason == "Spoed: dreiging"

    def test_a_casemanager_cannot_skip(self, cm):
        m = measure(new_case(), by=cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.INTENTION_SENT, D(2026, 1, 12), cm, skip_reason="Spoed")
        assert codes(excinfo) == {"role"}

    def test_a_skip_reason_without_a_failed_precondition_is_refused(self, tl):
        m = measure(new_case(), by=tl, kind=MeasureKind.OTHER)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.INTENTION_SENT, D(2026, 1, 12), tl, skip_reason="Spoed")
        assert codes(excinfo) == {"not_applicable"}

    def test_no_besluit_without_voornemen(self, tl):
        m = measure(new_case(), by=tl, kind=MeasureKind.OTHER)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.DECISION, D(2026, 2, 1), tl)
        assert codes(excinfo) == {"precondition"}
        # What is missing, then what the team leader may do about it.
        assert excinfo.value.messages == [
            "Er is nog geen voornemen verzonden (zienswijze, art. 4:8 Awb).",
            "Geef als teamleider een reden (spoed) om toch door te gaan.",
        ]

    def test_besluit_waits_for_the_end_of_the_zienswijze_term(self, cm, tl):
        m = measure(new_case(), by=cm, kind=MeasureKind.OTHER)
        record(m, Step.INTENTION_SENT, D(2026, 2, 2), cm, zienswijze_days=14)
        # The term runs to and including 16 February 2026.
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.DECISION, D(2026, 2, 16), tl)
        assert codes(excinfo) == {"precondition"}
        assert excinfo.value.messages == [
            "De zienswijzetermijn loopt nog tot en met 16-02-2026 en er is geen zienswijze "
            "ontvangen of afgezien.",
            "Geef als teamleider een reden (spoed) om toch door te gaan.",
        ]
        assert record(m, Step.DECISION, D(2026, 2, 17), tl).step == Step.DECISION

    def test_besluit_may_follow_a_zienswijze_within_the_term(self, cm, tl):
        m = measure(new_case(), by=cm, kind=MeasureKind.OTHER)
        record(m, Step.INTENTION_SENT, D(2026, 2, 2), cm)
        record(m, Step.VIEW_RECEIVED, D(2026, 2, 6), cm)
        assert record(m, Step.DECISION, D(2026, 2, 9), tl).step == Step.DECISION


class TestRolesAndData:
    def test_only_a_team_leader_records_besluit_and_intrekking(self, cm, tl):
        m = measure(new_case(), by=cm, kind=MeasureKind.OTHER)
        record(m, Step.INTENTION_SENT, D(2026, 2, 2), cm)
        record(m, Step.VIEW_WAIVED, D(2026, 2, 3), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.DECISION, D(2026, 2, 4), cm)
        assert codes(excinfo) == {"role"}
        record(m, Step.DECISION, D(2026, 2, 4), tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.WITHDRAWN, D(2026, 2, 5), cm)
        assert codes(excinfo) == {"role"}
        record(m, Step.WITHDRAWN, D(2026, 2, 5), tl)
        m.refresh_from_db()
        assert m.ended_on == D(2026, 2, 5)

    def test_rapportage_records_nothing(self, cm):
        m = measure(new_case(), by=cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.INVESTIGATION_REPORT, D(2026, 2, 2), rapportage())
        assert codes(excinfo) == {"role"}

    def test_dwangsom_besluit_needs_amount_and_maximum_not_below_it(self, cm, tl):
        m = measure(new_case(), by=cm)
        record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 10), cm)
        record(m, Step.WEIGHING, D(2026, 1, 10), cm, note="Afweging vastgelegd")
        record(m, Step.WARNING_SENT, D(2026, 1, 20), cm)
        record(m, Step.INTENTION_SENT, D(2026, 2, 2), cm)
        record(m, Step.VIEW_WAIVED, D(2026, 2, 3), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.DECISION, D(2026, 2, 4), tl)
        assert set(excinfo.value.error_dict) == {"penalty_amount", "penalty_maximum"}
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.DECISION, D(2026, 2, 4), tl, penalty_amount=500, penalty_maximum=100)
        assert codes(excinfo) == {"invalid"}

    def test_data_that_does_not_belong_to_the_step_is_refused(self, cm):
        m = measure(new_case(), by=cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.INVESTIGATION_REPORT, D(2026, 2, 2), cm, amount=10)
        assert codes(excinfo) == {"not_applicable"}

    def test_a_bestuursdwang_besluit_has_no_dwangsom_and_a_sluiting_needs_its_duration(
        self, cm, tl
    ):
        for kind, data, field in (
            (MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT, {"penalty_amount": 5}, "penalty_amount"),
            (MeasureKind.CLOSURE, {}, "duration_months"),
        ):
            m = measure(new_case(), by=cm, kind=kind)
            skip = {"skip_reason": "Spoed"} if kind != MeasureKind.CLOSURE else {}
            record(m, Step.WEIGHING, D(2026, 2, 1), cm, note="Afweging vastgelegd")
            record(m, Step.INTENTION_SENT, D(2026, 2, 2), tl, **skip)
            record(m, Step.VIEW_WAIVED, D(2026, 2, 3), cm)
            with pytest.raises(ValidationError) as excinfo:
                record(m, Step.DECISION, D(2026, 2, 4), tl, **data)
            assert set(excinfo.value.error_dict) == {field}

    def test_outcomes_are_required_and_must_fit_the_step(self, cm, tl):
        m = decided(measure(new_case(), by=cm), cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.CHECK, D(2026, 4, 1), cm, outcome=Outcome.WELL_FOUNDED)
        assert codes(excinfo) == {"required"}
        record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 1), cm)
        record(m, Step.HEARING, D(2026, 4, 1), cm, outcome=Outcome.HEARD)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.OBJECTION_DECIDED, D(2026, 4, 2), cm, outcome=Outcome.COMPLIED)
        assert codes(excinfo) == {"required"}


class TestSequence:
    def test_dwangsom_verbeurd_needs_a_controle_that_found_a_breach(self, cm, tl):
        m = decided(measure(new_case(), by=cm), cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.PENALTY_INCURRED, D(2026, 4, 1), cm)
        assert codes(excinfo) == {"sequence"}
        record(m, Step.CHECK, D(2026, 4, 1), cm, outcome=Outcome.COMPLIED)
        with pytest.raises(ValidationError):
            record(m, Step.PENALTY_INCURRED, D(2026, 4, 1), cm)

    def test_penalties_stop_at_the_maximum(self, cm, tl):
        m = decided(measure(new_case(), by=cm), cm, tl)  # 250 per overtreding, maximum 1000
        for day in (1, 2, 3, 4):
            record(m, Step.CHECK, D(2026, 4, day), cm, outcome=Outcome.BREACHED)
            record(m, Step.PENALTY_INCURRED, D(2026, 4, day), cm)
        record(m, Step.CHECK, D(2026, 4, 5), cm, outcome=Outcome.BREACHED)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.PENALTY_INCURRED, D(2026, 4, 5), cm)
        assert codes(excinfo) == {"over_maximum"}

    def test_objection_steps_in_their_order(self, cm, tl):
        m = decided(measure(new_case(), by=cm), cm, tl)
        for step in (Step.OBJECTION_DECIDED, Step.OBJECTION_ADJOURNED, Step.APPEAL_FILED):
            with pytest.raises(ValidationError) as excinfo:
                record(
                    m,
                    step,
                    D(2026, 4, 1),
                    cm,
                    **({"outcome": Outcome.UNFOUNDED} if step == Step.OBJECTION_DECIDED else {}),
                )
            assert codes(excinfo) == {"sequence"}, step
        record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 1), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 2), cm)
        assert codes(excinfo) == {"sequence"}
        record(m, Step.OBJECTION_ADJOURNED, D(2026, 4, 2), cm)
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.OBJECTION_ADJOURNED, D(2026, 4, 3), cm)
        assert codes(excinfo) == {"sequence"}

    def test_verdaging_after_the_beslistermijn_is_late(self, cm, tl):
        m = decided(measure(new_case(), by=cm), cm, tl, notified_on=D(2026, 1, 26))
        record(m, Step.OBJECTION_RECEIVED, D(2026, 2, 2), cm)
        # Bezwaartermijn ends Monday 9 March 2026; beslistermijn Monday 20 April 2026.
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.OBJECTION_ADJOURNED, D(2026, 4, 21), cm)
        assert codes(excinfo) == {"late"}


class TestDates:
    def test_no_step_in_the_future_before_the_start_or_before_the_previous_step(self, cm):
        m = measure(new_case(), by=cm, on=D(2026, 1, 10))
        for on, code in (
            (D(2026, 6, 16), "future"),
            (D(2026, 1, 9), "before_start"),
            (None, "required"),
        ):
            with pytest.raises(ValidationError) as excinfo:
                record(m, Step.INVESTIGATION_REPORT, on, cm)
            assert codes(excinfo) == {code}
        record(m, Step.INVESTIGATION_REPORT, D(2026, 2, 1), cm)
        record(m, Step.WEIGHING, D(2026, 2, 1), cm, note="Afweging vastgelegd")
        with pytest.raises(ValidationError) as excinfo:
            record(m, Step.WARNING_SENT, D(2026, 1, 31), cm)
        assert codes(excinfo) == {"before_previous"}
        assert record(m, Step.WARNING_SENT, D(2026, 2, 1), cm)  # the same day is fine

    def test_a_planned_controle_not_before_the_step(self, cm, tl):
        m = decided(measure(new_case(), by=cm), cm, tl)
        with pytest.raises(ValidationError) as excinfo:
            record(
                m, Step.CHECK, D(2026, 4, 2), cm, outcome="nageleefd", next_check_on=D(2026, 4, 1)
            )
        assert codes(excinfo) == {"before_step"}

    def test_steps_may_continue_on_a_closed_case(self, cm, tl):
        """By whoever may still write to the closed case: its casemanager, a team leader."""
        case = CaseFactory(registered_on=D(2026, 1, 5), casemanager=cm)
        m = decided(measure(case, by=cm), cm, tl)
        case_close(m.case, on=D(2026, 4, 1), reason="opgelost", by=cm)
        assert record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 2), cm)
        with pytest.raises(PermissionDenied):
            record(m, Step.OBJECTION_DECIDED, D(2026, 4, 3), casemanager())


# Skipped before the database fixture: a transactional test that skips in its body still
# flushes the test database afterwards, and the worker's next modules find it empty.
@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (concurrent transactions)",
)
@pytest.mark.django_db(transaction=True)
def test_two_people_recording_at_once_are_serialised():
    """Both try the same next step; the lock makes the second see the first's step."""
    cm_a, cm_b = casemanager(), casemanager()
    m = measure(CaseFactory(registered_on=D(2026, 1, 5)), by=cm_a, kind=MeasureKind.OTHER)
    record(m, Step.INTENTION_SENT, D(2026, 2, 2), cm_a)
    results = []
    barrier = threading.Barrier(2)

    def attempt(user):
        try:
            barrier.wait()
            record(Measure.objects.get(pk=m.pk), Step.VIEW_RECEIVED, D(2026, 2, 5), user)
            results.append("ok")
        except ValidationError as error:
            results.append(sorted(e.code for errs in error.error_dict.values() for e in errs))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in (cm_a, cm_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, results)) == ["['transition']", "ok"]
    assert MeasureStep.objects.filter(step=Step.VIEW_RECEIVED).count() == 1


# Every step the table allows, recorded for real: from the start and after bekendmaking.
PREREQUISITES = {
    Step.OBJECTION_ADJOURNED: [(Step.OBJECTION_RECEIVED, {})],
    Step.OBJECTION_DECIDED: [
        (Step.OBJECTION_RECEIVED, {}),
        (Step.HEARING, {"outcome": Outcome.HEARD}),
    ],
    Step.HEARING: [(Step.OBJECTION_RECEIVED, {})],
    Step.DECISION_SUSPENDED: [(Step.OBJECTION_RECEIVED, {})],
    Step.DECISION_POSTPONED: [(Step.OBJECTION_RECEIVED, {})],
    Step.DIRECT_APPEAL: [(Step.OBJECTION_RECEIVED, {})],
    Step.INTERIM_REQUEST: [(Step.OBJECTION_RECEIVED, {})],
    Step.INTERIM_RULING: [(Step.OBJECTION_RECEIVED, {}), (Step.INTERIM_REQUEST, {})],
    Step.APPEAL_FILED: [
        (Step.OBJECTION_RECEIVED, {}),
        (Step.HEARING, {"outcome": Outcome.WAIVED_DECLINED}),
        (Step.OBJECTION_DECIDED, {"outcome": Outcome.UNFOUNDED}),
        (Step.NOTIFIED, {}),
    ],
    Step.APPEAL_RULING: [(Step.OBJECTION_RECEIVED, {}), (Step.DIRECT_APPEAL, {})],
    Step.HIGHER_APPEAL_FILED: [
        (Step.OBJECTION_RECEIVED, {}),
        (Step.DIRECT_APPEAL, {}),
        (Step.APPEAL_RULING, {"outcome": Outcome.UNFOUNDED}),
    ],
    Step.HIGHER_APPEAL_RULING: [
        (Step.OBJECTION_RECEIVED, {}),
        (Step.DIRECT_APPEAL, {}),
        (Step.APPEAL_RULING, {"outcome": Outcome.UNFOUNDED}),
        (Step.HIGHER_APPEAL_FILED, {}),
    ],
    Step.PENALTY_INCURRED: [(Step.CHECK, {"outcome": Outcome.BREACHED})],
    Step.ENFORCEMENT_APPLIED: [(Step.CHECK, {"outcome": Outcome.BREACHED})],
    # A new besluit follows a bezwaar that revoked the old one (art. 7:11 lid 2 Awb).
    Step.DECISION: [
        (Step.OBJECTION_RECEIVED, {}),
        (Step.HEARING, {"outcome": Outcome.HEARD}),
        (Step.OBJECTION_DECIDED, {"outcome": Outcome.WELL_FOUNDED}),
    ],
}
STEP_DATA = {
    Step.PENALTY_INCURRED: {"amount": Decimal("100")},
    Step.OBJECTION_DECIDED: {"outcome": Outcome.WELL_FOUNDED},
    Step.CHECK: {"outcome": Outcome.COMPLIED},
    Step.COLLECTION_ORDER: {"amount": Decimal("100")},
    Step.COST_ORDER: {"amount": Decimal("100")},
    Step.PAYMENT_RECEIVED: {"amount": Decimal("50")},
    Step.HEARING: {"outcome": Outcome.HEARD},
    Step.DECISION_SUSPENDED: {"until_on": D(2026, 4, 20)},
    Step.DECISION_POSTPONED: {
        "outcome": Outcome.POSTPONED_APPLICANT_AGREES,
        "until_on": D(2026, 9, 1),
    },
    Step.INTERIM_RULING: {"outcome": Outcome.REFUSED},
    Step.TERM_EXTENDED: {"until_on": D(2026, 6, 1)},
    Step.APPEAL_RULING: {"outcome": Outcome.UNFOUNDED},
    Step.HIGHER_APPEAL_RULING: {"outcome": Outcome.UNFOUNDED},
}


def _after_notification(kind):
    return [(kind, step) for step in sorted(ALLOWED_STEPS[kind][Step.NOTIFIED])]


@pytest.mark.parametrize(
    ("kind", "step"),
    [pair for kind in MeasureKind.values for pair in _after_notification(kind)],
)
def test_every_step_allowed_after_bekendmaking_can_be_recorded(kind, step, cm, tl):
    m = decided(measure(new_case(), by=cm, kind=kind), cm, tl)
    for before, data in PREREQUISITES.get(step, []):
        record(m, before, D(2026, 4, 1), cm, **data)
    if kind == MeasureKind.ENFORCEMENT_REQUEST and step == Step.NOTIFIED:
        # What a handhavingsverzoek makes known later: the beslissing op bezwaar.
        for before, data in PREREQUISITES[Step.DECISION]:
            record(m, before, D(2026, 4, 1), cm, **data)
    elif step in COLLECTION_STEPS or step == Step.NOTIFIED:
        record(m, Step.CHECK, D(2026, 4, 1), cm, outcome=Outcome.BREACHED)
        penalty = (
            Step.PENALTY_INCURRED in ALLOWED_STEPS[kind][Step.CHECK] and step != Step.COST_ORDER
        )
        enforcement = Step.PENALTY_INCURRED if penalty else Step.ENFORCEMENT_APPLIED
        record(m, enforcement, D(2026, 4, 1), cm, **STEP_DATA.get(enforcement, {}))
        if step in (Step.REMINDER, Step.WRIT, Step.NOTIFIED, Step.PAYMENT_RECEIVED):
            basis = Step.COLLECTION_ORDER if penalty else Step.COST_ORDER
            record(m, basis, D(2026, 4, 1), tl, amount=Decimal("100"))
            if step != Step.NOTIFIED:
                record(m, Step.NOTIFIED, D(2026, 4, 1), cm)
    data = STEP_DATA.get(step, {})
    if step == Step.DECISION and kind == MeasureKind.BEHAVIOURAL_ORDER_PENALTY:
        data = {"penalty_amount": Decimal("250"), "penalty_maximum": Decimal("1000")}
    if step == Step.DECISION and kind == MeasureKind.CLOSURE:
        data = {"duration_months": 3}
    row = record(m, step, D(2026, 4, 2), tl, **data)
    m.refresh_from_db()
    assert (row.step, m.current_step) == (step, step)


@pytest.mark.parametrize(
    "kind", sorted(set(MeasureKind.values) - {MeasureKind.ENFORCEMENT_REQUEST})
)
@pytest.mark.parametrize(
    "step",
    sorted({Step.INVESTIGATION_REPORT, Step.WEIGHING, Step.WARNING_SENT, Step.ENDED}),
)
def test_every_preparation_step_allowed_from_the_start_can_be_recorded(kind, step, cm):
    assert step in ALLOWED_STEPS[kind][None]
    m = measure(new_case(), by=cm, kind=kind)
    note = "Afweging vastgelegd" if step == Step.WEIGHING else ""
    assert record(m, step, D(2026, 2, 1), cm, note=note).step == step


def test_an_old_invordering_without_an_amount_counts_as_nothing_paid_or_claimed():
    """Rows of the old `invordering` step (no longer offered, still read) count as paid and
    as claimed by their amount; one without an amount counts as nothing, not as an error."""
    from tests import measures_helpers as helpers

    with time_machine.travel(datetime.datetime(2028, 12, 1, 12, 0), tick=False):
        cm, tl = casemanager(), teamleider()
        m = helpers.ordered(cm, tl, notified_on=datetime.date(2026, 2, 3))
        helpers.record(m, Step.CHECK, datetime.date(2026, 3, 10), cm, outcome=Outcome.BREACHED)
        helpers.record(m, Step.PENALTY_INCURRED, datetime.date(2026, 3, 10), cm)
        MeasureStep.objects.create(
            measure=m, step=Step.COLLECTION, amount=None, occurred_on=datetime.date(2026, 5, 1)
        )
        state = helpers.state_of(m)
    assert state.amount_paid == Decimal("0")
    assert state.collectable_on(datetime.date(2026, 6, 1)) == Decimal("250")


def test_the_voornemen_names_what_it_still_needs_in_dutch():
    """Zoetermeer's instrument (APV art. 2:37a): onderzoeksverslag, belangenafweging and
    waarschuwing before a voornemen tot gedragsaanwijzing. The precondition names what is
    missing as a Dutch list: 'a, b en c', 'a en b', or the one."""
    from woonoverlast.common.calendar import AtwCalendar
    from woonoverlast.measures.rules import MeasureState, precondition_problems

    m = measure(by=casemanager(), kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY)

    def needed(*steps):
        rows = [MeasureStep(measure=m, step=step, occurred_on=m.started_on) for step in steps]
        state = MeasureState(m, rows, AtwCalendar.load())
        return precondition_problems(state, Step.INTENTION_SENT, m.started_on)

    prefix = "Voor een voornemen tot gedragsaanwijzing zijn nodig: "
    assert needed() == [
        prefix + "onderzoeksverslag opgesteld, belangenafweging vastgelegd en waarschuwing "
        "verzonden."
    ]
    assert needed(Step.INVESTIGATION_REPORT) == [
        prefix + "belangenafweging vastgelegd en waarschuwing verzonden."
    ]
    assert needed(Step.INVESTIGATION_REPORT, Step.WEIGHING) == [prefix + "waarschuwing verzonden."]
    assert needed(Step.INVESTIGATION_REPORT, Step.WEIGHING, Step.WARNING_SENT) == []
