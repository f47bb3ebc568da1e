"""Termijnbewaking: what is due, at the boundaries of days, weeks and periods (time frozen)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import CaseFactory, action, casemanager, measure
from woonoverlast.cases import services
from woonoverlast.cases.choices import ActionType, ClosingReason
from woonoverlast.cases.models import Case
from woonoverlast.followups.models import FollowUpSettings
from woonoverlast.followups.selection import (
    Kind,
    Period,
    Urgency,
    due_for_case,
    due_for_team,
    due_for_user,
    team_rows,
)
from woonoverlast.measures.choices import MeasureKind, Step
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db

D = datetime.date
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=12, minute=0, second=0):
    """A frozen instant, in Amsterdam time (tick=False: the clock stands still)."""
    moment = datetime.datetime(year, month, day, hour, minute, second, tzinfo=AMSTERDAM)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def config():
    """The defaults, with nazorg watched for every closed case."""
    row, _ = FollowUpSettings.objects.update_or_create(
        pk=1,
        defaults={"stalled_after_days": 30, "aftercare_after_weeks": 6, "aftercare_since": None},
    )
    return row


@pytest.fixture
def worker():
    return casemanager()


def summary(due):
    return [(item.kind, item.urgency, item.due_on, item.reference) for item in due]


def follow_up_case(worker, *, follow_up_on):
    """An open case with a recent action (10 June, not stalled) and a follow-up date."""
    with at(2024, 6, 10):
        kase = CaseFactory(registered_on=D(2024, 6, 1), casemanager=worker)
        entry = action(kase, performed_on=D(2024, 6, 10), follow_up_on=follow_up_on)
    return kase, entry


class TestPeriod:
    @pytest.mark.parametrize(
        ("today", "week_end"),
        [
            (D(2024, 6, 17), D(2024, 6, 23)),  # Monday: up to Sunday
            (D(2024, 6, 22), D(2024, 6, 23)),  # Saturday
            (D(2024, 6, 23), D(2024, 6, 23)),  # Sunday: the week ends today
            (D(2024, 12, 30), D(2025, 1, 5)),  # ISO week 1 of 2025 starts in 2024
        ],
    )
    def test_the_week_ends_on_sunday(self, today, week_end):
        assert Period.of(today).week_end == week_end

    def test_today_is_the_date_in_amsterdam(self):
        # 22:30 UTC on Sunday 16 June is 00:30 on Monday in Amsterdam (summer time).
        moment = datetime.datetime(2024, 6, 16, 22, 30, tzinfo=datetime.UTC)
        with time_machine.travel(moment, tick=False):
            assert Period.of().today == D(2024, 6, 17)


class TestFollowUpsAroundMidnight:
    def test_a_follow_up_becomes_due_at_midnight_amsterdam_time(self, config, worker):
        kase, _ = follow_up_case(worker, follow_up_on=D(2024, 6, 17))  # a Monday
        # Sunday 23:59:59: the week ends today, Monday's follow-up is not this week's.
        with at(2024, 6, 16, 23, 59, 59):
            assert summary(due_for_user(worker)) == []
        with at(2024, 6, 17, 0, 0, 0):
            assert summary(due_for_user(worker)) == [
                (Kind.FOLLOW_UP, Urgency.TODAY, D(2024, 6, 17), kase.reference)
            ]
        with at(2024, 6, 17, 23, 59, 59):
            assert due_for_user(worker).items[0].urgency == Urgency.TODAY
        with at(2024, 6, 18, 0, 0, 1):
            assert due_for_user(worker).items[0].urgency == Urgency.OVERDUE

    def test_utc_midnight_is_not_the_boundary(self, config, worker):
        follow_up_case(worker, follow_up_on=D(2024, 6, 18))
        # 23:30 UTC on the 17th is already the 18th in Amsterdam: due today.
        moment = datetime.datetime(2024, 6, 17, 23, 30, tzinfo=datetime.UTC)
        with time_machine.travel(moment, tick=False):
            assert due_for_user(worker).items[0].urgency == Urgency.TODAY
        # 21:59 UTC on the 17th is 23:59 in Amsterdam: still the 17th, due this week.
        moment = datetime.datetime(2024, 6, 17, 21, 59, tzinfo=datetime.UTC)
        with time_machine.travel(moment, tick=False):
            assert due_for_user(worker).items[0].urgency == Urgency.THIS_WEEK


class TestThisWeek:
    def test_on_monday_the_week_runs_to_sunday(self, config, worker):
        sunday, _ = follow_up_case(worker, follow_up_on=D(2024, 6, 23))
        follow_up_case(worker, follow_up_on=D(2024, 6, 24))  # next Monday
        with at(2024, 6, 17):
            assert summary(due_for_user(worker)) == [
                (Kind.FOLLOW_UP, Urgency.THIS_WEEK, D(2024, 6, 23), sunday.reference)
            ]

    def test_on_sunday_only_today_is_left_of_the_week(self, config, worker):
        sunday, _ = follow_up_case(worker, follow_up_on=D(2024, 6, 23))
        follow_up_case(worker, follow_up_on=D(2024, 6, 24))
        with at(2024, 6, 23):
            assert summary(due_for_user(worker)) == [
                (Kind.FOLLOW_UP, Urgency.TODAY, D(2024, 6, 23), sunday.reference)
            ]

    def test_reviews_follow_the_same_week(self, config, worker):
        with at(2024, 6, 10):
            this_sunday = CaseFactory(registered_on=D(2024, 6, 1), casemanager=worker)
            next_monday = CaseFactory(registered_on=D(2024, 6, 1), casemanager=worker)
            last_friday = CaseFactory(registered_on=D(2024, 6, 1), casemanager=worker)
            for kase, review_on in (
                (this_sunday, D(2024, 6, 23)),
                (next_monday, D(2024, 6, 24)),
                (last_friday, D(2024, 6, 14)),
            ):
                services.case_update(kase, next_review_on=review_on, by=None)
        with at(2024, 6, 17):
            assert summary(due_for_user(worker)) == [
                (Kind.REVIEW, Urgency.OVERDUE, D(2024, 6, 14), last_friday.reference),
                (Kind.REVIEW, Urgency.THIS_WEEK, D(2024, 6, 23), this_sunday.reference),
            ]


class TestStalled:
    @pytest.fixture
    def quiet_case(self, worker):
        """Registered 1 May, last action 20 May: stalled from 19 June (20 May + 30 days)."""
        with at(2024, 5, 20):
            kase = CaseFactory(registered_on=D(2024, 5, 1), casemanager=worker)
            action(kase, performed_on=D(2024, 5, 20))
        return kase

    def test_stalled_from_the_30th_day_after_the_last_action(self, config, worker, quiet_case):
        with at(2024, 6, 18, 23, 59, 59):  # 29 days after the last action
            assert due_for_user(worker).stalled == []
        with at(2024, 6, 19, 0, 0, 0):  # 30 days: no action on 20 May .. 18 June
            (item,) = due_for_user(worker).stalled
            assert (item.urgency, item.due_on, item.since) == (
                Urgency.TODAY,
                D(2024, 6, 19),
                D(2024, 5, 20),
            )
            assert item.description == "Geen actie sinds 20-05-2024"
        with at(2024, 6, 20):  # the 31st day
            (item,) = due_for_user(worker).stalled
            assert item.urgency == Urgency.OVERDUE

    def test_a_new_action_wakes_the_case(self, config, worker, quiet_case):
        with at(2024, 6, 19):
            action(quiet_case, performed_on=D(2024, 6, 1))
            assert due_for_user(worker).stalled == []

    def test_counts_from_registration_without_actions(self, config, worker):
        with at(2024, 5, 20):
            kase = CaseFactory(registered_on=D(2024, 5, 20), casemanager=worker)
        with at(2024, 6, 18):
            assert due_for_user(worker).stalled == []
        with at(2024, 6, 19):
            assert [item.reference for item in due_for_user(worker).stalled] == [kase.reference]

    def test_counts_from_a_reopening(self, config, worker, quiet_case):
        with at(2024, 6, 5):
            services.case_close(quiet_case, on=D(2024, 5, 25), reason="opgelost", by=None)
            services.case_reopen(quiet_case, on=D(2024, 6, 1), reason="Nieuwe melding", by=None)
        with at(2024, 6, 30):  # 29 days after reopening
            assert due_for_user(worker).stalled == []
        with at(2024, 7, 1):
            assert len(due_for_user(worker).stalled) == 1

    def test_counts_from_a_corrected_registration_date(self, config, worker):
        with at(2024, 5, 20):
            kase = CaseFactory(registered_on=D(2024, 5, 1), casemanager=worker)
            services.case_update(kase, registered_on=D(2024, 5, 20), by=None)
        with at(2024, 6, 18):
            assert due_for_user(worker).stalled == []

    def test_the_named_query_agrees(self, config, worker, quiet_case):
        with at(2024, 5, 20):
            CaseFactory(registered_on=D(2024, 5, 20), casemanager=worker)
        for day in (D(2024, 6, 18), D(2024, 6, 19), D(2024, 7, 19)):
            with at(day.year, day.month, day.day):
                selected = {item.case_id for item in due_for_team().stalled}
            assert selected == set(
                Case.objects.stalled_on(day, days=30).values_list("pk", flat=True)
            )

    def test_closed_cases_do_not_stall(self, config, worker, quiet_case):
        with at(2024, 5, 21):
            services.case_close(quiet_case, on=D(2024, 5, 21), reason="opgelost", by=None)
        with at(2024, 6, 25):
            assert due_for_user(worker).stalled == []

    def test_the_period_comes_from_the_settings(self, config, worker, quiet_case):
        config.stalled_after_days = 10
        config.save()
        with at(2024, 5, 29):
            assert due_for_user(worker).stalled == []
        with at(2024, 5, 30):
            assert len(due_for_user(worker).stalled) == 1


class TestAftercare:
    @pytest.fixture
    def closed_case(self, worker):
        """Closed on Wednesday 1 May: nazorg due on Wednesday 12 June, 6 weeks later."""
        with at(2024, 5, 1):
            kase = CaseFactory(
                registered_on=D(2024, 3, 1), casemanager=worker, closed_on=D(2024, 5, 1)
            )
        return kase

    def test_due_exactly_six_weeks_after_closing(self, config, worker, closed_case):
        with at(2024, 6, 11, 23, 59, 59):
            assert due_for_user(worker).aftercare == []
        with at(2024, 6, 12, 0, 0, 0):
            (item,) = due_for_user(worker).aftercare
            assert (item.urgency, item.due_on, item.since) == (
                Urgency.TODAY,
                D(2024, 6, 12),
                D(2024, 5, 1),
            )
        with at(2024, 6, 13):
            assert due_for_user(worker).aftercare[0].urgency == Urgency.OVERDUE

    def test_a_nazorg_action_on_or_after_closing_settles_it(self, config, worker, closed_case):
        with at(2024, 6, 12):
            action(closed_case, action_type=ActionType.AFTERCARE, performed_on=D(2024, 5, 1))
            assert due_for_user(worker).aftercare == []

    def test_a_nazorg_action_before_closing_does_not(self, config, worker, closed_case):
        with at(2024, 6, 12):
            action(closed_case, action_type=ActionType.AFTERCARE, performed_on=D(2024, 4, 30))
            action(closed_case, action_type=ActionType.CONVERSATION, performed_on=D(2024, 6, 1))
            assert len(due_for_user(worker).aftercare) == 1

    def test_a_reopened_case_needs_no_nazorg(self, config, worker, closed_case):
        with at(2024, 6, 12):
            services.case_reopen(closed_case, on=D(2024, 6, 1), reason="Nieuw", by=None)
            assert due_for_user(worker).aftercare == []

    def test_only_cases_closed_since_the_set_date(self, config, worker, closed_case):
        config.aftercare_since = D(2024, 5, 2)
        config.save()
        with at(2024, 6, 12):
            assert due_for_user(worker).aftercare == []
        config.aftercare_since = D(2024, 5, 1)
        config.save()
        with at(2024, 6, 12):
            assert len(due_for_user(worker).aftercare) == 1

    def test_the_named_query_agrees(self, config, worker, closed_case):
        with at(2024, 6, 1):
            CaseFactory(registered_on=D(2024, 3, 1), casemanager=worker, closed_on=D(2024, 5, 2))
        for day in (D(2024, 6, 11), D(2024, 6, 12), D(2024, 6, 13)):
            with at(day.year, day.month, day.day):
                selected = {item.case_id for item in due_for_team().aftercare}
            assert selected == set(
                Case.objects.aftercare_due_on(day, weeks=6).values_list("pk", flat=True)
            )
        assert not Case.objects.aftercare_due_on(D(2024, 6, 13), weeks=6, since=D(2024, 5, 3))

    def test_the_period_comes_from_the_settings(self, config, worker, closed_case):
        config.aftercare_after_weeks = 2
        config.save()
        with at(2024, 5, 15):
            assert len(due_for_user(worker).aftercare) == 1


class TestScopes:
    def test_done_follow_ups_and_closed_cases_are_left_out(self, config, worker):
        _done, entry = follow_up_case(worker, follow_up_on=D(2024, 6, 14))
        closed, _ = follow_up_case(worker, follow_up_on=D(2024, 6, 14))
        with at(2024, 6, 12):
            services.followup_complete(entry, on=D(2024, 6, 12), by=None)
            services.case_close(closed, on=D(2024, 6, 11), reason="opgelost", by=None)
            assert summary(due_for_user(worker)) == []

    def test_user_team_and_case(self, config, worker):
        colleague = casemanager()
        mine, _ = follow_up_case(worker, follow_up_on=D(2024, 6, 14))
        theirs, _ = follow_up_case(colleague, follow_up_on=D(2024, 6, 13))
        nobodys, _ = follow_up_case(None, follow_up_on=D(2024, 6, 12))
        with at(2024, 6, 12):
            assert [i.reference for i in due_for_user(worker)] == [mine.reference]
            assert [i.reference for i in due_for_user(colleague)] == [theirs.reference]
            assert [i.reference for i in due_for_team()] == [
                nobodys.reference,
                theirs.reference,
                mine.reference,
            ]
            assert [i.reference for i in due_for_case(theirs)] == [theirs.reference]

    def test_most_urgent_first(self, config, worker):
        with at(2024, 6, 12):
            kase = CaseFactory(registered_on=D(2024, 6, 1), casemanager=worker)
            action(kase, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, 14))
            action(kase, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, 12))
            action(kase, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, 5))
            action(kase, performed_on=D(2024, 6, 1), follow_up_on=D(2024, 6, 4))
            services.case_update(kase, next_review_on=D(2024, 6, 12), by=None)
            due = due_for_case(kase)
        assert [(i.kind, i.urgency, i.due_on) for i in due] == [
            (Kind.FOLLOW_UP, Urgency.OVERDUE, D(2024, 6, 4)),
            (Kind.FOLLOW_UP, Urgency.OVERDUE, D(2024, 6, 5)),
            (Kind.FOLLOW_UP, Urgency.TODAY, D(2024, 6, 12)),
            (Kind.REVIEW, Urgency.TODAY, D(2024, 6, 12)),
            (Kind.FOLLOW_UP, Urgency.THIS_WEEK, D(2024, 6, 14)),
        ]
        assert due.counts == {
            "overdue": 2,
            "today": 2,
            "this_week": 1,
            "stalled": 0,
            "aftercare": 0,
            "intake": 0,
            "feedback": 0,
            "total": 5,
        }
        assert due.items[0].description == "Vervolg op gesprek van 01-06-2024"

    def test_deadlines_then_signals_then_this_week(self, config, worker):
        with at(2024, 6, 12):
            kase = CaseFactory(registered_on=D(2024, 6, 1), casemanager=worker)
            action(kase, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, 14))
            action(kase, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, 12))
            action(kase, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, 11))
            quiet = CaseFactory(registered_on=D(2023, 1, 2), casemanager=worker)
            closed = CaseFactory(
                registered_on=D(2023, 1, 2), casemanager=worker, closed_on=D(2023, 2, 1)
            )
            due = due_for_user(worker)
        assert [(i.kind, i.urgency, i.reference) for i in due] == [
            (Kind.FOLLOW_UP, Urgency.OVERDUE, kase.reference),
            (Kind.FOLLOW_UP, Urgency.TODAY, kase.reference),
            (Kind.AFTERCARE, Urgency.OVERDUE, closed.reference),
            (Kind.STALLED, Urgency.OVERDUE, quiet.reference),
            (Kind.FOLLOW_UP, Urgency.THIS_WEEK, kase.reference),
        ]

    def test_team_rows_count_per_casemanager(self, config, worker):
        colleague = casemanager(first_name="Mark", last_name="Bakker")
        worker.first_name, worker.last_name = "Sanne", "de Vries"
        worker.save()
        follow_up_case(worker, follow_up_on=D(2024, 6, 11))
        follow_up_case(worker, follow_up_on=D(2024, 6, 14))
        follow_up_case(colleague, follow_up_on=D(2024, 6, 12))
        follow_up_case(None, follow_up_on=D(2024, 6, 11))
        with at(2024, 6, 12):
            rows = team_rows(due_for_team())
        assert [(r.name, r.overdue, r.today, r.this_week, r.total) for r in rows] == [
            ("Mark Bakker", 0, 1, 0, 1),
            ("Sanne de Vries", 1, 0, 1, 2),
            ("Niet toegewezen", 1, 0, 0, 1),
        ]


class TestQueryCount:
    """Three queries (settings, follow-ups, cases) for 1 case and for 50."""

    def make(self, worker, count):
        with at(2024, 6, 10):
            for number in range(count):
                kase = CaseFactory(registered_on=D(2024, 4, 1), casemanager=worker)
                action(kase, performed_on=D(2024, 4, 2), follow_up_on=D(2024, 6, 1 + number % 16))
                if number % 2:
                    services.case_update(kase, next_review_on=D(2024, 6, 14), by=None)
                if number % 2:
                    continue
                # A maatregel whose zienswijze term ended on 10 June (its step on 3 June is
                # activity: this case is not stalled).
                voornemen = measure(kase, by=worker, kind=MeasureKind.OTHER)
                measure_step_record(
                    voornemen,
                    step=Step.INTENTION_SENT,
                    on=D(2024, 6, 3),
                    by=worker,
                    zienswijze_days=7,
                )
            for _ in range(count):
                CaseFactory(
                    registered_on=D(2024, 3, 1), casemanager=worker, closed_on=D(2024, 4, 1)
                )

    @pytest.mark.parametrize("count", [1, 50])
    def test_fixed_number_of_queries(self, config, worker, count, django_assert_num_queries):
        self.make(worker, count)
        kase = worker.assigned_cases.first()
        with at(2024, 6, 12):
            with django_assert_num_queries(6):
                mine = due_for_user(worker)
            with django_assert_num_queries(6):
                team = due_for_team()
            with django_assert_num_queries(6):
                due_for_case(kase)
            with django_assert_num_queries(0):
                team_rows(team)
        # follow-up + review (odd cases) + stalled (since 2 April: odd cases) + nazorg per
        # pair + the zienswijze term of a maatregel (even cases)
        assert len(mine) == count + count // 2 + count // 2 + count + (count - count // 2)


class TestTheTeamsPageListsTheMostUrgent:
    """A team's page selects with a limit: the most urgent stalled and nazorg cases become
    items, the others are counted per casemanager in the database. What the page shows and
    every count must equal the full selection's."""

    def make(self, count):
        self.closed, self.reopened = set(), set()
        people = [casemanager(), casemanager(), None]
        with at(2024, 6, 10):
            for number in range(count):
                who = people[number % 3]
                # Stalled since different days (last activity in March and April).
                CaseFactory(registered_on=D(2024, 3, 1 + number % 28), casemanager=who)
                kase = CaseFactory(registered_on=D(2024, 1, 2), casemanager=who)
                action(kase, performed_on=D(2024, 4, 1 + number % 20))
                # Nazorg due: closed on different days in April.
                CaseFactory(
                    registered_on=D(2024, 1, 5),
                    casemanager=who,
                    closed_on=D(2024, 4, 1 + number % 25),
                )
                # Follow-ups due this week, today and overdue, on different days.
                action(kase, performed_on=D(2024, 4, 1), follow_up_on=D(2024, 6, 13))
                action(kase, performed_on=D(2024, 4, 2), follow_up_on=D(2024, 5, 1 + number % 30))
                if number % 4 == 0:
                    action(kase, performed_on=D(2024, 4, 2), follow_up_on=D(2024, 6, 12))
                # The follow-ups of a case closed since ask nothing; a reopened case's do again.
                for reopen in (False, True):
                    other = CaseFactory(registered_on=D(2024, 1, 3), casemanager=who)
                    action(other, performed_on=D(2024, 1, 3), follow_up_on=D(2024, 5, 2))
                    services.case_close(
                        other, on=D(2024, 5, 20), reason=ClosingReason.RESOLVED, by=None
                    )
                    if reopen:
                        services.case_reopen(other, on=D(2024, 6, 1), reason="Terug.", by=None)
                    (self.reopened if reopen else self.closed).add(other.reference)
        return people

    @pytest.mark.parametrize("limit", [0, 1, 5, 200])
    def test_the_same_counts_and_the_same_top(self, config, limit, django_assert_num_queries):
        people = self.make(12)
        with at(2024, 6, 12):
            full = due_for_team()
            follow_up_cases = {item.reference for item in full if item.is_follow_up}
            assert self.reopened <= follow_up_cases
            assert not self.closed & follow_up_cases
            # settings, reviews, the follow-up, stalled and nazorg rows (none with limit 0),
            # the follow-ups, stalled and nazorg counted per casemanager and their names, the
            # maatregelen (2), the meldingen
            with django_assert_num_queries(12 if limit else 9):
                limited = due_for_team(limit=limit)
            assert limited.counts == full.counts
            assert team_rows(limited) == team_rows(full)
            assert len(limited) == len(full)
            shown = min(limit, full.SHOWN)
            assert summary(limited.shown[:shown]) == summary(full.shown[:shown])
            for kind in (Kind.FOLLOW_UP, Kind.STALLED, Kind.AFTERCARE):
                only = limited.select(kinds={kind})
                assert only.counts == full.select(kinds={kind}).counts
                assert summary(only.shown[: min(limit, only.SHOWN)]) == summary(
                    full.select(kinds={kind}).shown[: min(limit, only.SHOWN)]
                )
            for person in people:
                key = person.pk if person else None
                one = due_for_team(limit=limit, casemanager=person.pk if person else "nobody")
                assert one.counts == full.for_casemanager(key).counts
