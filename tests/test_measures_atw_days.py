"""The equated days of art. 3 lid 3 Algemene termijnenwet shipped by a data migration: a fresh
database computes the bezwaartermijn right without an admin entry; the team leader is reminded
when next year has no entry."""

import datetime

import pytest
from django.template.loader import render_to_string

from tests.factories import teamleider
from woonoverlast.common.calendar import AtwCalendar
from woonoverlast.followups import services as followup_services
from woonoverlast.followups.models import NotificationKind
from woonoverlast.measures.deadlines import (
    bezwaartermijn_end,
    equated_days_reminder,
)
from woonoverlast.measures.models import EquatedDay

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_fresh_database_knows_the_friday_after_hemelvaartsdag_2024():
    # Bekendgemaakt Thursday 28 March 2024: six weeks end on Hemelvaartsdag 9 May; Friday
    # 10 May is equated (Besluit gelijkstelling ... 10 mei 2024 ...), then the weekend.
    term = bezwaartermijn_end(D(2024, 3, 28), AtwCalendar.load())
    assert term.plain_on == D(2024, 5, 9)
    assert term.ends_on == D(2024, 5, 13)


@pytest.mark.parametrize(
    ("bekendgemaakt", "ends"),
    [
        (D(2024, 11, 15), D(2024, 12, 30)),  # 27 Dec 2024 Friday after Tweede Kerstdag
        (D(2025, 11, 21), D(2026, 1, 5)),  # 2 Jan 2026 Friday after Nieuwjaarsdag
        (D(2028, 3, 17), D(2028, 5, 1)),  # 28 Apr 2028 Friday after Koningsdag
    ],
)
def test_other_shipped_days_move_the_term(bekendgemaakt, ends):
    assert bezwaartermijn_end(bekendgemaakt, AtwCalendar.load()).ends_on == ends


def test_every_shipped_day_names_its_decree():
    days = {row.day: row.decree for row in EquatedDay.objects.all()}
    assert set(days) >= {
        D(2023, 4, 28),
        D(2023, 5, 19),
        D(2024, 5, 10),
        D(2024, 12, 27),
        D(2025, 5, 30),
        D(2026, 1, 2),
        D(2026, 5, 15),
        D(2027, 5, 7),
        D(2028, 4, 28),
        D(2028, 5, 26),
    }
    assert all(decree.startswith("Besluit gelijkstelling van") for decree in days.values())


class TestReminder:
    def test_not_before_october(self):
        assert equated_days_reminder(D(2028, 9, 30)) is None

    def test_from_october_when_next_year_is_missing(self):
        assert "2029" in equated_days_reminder(D(2028, 10, 1))

    def test_not_when_next_year_has_a_day(self):
        assert equated_days_reminder(D(2026, 10, 1)) is None
        EquatedDay.objects.create(day=D(2029, 5, 11), name="Vrijdag na Hemelvaartsdag")
        assert equated_days_reminder(D(2028, 12, 31)) is None

    def test_in_the_team_leaders_overview_also_when_nothing_else_is_due(self):
        leader = teamleider()
        (overview,) = followup_services.digest_build(leader, on=D(2028, 10, 2))
        assert overview.kind == NotificationKind.TEAM
        assert overview.body.startswith("Let op: De tabel gelijkgestelde dagen")
        html = render_to_string("followups/_notification_body.html", {"data": overview.data})
        assert "nog geen dag voor 2029" in html
