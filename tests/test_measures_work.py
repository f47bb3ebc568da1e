"""What termijnbewaking shows of a maatregel in its enforcement phase (measures/work.py):
Termijnen, Mijn casussen, the digest and the case file.

A passed begunstigingstermijn is not "te laat": its last day is the person's (art. 5:32a lid 2
and 5:24 lid 2 Awb), and from the next day the team's task is a controle. After a controle
that found a breach the dwangsom verbeurd is recorded (art. 5:33); when it is not paid within
the six weeks of art. 5:33 an invorderingsbeschikking follows (5:37) before the verjaring
(5:35); after its bekendmaking an aanmaning (4:112), and two weeks after that a dwangbevel
(4:114). Each is a task from its first day on, never overdue.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.factories import CaseFactory, measure
from tests.measures_helpers import ordered, record, state_of
from woonoverlast.cases.models import Case
from woonoverlast.followups.digest import personal_digest, team_digest
from woonoverlast.followups.selection import Urgency, due_for_team, due_for_user, team_rows
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.rules import DeadlineKind
from woonoverlast.measures.work import TaskKind, enforcement_tasks, watched_deadlines

pytestmark = pytest.mark.django_db

D = datetime.date
NOTIFIED_ON = D(2026, 3, 24)
TERM_ENDS = D(2026, 4, 7)  # 14 days from the day after 24 March
FIRST_CHECK_DAY = D(2026, 4, 8)


@contextmanager
def on(day: datetime.date):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False):
        yield


@pytest.fixture
def last(cm, tl):
    """A last onder dwangsom of € 250 (at most € 2.500), 14 days to comply, on a case of
    `cm`."""
    with on(NOTIFIED_ON):
        m = ordered(cm, tl, notified_on=NOTIFIED_ON, begunstigingstermijn_days=14)
    Case.objects.filter(pk=m.case_id).update(casemanager=cm)
    return m


def tasks(m, today):
    return [(task.kind, task.due_on) for task in enforcement_tasks(state_of(m), today)]


def deadline_kinds(m, today):
    return {deadline.kind for deadline in watched_deadlines(state_of(m), today)}


def forfeited(m, cm, day=FIRST_CHECK_DAY):
    with on(day):
        record(m, Step.CHECK, day, cm, outcome=Outcome.BREACHED)
        record(m, Step.PENALTY_INCURRED, day, cm)


# -- the rules ------------------------------------------------------------------------------


class TestControleUitvoeren:
    @pytest.mark.parametrize(
        ("today", "task", "term_listed"),
        [
            (D(2026, 4, 6), False, True),
            (TERM_ENDS, False, True),  # the person's last day
            (FIRST_CHECK_DAY, True, False),  # the day after: the team's controle
            (D(2026, 6, 1), True, False),  # weeks later: still a task, not overdue
        ],
        ids=["before", "last day of the term", "day after", "weeks later"],
    )
    def test_a_passed_begunstigingstermijn_becomes_the_controle(
        self, last, today, task, term_listed
    ):
        assert tasks(last, today) == ([(TaskKind.CHECK, FIRST_CHECK_DAY)] if task else [])
        assert (DeadlineKind.COMPLIANCE in deadline_kinds(last, today)) == term_listed

    def test_the_task_says_when_the_term_ended(self, last):
        (task,) = enforcement_tasks(state_of(last), FIRST_CHECK_DAY)
        assert task.label == "Controle uitvoeren"
        assert task.detail == "de begunstigingstermijn eindigde op 07-04-2026"
        assert task.step == Step.CHECK and not task.needs_team_leader

    def test_a_controle_after_the_term_does_it(self, last, cm):
        with on(D(2026, 4, 9)):
            record(last, Step.CHECK, D(2026, 4, 9), cm, outcome=Outcome.COMPLIED)
        assert tasks(last, D(2026, 4, 20)) == []

    def test_a_controle_on_the_terms_last_day_does_not(self, last, cm):
        with on(TERM_ENDS):
            record(last, Step.CHECK, TERM_ENDS, cm, outcome=Outcome.COMPLIED)
        assert tasks(last, D(2026, 4, 20)) == [(TaskKind.CHECK, FIRST_CHECK_DAY)]

    def test_none_after_a_gegrond_bezwaar(self, last, cm):
        with on(D(2026, 4, 3)):
            record(last, Step.OBJECTION_RECEIVED, D(2026, 4, 1), cm)
            record(last, Step.HEARING, D(2026, 4, 2), cm, outcome=Outcome.HEARD)
            record(last, Step.OBJECTION_DECIDED, D(2026, 4, 3), cm, outcome=Outcome.WELL_FOUNDED)
        assert tasks(last, D(2026, 4, 20)) == []
        # Nor is the passed term listed as missed.
        assert DeadlineKind.COMPLIANCE not in deadline_kinds(last, D(2026, 4, 20))

    def test_none_once_the_measure_ended(self, last, cm):
        with on(D(2026, 4, 3)):
            record(last, Step.ENDED, D(2026, 4, 3), cm)
        assert tasks(last, D(2026, 4, 20)) == []

    def test_a_planned_controle_is_the_task_itself(self, last, cm):
        # A controle in the term that plans the next one on 22 April: that one is listed
        # (Controle gepland), not a second task.
        with on(D(2026, 4, 2)):
            record(
                last,
                Step.CHECK,
                D(2026, 4, 2),
                cm,
                outcome=Outcome.COMPLIED,
                next_check_on=D(2026, 4, 22),
            )
        assert tasks(last, D(2026, 4, 20)) == []
        assert DeadlineKind.CHECK in deadline_kinds(last, D(2026, 4, 20))


class TestBesluitNemen:
    """The zienswijze term is the person's (art. 4:8 Awb): passed without a zienswijze, the
    team's task is the besluit, not a missed term."""

    @pytest.fixture
    def intention(self, cm):
        m = measure(CaseFactory(registered_on=D(2026, 1, 5)), by=cm)
        with on(D(2026, 1, 7)):
            record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 5), cm)
            record(m, Step.WEIGHING, D(2026, 1, 5), cm, note="Afweging vastgelegd")
            record(m, Step.WARNING_SENT, D(2026, 1, 6), cm)
            record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm, zienswijze_days=14)
        return m  # the term's last day: 21 January

    @pytest.mark.parametrize(
        ("today", "task"), [(D(2026, 1, 21), False), (D(2026, 1, 22), True)], ids=["last", "after"]
    )
    def test_from_the_day_after_the_term(self, intention, today, task):
        assert tasks(intention, today) == ([(TaskKind.DECISION, D(2026, 1, 22))] if task else [])
        assert (DeadlineKind.VIEW in deadline_kinds(intention, today)) != task
        if task:
            (found,) = enforcement_tasks(state_of(intention), today)
            assert found.detail == "de zienswijzetermijn eindigde op 21-01-2026 zonder zienswijze"
            assert found.needs_team_leader

    def test_not_after_a_zienswijze(self, intention, cm):
        with on(D(2026, 1, 20)):
            record(intention, Step.VIEW_RECEIVED, D(2026, 1, 20), cm)
        assert tasks(intention, D(2026, 2, 1)) == []


class TestForfeitureAndCollection:
    def test_a_breach_asks_for_the_dwangsom_verbeurd(self, last, cm):
        with on(FIRST_CHECK_DAY):
            record(last, Step.CHECK, FIRST_CHECK_DAY, cm, outcome=Outcome.BREACHED)
        assert tasks(last, FIRST_CHECK_DAY) == [(TaskKind.PENALTY, FIRST_CHECK_DAY)]
        with on(FIRST_CHECK_DAY):
            record(last, Step.PENALTY_INCURRED, FIRST_CHECK_DAY, cm)
        assert tasks(last, FIRST_CHECK_DAY) == []

    def test_a_breach_of_a_last_onder_bestuursdwang_asks_to_apply_it(self, cm, tl):
        kind = MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT
        with on(FIRST_CHECK_DAY):
            m = ordered(cm, tl, notified_on=NOTIFIED_ON, kind=kind, begunstigingstermijn_days=14)
            record(m, Step.CHECK, FIRST_CHECK_DAY, cm, outcome=Outcome.BREACHED)
        assert tasks(m, FIRST_CHECK_DAY) == [(TaskKind.ENFORCE, FIRST_CHECK_DAY)]

    def test_no_dwangsom_beyond_the_maximum(self, cm, tl):
        with on(FIRST_CHECK_DAY):
            m = ordered(
                cm,
                tl,
                notified_on=NOTIFIED_ON,
                begunstigingstermijn_days=14,
                penalty_maximum=Decimal("250"),
            )
        forfeited(m, cm)
        with on(D(2026, 4, 9)):
            record(m, Step.CHECK, D(2026, 4, 9), cm, outcome=Outcome.BREACHED)
        assert TaskKind.PENALTY not in dict(tasks(m, D(2026, 4, 9)))

    @pytest.mark.parametrize(
        ("today", "due"),
        [(D(2026, 5, 20), False), (D(2026, 5, 21), True)],
        ids=["last day to pay (5:33)", "day after"],
    )
    def test_unpaid_after_six_weeks_asks_for_the_invorderingsbeschikking(
        self, last, cm, today, due
    ):
        forfeited(last, cm)
        found = tasks(last, today)
        assert found == ([(TaskKind.COLLECTION_ORDER, D(2026, 5, 21))] if due else [])

    def test_the_invordering_task_names_the_amount_and_the_verjaring(self, last, cm):
        forfeited(last, cm)
        (task,) = enforcement_tasks(state_of(last), D(2026, 6, 1))
        assert task.detail == (
            "€ 250,00 verbeurd en niet betaald binnen zes weken na 08-04-2026 (art. 5:33 en "
            "5:37 Awb); uiterlijk 08-04-2027 invorderen, daarna verjaard (art. 5:35 Awb)"
        )
        assert task.needs_team_leader

    def test_paid_in_time_nothing_to_collect(self, last, cm):
        forfeited(last, cm)
        with on(D(2026, 5, 1)):
            record(last, Step.PAYMENT_RECEIVED, D(2026, 5, 1), cm, amount=Decimal("250"))
        assert tasks(last, D(2026, 6, 1)) == []

    def test_beschikking_then_aanmaning_then_dwangbevel(self, last, cm, tl):
        forfeited(last, cm)
        with on(D(2026, 5, 22)):
            record(last, Step.COLLECTION_ORDER, D(2026, 5, 21), tl, amount=Decimal("250"))
        # Not yet bekendgemaakt: no aanmaning (art. 3:40 Awb), and nothing left to claim.
        assert tasks(last, D(2026, 5, 22)) == []
        with on(D(2026, 5, 22)):
            record(last, Step.NOTIFIED, D(2026, 5, 22), cm)
        assert tasks(last, D(2026, 5, 23)) == [(TaskKind.REMINDER, D(2026, 5, 23))]
        with on(D(2026, 5, 25)):
            record(last, Step.REMINDER, D(2026, 5, 25), cm)
        # Two weeks from the day after the aanmaning: the last day to pay is 8 June.
        assert tasks(last, D(2026, 6, 8)) == []
        assert tasks(last, D(2026, 6, 9)) == [(TaskKind.WRIT, D(2026, 6, 9))]
        with on(D(2026, 6, 9)):
            record(last, Step.WRIT, D(2026, 6, 9), cm)
        assert tasks(last, D(2026, 6, 10)) == []

    def test_nothing_to_do_once_verjaard_but_the_verjaring_is_missed(self, last, cm):
        forfeited(last, cm)
        assert tasks(last, D(2027, 4, 8))
        assert tasks(last, D(2027, 4, 9)) == []
        assert DeadlineKind.PRESCRIPTION in deadline_kinds(last, D(2027, 4, 9))


# -- the screens ----------------------------------------------------------------------------


def measure_items(due):
    return [item for item in due.items if item.measure_id]


class TestTermijnbewaking:
    def test_on_the_terms_last_day_it_is_due_today_as_a_term(self, last, cm):
        due = due_for_user(cm, today=TERM_ENDS)
        (item,) = [i for i in measure_items(due) if "begunstigingstermijn" in i.kind]
        assert item.urgency == Urgency.TODAY and item.kind_label == "Begunstigingstermijn eindigt"

    @pytest.mark.parametrize("today", [FIRST_CHECK_DAY, D(2026, 5, 20)])
    def test_after_it_the_controle_is_to_do_today_never_te_laat(self, last, cm, today):
        due = due_for_user(cm, today=today)
        (item,) = [i for i in measure_items(due) if i.urgency != Urgency.THIS_WEEK]
        assert item.kind_label == "Controle uitvoeren"
        assert item.urgency == Urgency.TODAY and not item.is_overdue
        assert item.due_on == FIRST_CHECK_DAY
        assert item.record_url == reverse(
            "measures:step", kwargs={"pk": last.pk, "step": Step.CHECK}
        )
        assert due.counts["overdue"] == 0

    def test_the_termijnen_page(self, client, last, cm):
        client.force_login(cm)
        with on(D(2026, 4, 20)):
            html = client.get(reverse("followups:due")).content.decode()
        assert "Controle uitvoeren" in html
        assert "de begunstigingstermijn eindigde op 07-04-2026" in html
        assert reverse("measures:step", kwargs={"pk": last.pk, "step": "controle"}) in html
        assert "Begunstigingstermijn eindigt" not in html
        assert "badge--overdue" not in html

    def test_mijn_casussen_lists_it_under_vandaag_te_doen(self, client, last, cm):
        client.force_login(cm)
        with on(D(2026, 4, 20)):
            response = client.get(reverse("cases:mine"))
        today = response.context["due_today"]
        assert [item.kind_label for item in measure_items(today)] == ["Controle uitvoeren"]
        assert "badge--overdue" not in response.content.decode()

    def test_the_team_leaders_page_counts_it_as_today(self, client, last, cm, tl):
        row = next(r for r in team_rows(due_for_team(today=D(2026, 4, 20))) if r.casemanager_id)
        assert (row.overdue, row.today) == (0, 1)
        client.force_login(tl)
        with on(D(2026, 4, 20)):
            html = client.get(reverse("followups:due")).content.decode()
        assert "Controle uitvoeren" in html and "badge--overdue" not in html

    def test_the_digest(self, last, cm):
        content = personal_digest(due_for_user(cm, today=D(2026, 4, 20)))
        assert "Vandaag (1)" in content["body"] and "Te laat" not in content["body"]
        assert (
            f"{last.case.reference}: Gedragsaanwijzing (last onder dwangsom): controle "
            "uitvoeren; de begunstigingstermijn eindigde op 07-04-2026" in content["body"]
        )
        assert content["title"].endswith("1 vandaag")
        team = team_digest(due_for_team(today=D(2026, 4, 20)))
        assert "Te laat (" not in team["body"]

    def test_the_case_file_links_the_task(self, client, last, cm):
        client.force_login(cm)
        with on(D(2026, 4, 20)):
            html = client.get(last.case.get_absolute_url()).content.decode()
        link = reverse("measures:step", kwargs={"pk": last.pk, "step": "controle"})
        assert f'<a href="{link}">Controle uitvoeren</a>' in html
        assert "(de begunstigingstermijn eindigde op 07-04-2026)" in html

    def test_invordering_names_its_verjaring_and_who_records_it(self, client, last, cm, tl):
        forfeited(last, cm)
        client.force_login(cm)
        with on(D(2026, 6, 1)):
            html = client.get(reverse("followups:due")).content.decode()
        assert "Invorderingsbeschikking nemen" in html
        assert "uiterlijk 08-04-2027 invorderen, daarna verjaard (art. 5:35 Awb)" in html
        step_url = reverse("measures:step", kwargs={"pk": last.pk, "step": Step.COLLECTION_ORDER})
        assert step_url not in html and "door een teamleider" in html
        client.force_login(tl)
        with on(D(2026, 6, 1)):
            html = client.get(reverse("followups:due")).content.decode()
        assert step_url in html
