"""Which maatregelen run for the archive (archiving.running.running_measures, the condition
that keeps a case off every vernietigingslijst): a maatregel runs until it has ended for good
(measures.selection.measure_end_date). One without a last step runs; one whose last step is
recorded still runs while a verbeurde dwangsom can be collected (until its verjaring, art.
5:35 Awb: the last day included) or a bezwaar against the besluit is open (art. 6:8 Awb); one
withdrawn before its bekendmaking with nothing to collect has ended. Read in a fixed number of
queries, however many maatregelen have ended."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from tests.factories import CaseFactory, measure
from tests.measures_helpers import ordered, record
from woonoverlast.archiving.running import running_measures
from woonoverlast.cases.choices import PartyRole
from woonoverlast.cases.services import party_add
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.services import measure_addressee_add

pytestmark = pytest.mark.django_db

D = datetime.date
NOTIFIED_ON = D(2026, 2, 3)
FORFEITED_ON = D(2026, 3, 10)
# A dwangsom verbeurd on 10 March 2026 verjaart one year later (art. 5:35 lid 1 Awb).
VERJAARD_AFTER = D(2027, 3, 10)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12, 0)), tick=False)


def withdrawn(tl):
    """A besluit withdrawn before its bekendmaking: nothing to collect, no term running."""
    m = measure(CaseFactory(registered_on=D(2026, 1, 5)), by=tl, kind=MeasureKind.CLOSURE)
    record(m, Step.WEIGHING, D(2026, 1, 5), tl, note="Afweging")
    record(m, Step.DECISION, D(2026, 1, 6), tl, skip_reason="Spoed", duration_months=3)
    record(m, Step.WITHDRAWN, D(2026, 1, 7), tl)
    return m


def unpaid(cm, tl):
    """Afgelopen with a dwangsom verbeurd and never paid."""
    m = ordered(cm, tl, notified_on=NOTIFIED_ON)
    record(m, Step.CHECK, FORFEITED_ON, cm, outcome=Outcome.BREACHED)
    record(m, Step.PENALTY_INCURRED, FORFEITED_ON, cm)
    record(m, Step.EXPIRED, D(2026, 4, 1), cm)
    return m


def in_bezwaar(cm, tl):
    """Beëindigd while the bezwaar against its besluit is undecided."""
    m = ordered(cm, tl, notified_on=NOTIFIED_ON)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 2, 10), cm)
    record(m, Step.ENDED, D(2026, 2, 20), tl)
    return m


@pytest.fixture
def maatregelen(cm, tl):
    with at(D(2026, 4, 2)):
        return {
            "running": ordered(cm, tl, notified_on=NOTIFIED_ON),
            "withdrawn": withdrawn(tl),
            "unpaid": unpaid(cm, tl),
            "in_bezwaar": in_bezwaar(cm, tl),
        }


def running_names(maatregelen) -> set[str]:
    pks = set(running_measures().values_list("pk", flat=True))
    return {name for name, m in maatregelen.items() if m.pk in pks}


def test_a_maatregel_runs_until_it_has_ended_for_good(maatregelen):
    assert maatregelen["unpaid"].ended_on is not None  # its own last step is recorded
    assert maatregelen["in_bezwaar"].ended_on is not None
    with at(D(2026, 4, 2)):
        assert running_names(maatregelen) == {"running", "unpaid", "in_bezwaar"}


def test_an_unpaid_dwangsom_keeps_it_running_up_to_its_verjaring_included(maatregelen):
    with at(VERJAARD_AFTER):
        assert running_names(maatregelen) == {"running", "unpaid", "in_bezwaar"}
    with at(VERJAARD_AFTER + datetime.timedelta(days=1)):
        assert running_names(maatregelen) == {"running", "in_bezwaar"}


def test_a_paid_dwangsom_no_longer_keeps_it_running(maatregelen, cm, tl):
    m = maatregelen["unpaid"]
    with at(D(2026, 6, 1)):
        record(m, Step.COLLECTION_ORDER, D(2026, 5, 1), tl, amount=Decimal("250"))
        record(m, Step.NOTIFIED, D(2026, 5, 4), cm)
        # The invorderingsbeschikking's bezwaartermijn (six weeks from 4 May) still runs.
        record(m, Step.PAYMENT_RECEIVED, D(2026, 6, 1), cm, amount=Decimal("250"))
    with at(D(2026, 12, 1)):
        assert running_names(maatregelen) == {"running", "in_bezwaar"}


def test_only_maatregelen_are_returned_that_run(maatregelen):
    with at(D(2026, 4, 2)):
        assert running_measures().count() == 3


def test_read_in_the_same_number_of_queries_for_one_ended_maatregel_or_many(
    cm, tl, django_assert_num_queries
):
    with at(D(2026, 4, 2)):
        withdrawn(tl)
        with django_assert_num_queries(4):
            list(running_measures())
        withdrawn(tl)
        unpaid(cm, tl)
        in_bezwaar(cm, tl)
        with django_assert_num_queries(4):
            list(running_measures())


def with_verhuurder(cm, tl, *, made_known_to_him):
    """Ended 1 March 2026; the besluit is addressed to the veroorzaker (made known 3 February,
    his term ends 17 March) and the verhuurder (made known 10 February: to 24 March)."""
    m = measure(CaseFactory(registered_on=D(2026, 1, 5)), by=cm)
    landlord = party_add(m.case, role=PartyRole.LANDLORD, name="Verhuur B.V.", by=None)
    record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 5), cm)
    record(m, Step.WEIGHING, D(2026, 1, 5), cm, note="Afweging vastgelegd")
    record(m, Step.WARNING_SENT, D(2026, 1, 6), cm)
    record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
    record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
    addressee = measure_addressee_add(measure=m, party=landlord, on=D(2026, 1, 8), by=cm)
    penalty = {"penalty_amount": Decimal("250"), "penalty_maximum": Decimal("2500")}
    record(m, Step.DECISION, D(2026, 1, 9), tl, begunstigingstermijn_days=14, **penalty)
    record(m, Step.NOTIFIED, NOTIFIED_ON, cm)
    if made_known_to_him:
        record(m, Step.NOTIFIED, D(2026, 2, 10), cm, addressee=addressee)
    record(m, Step.ENDED, D(2026, 3, 1), cm)
    return m


def test_it_runs_until_the_last_addressees_bezwaartermijn_has_passed(cm, tl):
    # Art. 6:8 Awb: each addressee's own six weeks from his own bekendmaking.
    with at(D(2026, 3, 1)):
        m = with_verhuurder(cm, tl, made_known_to_him=True)
    with at(D(2026, 3, 24)):
        assert m.pk in set(running_measures().values_list("pk", flat=True))
    with at(D(2026, 3, 25)):
        assert m.pk not in set(running_measures().values_list("pk", flat=True))


def test_it_runs_while_the_besluit_was_not_made_known_to_every_addressee(cm, tl):
    # The verhuurder's term has not even started: the besluit can still be challenged.
    with at(D(2026, 3, 1)):
        m = with_verhuurder(cm, tl, made_known_to_him=False)
    with at(D(2027, 1, 4)):
        assert m.pk in set(running_measures().values_list("pk", flat=True))
