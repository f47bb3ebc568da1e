"""The table of allowed next steps per kind of maatregel (measures.rules.step_table), row by row.

Built anew by `step_table()` (the application reads the same table once, as ALLOWED_STEPS), so
that these tests see a change to the function that builds it.

- Preparation (onderzoeksverslag, belangenafweging, waarschuwing) in any order, from the start
  and after each other; then the voornemen, a besluit straight away (no zienswijze needed
  when the urgency ground applies, a precondition the service checks) or beëindigen.
- After the voornemen: the zienswijze (ontvangen or afgezien, art. 4:8 Awb), the besluit or
  beëindigen; after the zienswijze: the besluit or beëindigen.
- After the besluit: its bekendmaking (art. 3:40 Awb) or its intrekking only.
- After bekendmaking the objection track (bezwaar, beroep, hoger beroep, voorlopige
  voorziening: art. 7:1, 8:1, 8:81 Awb) and the enforcement track (controle, the kind's
  enforcement and collection) run side by side: every step of that phase may follow every
  other.
- A dwangsom is verbeurd only under a last onder dwangsom; bestuursdwang is applied under a
  last onder bestuursdwang and a sluiting (Gemeentewet art. 174a lid 5); "anders" has both.
- Ingetrokken, afgelopen and beëindigd end the table: nothing follows them here (collecting
  after the end is AFTER_END).
"""

import pytest

from woonoverlast.measures.choices import TERMINAL_STEPS, MeasureKind, Step
from woonoverlast.measures.rules import ALLOWED_STEPS, step_table

PREPARATION = {Step.INVESTIGATION_REPORT, Step.WEIGHING, Step.WARNING_SENT}
BEFORE_DECISION = PREPARATION | {Step.INTENTION_SENT, Step.DECISION, Step.ENDED}
OBJECTION_TRACK = {
    Step.OBJECTION_RECEIVED,
    Step.OBJECTION_ADJOURNED,
    Step.OBJECTION_DECIDED,
    Step.HEARING,
    Step.DIRECT_APPEAL,
    Step.APPEAL_FILED,
    Step.INTERIM_REQUEST,
    Step.INTERIM_RULING,
    Step.APPEAL_RULING,
    Step.HIGHER_APPEAL_FILED,
    Step.HIGHER_APPEAL_RULING,
}
PENALTY = {Step.PENALTY_INCURRED, Step.COLLECTION_ORDER}
ENFORCEMENT = {Step.ENFORCEMENT_APPLIED, Step.COST_ORDER}
COLLECTING = {Step.PAYMENT_RECEIVED, Step.REMINDER, Step.WRIT}
ENFORCEMENT_OF = {
    MeasureKind.BEHAVIOURAL_ORDER_PENALTY: PENALTY | COLLECTING,
    MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT: ENFORCEMENT | COLLECTING,
    MeasureKind.CLOSURE: ENFORCEMENT | COLLECTING,
    MeasureKind.OTHER: PENALTY | ENFORCEMENT | COLLECTING,
}
KINDS = list(ENFORCEMENT_OF)


@pytest.fixture(scope="module")
def table():
    return step_table()


def test_the_application_reads_the_same_table():
    assert step_table() == ALLOWED_STEPS


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_row_of_steps_for_the_start_and_every_step(kind, table):
    assert set(table) == set(MeasureKind.values)
    assert set(table[kind]) == {None, *Step.values}
    assert all(type(row) is frozenset for row in table[kind].values())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("after", [None, *sorted(PREPARATION)])
def test_preparation_in_any_order_then_the_voornemen_a_besluit_or_the_end(kind, after, table):
    assert table[kind][after] == BEFORE_DECISION


@pytest.mark.parametrize("kind", KINDS)
def test_after_the_voornemen_the_zienswijze_the_besluit_or_the_end(kind, table):
    assert table[kind][Step.INTENTION_SENT] == {
        Step.VIEW_RECEIVED,
        Step.VIEW_WAIVED,
        Step.DECISION,
        Step.ENDED,
    }
    for after in (Step.VIEW_RECEIVED, Step.VIEW_WAIVED):
        assert table[kind][after] == {Step.DECISION, Step.ENDED}


@pytest.mark.parametrize("kind", KINDS)
def test_after_the_besluit_only_its_bekendmaking_or_its_intrekking(kind, table):
    assert table[kind][Step.DECISION] == {Step.NOTIFIED, Step.WITHDRAWN}


@pytest.mark.parametrize("kind", KINDS)
def test_after_bekendmaking_both_tracks_and_the_kinds_own_enforcement(kind, table):
    phase = table[kind][Step.NOTIFIED]
    assert OBJECTION_TRACK | {Step.CHECK} <= phase
    assert phase >= TERMINAL_STEPS
    # A new besluit once the bezwaar revoked the old one; the bekendmaking of a beschikking.
    assert {Step.DECISION, Step.NOTIFIED} <= phase
    assert phase & (PENALTY | ENFORCEMENT | COLLECTING) == ENFORCEMENT_OF[kind]
    assert not phase & (PREPARATION | {Step.INTENTION_SENT, Step.VIEW_RECEIVED, Step.VIEW_WAIVED})
    # The old `invordering` step is no longer offered.
    assert Step.COLLECTION not in phase


@pytest.mark.parametrize("kind", KINDS)
def test_in_the_phase_after_bekendmaking_every_step_may_follow_every_other(kind, table):
    phase = table[kind][Step.NOTIFIED]
    for after in phase - TERMINAL_STEPS - {Step.DECISION}:
        assert table[kind][after] == phase, after


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_follows_an_end_nor_a_step_of_another_kinds_enforcement(kind, table):
    for step in TERMINAL_STEPS:
        assert table[kind][step] == frozenset()
    others = (PENALTY | ENFORCEMENT) - ENFORCEMENT_OF[kind]
    for step in others | {Step.COLLECTION}:
        assert table[kind][step] == frozenset(), step
