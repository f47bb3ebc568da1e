"""Which deadlines of a maatregel are running: what Termijnen, Mijn casussen and the digest
show (measures.selection.running_measure_deadlines) and what the case file shows (the
measure's card: next deadline, missed or not, and the computed dates).

The steps are recorded through the service, as the team does; the deadlines are read the way
the screens read them. The rules (measures/rules.py, MeasureState):

- zienswijzetermijn (art. 4:8 Awb, set in the voornemen): from the voornemen until a
  zienswijze is received or waived or the besluit is taken; not moved by the Atw;
- bezwaartermijn (art. 6:7 Awb): from the bekendmaking until a bezwaar is received; once
  passed it asks nothing of the team, so the next deadline skips it (from the day after its
  last day);
- beslistermijn (art. 7:10 Awb): while a bezwaar is undecided (the hoorzitting the beslissing
  needs, art. 7:2/7:3 Awb, does not end it); six weeks after the bezwaartermijn, twelve with an
  adviescommissie, six more when verdaagd; missing it is red;
- begunstigingstermijn (set in the besluit): until a controle after its last day (the last runs
  through that day: a controle on it cannot find that the term passed, art. 5:32a lid 2 and
  5:24 lid 2 Awb);
- a planned controle: the latest step's next_check_on, until a controle follows;
- looptijd (set in the besluit): until the measure ends;
- none at all once the measure has ended; earliest first.

The case file lists every term computed so far, running or not, in date order; those whose
last day is before today are marked passed.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.factories import CaseFactory, casemanager, measure, with_looptijd
from woonoverlast.common.calendar import AtwCalendar
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.deadlines import Term
from woonoverlast.measures.models import MeasureStep
from woonoverlast.measures.presentation import measure_cards
from woonoverlast.measures.rules import DeadlineKind, MeasureState
from woonoverlast.measures.selection import running_measure_deadlines
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 15)
VIEW, OBJECTION, DECISION = DeadlineKind.VIEW, DeadlineKind.OBJECTION, DeadlineKind.DECISION
COMPLIANCE, CHECK, ORDER_END = DeadlineKind.COMPLIANCE, DeadlineKind.CHECK, DeadlineKind.ORDER_END


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(12)), tick=False):
        yield


def new_measure(cm, kind=MeasureKind.OTHER):
    return measure(CaseFactory(registered_on=D(2026, 1, 5)), by=cm, kind=kind)


def record(m, step, on, by, **data):
    return measure_step_record(m, step=step, on=on, by=by, **with_looptijd(m, step, data))


def notified(m, cm, tl, *, on, next_check_on=None, **decision):
    """Belangenafweging (where the kind needs it), voornemen, zienswijze afgezien, besluit
    (with `decision`'s data) and bekendmaking."""
    if not m.steps.filter(step=Step.WEIGHING).exists():
        record(m, Step.WEIGHING, D(2026, 1, 6), cm, note="Afweging vastgelegd")
    record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
    record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
    record(m, Step.DECISION, D(2026, 1, 9), tl, **decision)
    record(m, Step.NOTIFIED, on, cm, next_check_on=next_check_on)
    return m


def heard(m, cm, *, on):
    """The hoorzitting a beslissing op bezwaar needs (art. 7:2 Awb)."""
    record(m, Step.HEARING, on, cm, outcome=Outcome.HEARD)


def running(m) -> list[tuple[str, datetime.date]]:
    """The measure's deadlines as Termijnen and the digest list them."""
    return [
        (deadline.kind, deadline.due_on)
        for found, deadline in running_measure_deadlines({"pk": m.case_id})
        if found.pk == m.pk
    ]


def card(m, cm, today=TODAY):
    (found,) = [c for c in measure_cards(m.case, user=cm, today=today) if c.measure.pk == m.pk]
    return found


# -- zienswijzetermijn -----------------------------------------------------------------------


def test_a_voornemen_runs_the_zienswijze_term_it_sets_not_moved_by_the_atw(cm):
    m = new_measure(cm)
    record(m, Step.INTENTION_SENT, D(2026, 6, 6), cm, zienswijze_days=14)
    # 6 June + 14 days: Saturday 20 June, a term set by the burgemeester stays on it.
    assert running(m) == [(VIEW, D(2026, 6, 20))]
    assert card(m, cm).next_deadline.label == "Zienswijzetermijn eindigt"


@pytest.mark.parametrize("step", [Step.VIEW_RECEIVED, Step.VIEW_WAIVED])
def test_the_zienswijze_term_stops_running_with_a_zienswijze_or_its_waiver(cm, step):
    m = new_measure(cm)
    record(m, Step.INTENTION_SENT, D(2026, 6, 1), cm, zienswijze_days=14)
    record(m, step, D(2026, 6, 10), cm)
    assert running(m) == []
    assert card(m, cm).next_deadline is None


def test_the_zienswijze_term_stops_running_with_the_besluit(cm, tl):
    m = new_measure(cm)
    record(m, Step.INTENTION_SENT, D(2026, 6, 1), cm, zienswijze_days=14)
    record(m, Step.DECISION, D(2026, 6, 10), tl, skip_reason="Spoed: ernstige overlast")
    assert running(m) == []


def test_without_a_voornemen_no_zienswijze_term(cm):
    m = new_measure(cm)
    record(m, Step.INVESTIGATION_REPORT, D(2026, 6, 1), cm)
    record(m, Step.WEIGHING, D(2026, 6, 1), cm, note="Afweging vastgelegd")
    assert running(m) == []
    assert card(m, cm).computed_dates == []


def test_a_voornemen_without_a_number_of_days_has_no_term():
    """Rows from before the number of days was kept: no term is made up for them."""
    m = measure_without_steps()
    state = MeasureState(m, [step_row(Step.INTENTION_SENT, D(2026, 6, 1))], AtwCalendar())
    assert state.zienswijze_term is None
    assert state.deadlines == [] and state.computed_dates() == []


def measure_without_steps():
    cm = casemanager()
    return new_measure(cm)


def step_row(step, on, **data):
    return MeasureStep(step=step, occurred_on=on, **data)


# -- bezwaartermijn and beslistermijn ----------------------------------------------------------


def test_the_bekendmaking_runs_the_bezwaartermijn_until_a_bezwaar(cm, tl):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    # Six weeks: Tuesday 5 May 2026 is 5 mei, so Wednesday 6 May (art. 1 Atw).
    assert running(m) == [(OBJECTION, D(2026, 5, 6))]
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    assert OBJECTION not in dict(running(m))


@pytest.mark.parametrize(
    ("today", "shown"),
    [(D(2026, 5, 5), True), (D(2026, 5, 6), True), (D(2026, 5, 7), False)],
    ids=["before", "last day", "day after"],
)
def test_a_passed_bezwaartermijn_is_no_longer_the_next_deadline(cm, tl, today, shown):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    deadline = card(m, cm, today).next_deadline
    assert (deadline is not None) == shown
    if shown:
        assert (deadline.kind, deadline.due_on, deadline.lapses) == (OBJECTION, D(2026, 5, 6), True)
        assert not deadline.is_decision and not card(m, cm, today).deadline_missed


def test_without_a_today_nothing_is_known_to_have_passed(cm, tl):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    assert card(m, cm).state.next_deadline().due_on == D(2026, 5, 6)


def test_a_passed_bezwaartermijn_does_not_hide_the_deadline_after_it(cm, tl):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24), next_check_on=D(2026, 7, 1))
    assert running(m) == [(OBJECTION, D(2026, 5, 6)), (CHECK, D(2026, 7, 1))]
    assert card(m, cm).next_deadline.due_on == D(2026, 7, 1)


@pytest.mark.parametrize(
    ("committee", "adjourned", "due_on"),
    [
        (False, False, D(2026, 6, 17)),  # 6 May + 6 weeks
        (True, False, D(2026, 7, 29)),  # + 12 weeks with an adviescommissie
        (False, True, D(2026, 7, 29)),  # + 6 + 6 weeks verdaagd
        (True, True, D(2026, 9, 9)),  # + 18 weeks: beyond art. 4 Atw, not moved
    ],
)
def test_an_undecided_bezwaar_runs_the_beslistermijn(cm, tl, committee, adjourned, due_on):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm, advisory_committee=committee)
    if adjourned:
        record(m, Step.OBJECTION_ADJOURNED, D(2026, 5, 20), cm)
    assert running(m) == [(DECISION, due_on)]
    deadline = card(m, cm).next_deadline
    assert deadline.is_decision and not deadline.lapses
    assert deadline.label == "Beslistermijn op bezwaar"


def test_a_decided_bezwaar_keeps_its_verdaagde_beslistermijn_in_the_case_file(cm, tl):
    # Art. 7:10 lid 3 Awb: verdaagd by six weeks; once decided the term no longer runs, and
    # the case file still shows it as it was: 6 May + 12 weeks = 29 July, not 17 June.
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    record(m, Step.OBJECTION_ADJOURNED, D(2026, 5, 20), cm)
    heard(m, cm, on=D(2026, 6, 1))
    record(m, Step.OBJECTION_DECIDED, D(2026, 6, 10), tl, outcome=Outcome.UNFOUNDED)
    assert DECISION not in dict(running(m))
    dates = dict(card(m, cm).state.computed_dates())
    assert dates["Beslistermijn op bezwaar"] == Term(D(2026, 7, 29), D(2026, 7, 29), True)


def test_extending_the_begunstigingstermijn_does_not_move_the_beslistermijn(cm, tl):
    # Art. 7:10 Awb: only an opschorting (lid 2), a verdaging (lid 3) or an uitstel (lid 4)
    # moves the beslistermijn; a last verlengd during the bezwaar (its own until-day) does
    # not: 6 May + 6 weeks = 17 June.
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24), begunstigingstermijn_days=28)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    record(m, Step.TERM_EXTENDED, D(2026, 4, 20), tl, until_on=D(2026, 5, 29))
    assert card(m, cm).state.beslistermijn == Term(D(2026, 6, 17), D(2026, 6, 17), True)
    assert (DECISION, D(2026, 6, 17)) in running(m)


def test_a_missed_beslistermijn_stays_the_next_deadline_and_is_missed(cm, tl):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    late = card(m, cm, D(2026, 6, 18))
    assert late.next_deadline.due_on == D(2026, 6, 17) and late.deadline_missed
    assert not card(m, cm, D(2026, 6, 17)).deadline_missed


def test_the_beslistermijn_ends_with_the_beslissing_op_bezwaar(cm, tl):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    heard(m, cm, on=D(2026, 5, 13))
    # The hoorzitting does not end it: only the beslissing does.
    assert running(m) == [(DECISION, D(2026, 6, 17))]
    record(m, Step.OBJECTION_DECIDED, D(2026, 5, 20), cm, outcome=Outcome.UNFOUNDED)
    assert running(m) == []


# -- begunstigingstermijn, controles, looptijd ------------------------------------------------


def test_the_begunstigingstermijn_runs_from_the_bekendmaking(cm, tl):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 4, 1), begunstigingstermijn_days=28)
    # 1 April + 28 days; set in the besluit, so not moved; earliest first.
    assert running(m) == [(COMPLIANCE, D(2026, 4, 29)), (OBJECTION, D(2026, 5, 13))]
    assert card(m, cm, D(2026, 4, 20)).next_deadline.kind == COMPLIANCE


@pytest.mark.parametrize(
    ("checked_on", "still_running"),
    [
        (D(2026, 4, 28), True),
        (D(2026, 4, 29), True),
        (D(2026, 4, 30), False),
        (D(2026, 5, 4), False),
    ],
    ids=["before its last day", "on its last day", "the day after", "later"],
)
def test_a_controle_after_its_last_day_ends_the_begunstigingstermijn(
    cm, tl, checked_on, still_running
):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 4, 1), begunstigingstermijn_days=28)
    record(m, Step.CHECK, checked_on, cm, outcome=Outcome.COMPLIED)
    assert ((COMPLIANCE, D(2026, 4, 29)) in running(m)) == still_running


def test_a_besluit_without_begunstigingstermijn_or_looptijd_runs_neither(cm, tl):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 4, 1))
    assert running(m) == [(OBJECTION, D(2026, 5, 13))]
    assert [dated.label for dated in card(m, cm).computed_dates] == [
        "Zienswijzetermijn eindigt",
        "Bezwaartermijn eindigt",
    ]


def test_a_planned_controle_runs_until_a_controle_follows(cm, tl):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 4, 1), next_check_on=D(2026, 6, 1))
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)  # plans nothing: the plan stands
    assert (CHECK, D(2026, 6, 1)) in running(m)
    deadline = next(d for d in card(m, cm).state.deadlines if d.kind == CHECK)
    assert deadline.label == "Controle gepland"
    record(m, Step.CHECK, D(2026, 6, 2), cm, outcome=Outcome.COMPLIED)
    assert CHECK not in dict(running(m))


def test_a_controle_planned_at_the_bekendmaking_of_an_urgent_besluit_runs(cm, tl):
    """A besluit taken at once (spoed: a team leader records it without voornemen, with the
    reason) and bekendgemaakt with a planned controle: the measure's first two steps. The
    plan runs like any other, wherever in the measure it was made."""
    m = new_measure(cm)
    record(m, Step.DECISION, D(2026, 4, 1), tl, skip_reason="Spoed")
    record(m, Step.NOTIFIED, D(2026, 4, 1), cm, next_check_on=D(2026, 6, 1))
    assert (CHECK, D(2026, 6, 1)) in running(m)


def test_a_controle_that_plans_the_next_one_runs_that_one(cm, tl):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 4, 1), next_check_on=D(2026, 6, 1))
    record(m, Step.CHECK, D(2026, 6, 2), cm, outcome=Outcome.BREACHED, next_check_on=D(2026, 7, 1))
    assert [due for kind, due in running(m) if kind == CHECK] == [D(2026, 7, 1)]


def test_a_controle_without_a_plan_plans_nothing(cm, tl):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 4, 1))
    record(m, Step.CHECK, D(2026, 6, 2), cm, outcome=Outcome.COMPLIED)
    assert CHECK not in dict(running(m))


def test_the_looptijd_runs_until_the_measure_ends(cm, tl):
    m = new_measure(cm, kind=MeasureKind.CLOSURE)
    notified(m, cm, tl, on=D(2026, 3, 31), duration_months=3)
    # Three months from 31 March: 30 June (the month's last day).
    assert running(m) == [(OBJECTION, D(2026, 5, 12)), (ORDER_END, D(2026, 6, 30))]
    assert card(m, cm).next_deadline.kind == ORDER_END
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    heard(m, cm, on=D(2026, 4, 24))
    record(m, Step.OBJECTION_DECIDED, D(2026, 5, 1), cm, outcome=Outcome.UNFOUNDED)
    assert running(m) == [(ORDER_END, D(2026, 6, 30))]


def test_an_ended_measure_has_no_deadline_at_all(cm, tl):
    m = notified(
        new_measure(cm),
        cm,
        tl,
        on=D(2026, 4, 1),
        next_check_on=D(2026, 7, 1),
        begunstigingstermijn_days=90,
        duration_months=6,
    )
    assert running(m)
    record(m, Step.ENDED, D(2026, 4, 2), cm)
    assert running(m) == []
    ended = card(m, cm)
    assert ended.state.deadlines == [] and ended.next_deadline is None
    assert not ended.deadline_missed


# -- the computed dates in the case file --------------------------------------------------------


def test_the_case_file_shows_every_term_computed_so_far_running_or_not(cm, tl):
    m = new_measure(cm)
    record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm, zienswijze_days=14)
    assert [(d.label, d.term.ends_on) for d in card(m, cm).computed_dates] == [
        ("Zienswijzetermijn eindigt", D(2026, 1, 21))
    ]
    record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
    record(m, Step.DECISION, D(2026, 1, 9), tl, begunstigingstermijn_days=28, duration_months=6)
    record(m, Step.NOTIFIED, D(2026, 3, 24), cm)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    heard(m, cm, on=D(2026, 5, 13))
    record(m, Step.OBJECTION_DECIDED, D(2026, 5, 20), cm, outcome=Outcome.UNFOUNDED)
    # In date order; on 15 June those before it have passed, the beslistermijn not yet.
    shown = [(d.label, d.term.ends_on, d.passed) for d in card(m, cm).computed_dates]
    assert shown == [
        ("Zienswijzetermijn eindigt", D(2026, 1, 21), True),
        ("Begunstigingstermijn eindigt", D(2026, 4, 21), True),
        ("Bezwaartermijn eindigt", D(2026, 5, 6), True),
        ("Beslistermijn op bezwaar", D(2026, 6, 17), False),
        ("Looptijd maatregel eindigt", D(2026, 9, 24), False),
    ]
    (bezwaartermijn,) = [
        d.term for d in card(m, cm).computed_dates if d.label == "Bezwaartermijn eindigt"
    ]
    assert (bezwaartermijn.plain_on, bezwaartermijn.moved) == (D(2026, 5, 5), True)
    # A term is passed only from the day after its last day.
    beslistermijn = {d.label: d.passed for d in card(m, cm, D(2026, 6, 17)).computed_dates}
    assert beslistermijn["Beslistermijn op bezwaar"] is False
    beslistermijn = {d.label: d.passed for d in card(m, cm, D(2026, 6, 18)).computed_dates}
    assert beslistermijn["Beslistermijn op bezwaar"] is True
    # Once the beslissing op bezwaar is bekendgemaakt, the beroepstermijn is computed too:
    # six weeks from 22 May (art. 6:7 and 6:8 Awb).
    record(m, Step.NOTIFIED, D(2026, 5, 22), cm)
    shown = [(d.label, d.term.ends_on) for d in card(m, cm).computed_dates]
    assert ("Beroepstermijn eindigt", D(2026, 7, 3)) in shown


def test_a_besluit_without_bekendmaking_computes_no_term_from_it(cm, tl):
    m = new_measure(cm)
    record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm, zienswijze_days=14)
    record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
    record(m, Step.DECISION, D(2026, 1, 9), tl, begunstigingstermijn_days=28, duration_months=6)
    assert [d.label for d in card(m, cm).computed_dates] == ["Zienswijzetermijn eindigt"]
    assert running(m) == []


# -- dwangsommen verbeurd: the maximum of the besluit ------------------------------------------


def test_the_dwangsommen_verbeurd_add_up_to_the_maximum_and_no_further(cm, tl):
    m = new_measure(cm, kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY)
    record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 5), cm)
    record(m, Step.WEIGHING, D(2026, 1, 5), cm, note="Afweging vastgelegd")
    record(m, Step.WARNING_SENT, D(2026, 1, 6), cm)
    notified(
        m,
        cm,
        tl,
        on=D(2026, 1, 12),
        penalty_amount=Decimal("250"),
        penalty_maximum=Decimal("1000"),
    )
    record(m, Step.CHECK, D(2026, 3, 1), cm, outcome=Outcome.BREACHED)
    record(m, Step.PENALTY_INCURRED, D(2026, 3, 2), cm)  # the besluit's 250
    record(m, Step.PENALTY_INCURRED, D(2026, 3, 3), cm, amount=Decimal("500"))
    # An invorderingsbeschikking and a betaling collect what was verbeurd: neither counts
    # towards the maximum.
    record(m, Step.COLLECTION_ORDER, D(2026, 3, 4), tl, amount=Decimal("750"))
    record(m, Step.PAYMENT_RECEIVED, D(2026, 3, 4), cm, amount=Decimal("750"))
    assert card(m, cm).state.dwangsommen_verbeurd == Decimal("750")
    record(m, Step.PENALTY_INCURRED, D(2026, 3, 5), cm, amount=Decimal("250"))  # exactly 1000
    with pytest.raises(ValidationError) as excinfo:
        record(m, Step.PENALTY_INCURRED, D(2026, 3, 6), cm, amount=Decimal("0.01"))
    assert "amount" in excinfo.value.error_dict
    assert card(m, cm).state.dwangsommen_verbeurd == Decimal("1000")


# -- collection: the beschikking's bezwaartermijn and the verjaring ------------------------------


ORDER_NOTIFIED_ON = D(2026, 1, 12)


def collected(cm, tl, *, notified_on=ORDER_NOTIFIED_ON, bezwaar_on=None):
    """A dwangsom of 250 verbeurd on 2 March 2026, an invorderingsbeschikking of 4 March,
    bekendgemaakt on 5 March; the last onder dwangsom bekendgemaakt on `notified_on`, and a
    bezwaar against it received on `bezwaar_on` (None: none)."""
    m = new_measure(cm, kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY)
    record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 5), cm)
    record(m, Step.WARNING_SENT, D(2026, 1, 6), cm)
    notified(
        m, cm, tl, on=notified_on, penalty_amount=Decimal("250"), penalty_maximum=Decimal("1000")
    )
    record(m, Step.CHECK, D(2026, 3, 1), cm, outcome=Outcome.BREACHED)
    record(m, Step.PENALTY_INCURRED, D(2026, 3, 2), cm)
    if bezwaar_on is not None:
        record(m, Step.OBJECTION_RECEIVED, bezwaar_on, cm)
    record(m, Step.COLLECTION_ORDER, D(2026, 3, 4), tl, amount=Decimal("250"))
    record(m, Step.NOTIFIED, D(2026, 3, 5), cm)
    return m


def test_the_case_file_shows_the_beschikkings_bezwaartermijn_and_each_verjaring(cm, tl):
    state = card(collected(cm, tl), cm).state
    dates = dict(state.computed_dates())
    # Six weeks from the day after the bekendmaking of 5 March (art. 6:7, 6:8 Awb): Thursday
    # 16 April, no feestdag.
    term = dates["Bezwaartermijn invorderingsbeschikking eindigt"]
    assert (term.plain_on, term.ends_on) == (D(2026, 4, 16), D(2026, 4, 16))
    # One year from the forfeiture, a new year from the stuiting by the invorderingsbeschikking
    # of 4 March (art. 5:35 lid 1, 5:37a Awb); a term of more than twelve weeks: no Atw.
    verjaring = dates["Verjaring dwangsom verbeurd op 02-03-2026"]
    assert (verjaring.plain_on, verjaring.ends_on) == (D(2027, 3, 4), D(2027, 3, 4))
    assert verjaring.atw_applies is False
    assert all(isinstance(label, str) for label, _ in state.computed_dates())


def test_the_case_file_shows_the_kostenbeschikkings_betalingstermijn_and_its_verjaring(cm, tl):
    # The costs of bestuursdwang (art. 5:25 Awb) charged on 5 March 2026, bekendgemaakt on
    # 6 March: paid within six weeks (art. 4:87 lid 1, Atw): Friday 17 April; verjaard five
    # years after that (art. 4:104 lid 1, more than twelve weeks: no Atw): 17 April 2031.
    m = new_measure(cm, kind=MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT)
    record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 5), cm)
    record(m, Step.WARNING_SENT, D(2026, 1, 6), cm)
    notified(m, cm, tl, on=D(2026, 2, 3))
    record(m, Step.CHECK, D(2026, 3, 1), cm, outcome=Outcome.BREACHED)
    record(m, Step.ENFORCEMENT_APPLIED, D(2026, 3, 1), cm)
    record(m, Step.COST_ORDER, D(2026, 3, 5), tl, amount=Decimal("1200"))
    record(m, Step.NOTIFIED, D(2026, 3, 6), cm)
    dates = dict(card(m, cm).state.computed_dates())
    assert dates["Betalingstermijn kostenbeschikking van 05-03-2026 eindigt"] == Term(
        D(2026, 4, 17), D(2026, 4, 17), atw_applies=True
    )
    assert dates["Verjaring kosten kostenbeschikking van 05-03-2026"] == Term(
        D(2031, 4, 17), D(2031, 4, 17), atw_applies=False
    )
    # Unpaid, the costs' verjaring runs as the municipality's own deadline (red once missed).
    deadline = next(
        d for d in card(m, cm).state.deadlines if d.kind == DeadlineKind.COST_PRESCRIPTION
    )
    assert deadline.due_on == D(2031, 4, 17) and deadline.is_decision
    assert deadline.label == "Verjaring kosten bestuursdwang (laatste dag invordering)"


def test_collecting_runs_the_beschikkings_bezwaartermijn_and_the_verjaring_while_owed(cm, tl):
    m = collected(cm, tl)
    deadlines = card(m, cm).state.deadlines
    found = {(d.kind, d.due_on) for d in deadlines}
    assert (DeadlineKind.COLLECTION_OBJECTION, D(2026, 4, 16)) in found
    assert (DeadlineKind.PRESCRIPTION, D(2027, 3, 4)) in found
    by_kind = {d.kind: d for d in deadlines}
    # The verjaring is the municipality's own deadline; the bezwaartermijn just lapses.
    verjaring = by_kind[DeadlineKind.PRESCRIPTION]
    assert verjaring.is_decision and not verjaring.lapses
    assert verjaring.label == "Verjaring dwangsom (laatste dag invordering)"
    objection = by_kind[DeadlineKind.COLLECTION_OBJECTION]
    assert objection.lapses and not objection.is_decision
    # Paid in full: nothing is owed, so the verjaring no longer runs.
    record(m, Step.PAYMENT_RECEIVED, D(2026, 3, 20), cm, amount=Decimal("250"))
    kinds = {d.kind for d in card(m, cm).state.deadlines}
    assert DeadlineKind.PRESCRIPTION not in kinds
    assert DeadlineKind.COLLECTION_OBJECTION in kinds


def test_after_the_end_only_collecting_runs_earliest_first(cm, tl):
    """Once the maatregel has ended (beëindigd) its own terms no longer run, but collecting
    what was verbeurd goes on: the beschikking's bezwaartermijn and the verjaring, in date
    order like every list of deadlines."""
    m = collected(cm, tl)
    record(m, Step.ENDED, D(2026, 3, 10), cm)
    assert [(d.kind, d.due_on) for d in card(m, cm).state.deadlines] == [
        (DeadlineKind.COLLECTION_OBJECTION, D(2026, 4, 16)),
        (DeadlineKind.PRESCRIPTION, D(2027, 3, 4)),
    ]


@pytest.mark.parametrize(
    ("today", "due_on"),
    [(D(2026, 5, 6), D(2026, 5, 6)), (D(2026, 5, 7), D(2026, 7, 1))],
    ids=["last day", "day after"],
)
def test_the_states_next_deadline_passes_over_a_lapsed_one_from_the_day_after(
    cm, tl, today, due_on
):
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24), next_check_on=D(2026, 7, 1))
    assert card(m, cm, today).state.next_deadline(today).due_on == due_on


def test_a_suspension_for_herstel_adds_its_days_to_the_beslistermijn(cm, tl):
    """Art. 7:10 lid 2 Awb: opgeschort from the day after the request to herstel until the day
    it was hersteld: 13 to 20 April adds seven days to 17 June, a Wednesday."""
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    assert running(m) == [(DECISION, D(2026, 6, 17))]
    record(m, Step.DECISION_SUSPENDED, D(2026, 4, 13), cm, until_on=D(2026, 4, 20))
    assert running(m) == [(DECISION, D(2026, 6, 24))]


def test_a_suspension_that_ends_the_beslistermijn_on_a_saturday_moves_it_to_monday(cm, tl):
    """Art. 7:10 lid 2 Awb with art. 1 Atw: the beslistermijn (six weeks) extended by the
    opschorting is still a statutory term of at most twelve weeks: 13 to 16 April adds three
    days to Wednesday 17 June, Saturday 20 June, so it ends Monday 22 June; the case file
    says it would have ended on the Saturday."""
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    record(m, Step.DECISION_SUSPENDED, D(2026, 4, 13), cm, until_on=D(2026, 4, 16))
    assert card(m, cm).state.beslistermijn == Term(D(2026, 6, 20), D(2026, 6, 22), True)
    assert running(m) == [(DECISION, D(2026, 6, 22))]


def test_a_suspension_of_a_beslistermijn_beyond_twelve_weeks_is_not_moved(cm, tl):
    """Art. 4 lid 1 Atw: not for terms of more than twelve weeks. With an adviescommissie and
    verdaagd (eighteen weeks, 9 September) three days of opschorting end it Saturday 12
    September, and there it stays."""
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm, advisory_committee=True)
    record(m, Step.OBJECTION_ADJOURNED, D(2026, 5, 20), cm)
    record(m, Step.DECISION_SUSPENDED, D(2026, 5, 21), cm, until_on=D(2026, 5, 24))
    assert card(m, cm).state.beslistermijn.ends_on == D(2026, 9, 12)
    assert running(m) == [(DECISION, D(2026, 9, 12))]


def test_a_further_uitstel_makes_the_agreed_day_the_beslistermijn_the_last_one_counts(cm, tl):
    """Art. 7:10 lid 4 Awb: the beslissing may be uitgesteld further (all agree, or the
    bezwaarmaker agrees): the beslistermijn is then the agreed day, as it is (not a term the
    Atw moves); each later uitstel replaces the one before."""
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    agreed = Outcome.POSTPONED_ALL_AGREE
    record(m, Step.DECISION_POSTPONED, D(2026, 5, 1), cm, outcome=agreed, until_on=D(2026, 7, 15))
    assert running(m) == [(DECISION, D(2026, 7, 15))]
    record(m, Step.DECISION_POSTPONED, D(2026, 5, 15), cm, outcome=agreed, until_on=D(2026, 8, 3))
    record(m, Step.DECISION_POSTPONED, D(2026, 6, 1), cm, outcome=agreed, until_on=D(2026, 8, 20))
    assert card(m, cm).state.beslistermijn == Term(D(2026, 8, 20), D(2026, 8, 20), False)
    assert running(m) == [(DECISION, D(2026, 8, 20))]


def test_a_handhavingsverzoek_runs_its_beslistermijn_on_termijnen_until_decided(cm, tl):
    """Art. 4:13 Awb: a handhavingsverzoek (an aanvraag) is decided within eight weeks of
    receipt, a statutory term the Atw moves: received Monday 2 March 2026, the last day is
    Koningsdag, so Tuesday 28 April. Termijnen shows it until the besluit is recorded."""
    m = new_measure(cm, kind=MeasureKind.ENFORCEMENT_REQUEST)
    record(m, Step.REQUEST_RECEIVED, D(2026, 3, 2), cm)
    assert running(m) == [(DeadlineKind.REQUEST_DECISION, D(2026, 4, 28))]
    record(m, Step.REQUEST_DECIDED, D(2026, 4, 20), tl, outcome=Outcome.REQUEST_GRANTED)
    assert running(m) == []


def test_the_beslissing_op_bezwaar_bekendgemaakt_runs_the_beroepstermijn_until_beroep(cm, tl):
    """Art. 6:7 and 6:8 Awb: beroep within six weeks from the day after the beslissing op
    bezwaar was bekendgemaakt (Friday 22 May: Friday 3 July); it runs until beroep is filed."""
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    heard(m, cm, on=D(2026, 5, 13))
    record(m, Step.OBJECTION_DECIDED, D(2026, 5, 20), cm, outcome=Outcome.UNFOUNDED)
    assert running(m) == []  # not before its bekendmaking
    record(m, Step.NOTIFIED, D(2026, 5, 22), cm)
    assert running(m) == [(DeadlineKind.APPEAL_TERM, D(2026, 7, 3))]
    record(m, Step.APPEAL_FILED, D(2026, 6, 1), cm)
    assert running(m) == []


def test_rechtstreeks_beroep_ends_the_beslistermijn(cm, tl):
    """Art. 7:1a Awb: with the bezwaar sent on as rechtstreeks beroep there is no beslissing
    op bezwaar to take: the beslistermijn no longer runs."""
    m = notified(new_measure(cm), cm, tl, on=D(2026, 3, 24))
    record(m, Step.OBJECTION_RECEIVED, D(2026, 4, 10), cm)
    record(m, Step.DIRECT_APPEAL, D(2026, 4, 20), tl)
    assert running(m) == []


def test_a_besluit_extending_the_begunstigingstermijn_sets_its_new_last_day(cm, tl):
    """Art. 5:32a lid 2 Awb read with 4:81: once a besluit extends the begunstigingstermijn,
    its new last day (as the besluit sets it, not moved by the Atw) is the term."""
    m = notified(new_measure(cm), cm, tl, on=D(2026, 4, 1), begunstigingstermijn_days=28)
    record(m, Step.TERM_EXTENDED, D(2026, 4, 20), tl, until_on=D(2026, 5, 29))
    assert card(m, cm).state.begunstigingstermijn == Term(D(2026, 5, 29), D(2026, 5, 29), False)
    assert (COMPLIANCE, D(2026, 5, 29)) in running(m)


def test_a_bezwaar_against_the_invorderingsbeschikking_ends_its_bezwaartermijn(cm, tl):
    m = collected(cm, tl)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 20), cm)
    kinds = {d.kind for d in card(m, cm).state.deadlines}
    assert DeadlineKind.COLLECTION_OBJECTION not in kinds


def test_a_bezwaar_made_before_the_invorderingsbeschikking_leaves_its_bezwaartermijn_running(
    cm, tl
):
    # Only a bezwaar against the beschikking itself ends its bezwaartermijn: one against the
    # last onder dwangsom (bekendgemaakt 10 February, made within its term) the day before the
    # beschikking is not.
    m = collected(cm, tl, notified_on=D(2026, 2, 10), bezwaar_on=D(2026, 3, 3))
    found = {(d.kind, d.due_on) for d in card(m, cm).state.deadlines}
    assert (DeadlineKind.COLLECTION_OBJECTION, D(2026, 4, 16)) in found
    # That bezwaar decided, one against the beschikking ends it.
    heard(m, cm, on=D(2026, 3, 10))
    record(m, Step.OBJECTION_DECIDED, D(2026, 3, 12), tl, outcome=Outcome.UNFOUNDED)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 20), cm)
    kinds = {d.kind for d in card(m, cm).state.deadlines}
    assert DeadlineKind.COLLECTION_OBJECTION not in kinds


def test_a_verbod_om_aanwezig_te_zijn_runs_ten_days_from_its_bekendmaking(cm, tl):
    """Art. 151d lid 3 Gemeentewet: the verbod lasts ten days from its bekendmaking, by law
    (a period, not a term for an act: no Atw); Termijnen shows its end."""
    m = notified(new_measure(cm, kind=MeasureKind.PRESENCE_BAN), cm, tl, on=D(2026, 3, 24))
    assert (ORDER_END, D(2026, 4, 3)) in running(m)
