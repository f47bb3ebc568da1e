"""The Algemene termijnenwet calendar and the maatregelen's deadlines."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from woonoverlast.common.calendar import AtwCalendar, add_months, atw_holidays, easter_sunday
from woonoverlast.measures.deadlines import (
    Term,
    begunstigingstermijn_end,
    beslistermijn_end,
    betalingstermijn_end,
    bezwaartermijn_end,
    equated_days_reminder,
    geldschuld_verjaring_end,
    looptijd_end,
    presence_ban_end,
    request_beslistermijn_end,
    zienswijze_term_end,
)
from woonoverlast.measures.models import EquatedDay

D = datetime.date
PLAIN = AtwCalendar()

# Every day of art. 3 Atw for 2024-2030, written out by hand (not computed): Nieuwjaarsdag,
# Goede Vrijdag, tweede Paasdag, Koningsdag, 5 mei, Hemelvaartsdag, tweede Pinksterdag, Kerst.
ATW_DAYS = {
    2024: [(3, 29), (4, 1), (4, 27), (5, 9), (5, 20)],
    2025: [(4, 18), (4, 21), (4, 26), (5, 29), (6, 9)],
    2026: [(4, 3), (4, 6), (4, 27), (5, 14), (5, 25)],
    2027: [(3, 26), (3, 29), (4, 27), (5, 6), (5, 17)],
    2028: [(4, 14), (4, 17), (4, 27), (5, 25), (6, 5)],
    2029: [(3, 30), (4, 2), (4, 27), (5, 10), (5, 21)],
    2030: [(4, 19), (4, 22), (4, 27), (5, 30), (6, 10)],
}
EVERY_ATW_DAY = [
    D(year, month, day)
    for year, days in ATW_DAYS.items()
    for month, day in [(1, 1), *days, (5, 5), (12, 25), (12, 26)]
]


@pytest.mark.parametrize("day", EVERY_ATW_DAY, ids=str)
def test_every_atw_day_2024_2030_is_a_feestdag(day):
    assert PLAIN.is_holiday(day)
    assert PLAIN.is_closed(day)


@pytest.mark.parametrize("day", EVERY_ATW_DAY, ids=str)
def test_a_term_ending_on_an_atw_day_ends_on_the_next_open_day(day):
    ends = PLAIN.extend(day)
    assert ends > day
    assert ends.weekday() < 5 and not PLAIN.is_holiday(ends)
    # Nothing open in between.
    between = day
    while between < ends:
        assert PLAIN.is_closed(between)
        between += datetime.timedelta(days=1)


def test_the_year_holds_exactly_the_days_of_art_3():
    # Plus the first Easter and Whit days? No: the Atw lists only the second ones.
    for year in ATW_DAYS:
        expected = {day for day in EVERY_ATW_DAY if day.year == year}
        assert set(atw_holidays(year)) == expected


def test_koningsdag_is_26_april_when_27_april_is_a_sunday():
    assert D(2025, 4, 27).weekday() == 6
    assert PLAIN.is_holiday(D(2025, 4, 26))
    assert not PLAIN.is_holiday(D(2025, 4, 27))  # closed as a Sunday, not as Koningsdag
    assert PLAIN.is_holiday(D(2031, 4, 26)) and D(2031, 4, 27).weekday() == 6


def test_5_mei_is_a_feestdag_every_year_not_only_in_lustrum_years():
    # 2026 and 2027 are no lustrum years; the `holidays` package would miss both.
    assert PLAIN.is_holiday(D(2026, 5, 5)) and D(2026, 5, 5).weekday() == 1
    # 5 May 2027 is a Wednesday, the next day Hemelvaartsdag: the term runs to Friday 7 May.
    assert PLAIN.extend(D(2027, 5, 5)) == D(2027, 5, 7)


def test_the_bezwaartermijn_example_of_the_issue():
    """Bekendgemaakt Tuesday 24 March 2026: six weeks from the next day end on Tuesday
    5 May 2026, which is 5 mei: the Atw moves it to Wednesday 6 May 2026."""
    term = bezwaartermijn_end(D(2026, 3, 24), PLAIN)
    assert (term.plain_on, term.ends_on, term.atw_applies, term.moved) == (
        D(2026, 5, 5),
        D(2026, 5, 6),
        True,
        True,
    )


def test_a_term_ending_on_goede_vrijdag_runs_to_the_tuesday_after_easter():
    term = bezwaartermijn_end(D(2026, 2, 20), PLAIN)
    assert term.plain_on == D(2026, 4, 3)  # Goede Vrijdag
    assert term.ends_on == D(2026, 4, 7)  # past Saturday, Sunday and tweede Paasdag


def test_a_term_ending_on_the_saturday_before_tweede_paasdag():
    term = bezwaartermijn_end(D(2026, 2, 21), PLAIN)
    assert term.plain_on == D(2026, 4, 4)
    assert term.ends_on == D(2026, 4, 7)


@pytest.mark.django_db
def test_a_decree_day_from_the_table_counts_as_a_feestdag():
    # The Friday after Hemelvaartsdag 2029, as a future gelijkstellingsbesluit would name it
    # (the shipped table ends with 2028).
    term_without = bezwaartermijn_end(D(2029, 3, 29), AtwCalendar.load())
    assert (term_without.plain_on, term_without.ends_on) == (D(2029, 5, 10), D(2029, 5, 11))
    EquatedDay.objects.create(day=D(2029, 5, 11), name="Vrijdag na Hemelvaartsdag")
    term_with = bezwaartermijn_end(D(2029, 3, 29), AtwCalendar.load())
    assert term_with.ends_on == D(2029, 5, 14)


def test_no_move_on_an_ordinary_working_day():
    term = bezwaartermijn_end(D(2026, 3, 25), PLAIN)
    assert term.plain_on == term.ends_on == D(2026, 5, 6) and not term.moved


def test_beslistermijn_six_twelve_and_eighteen_weeks():
    # Bezwaartermijn ended Wednesday 6 May 2026.
    end = D(2026, 5, 6)
    assert beslistermijn_end(end, PLAIN).ends_on == D(2026, 6, 17)
    with_committee = beslistermijn_end(end, PLAIN, advisory_committee=True)
    assert with_committee.ends_on == D(2026, 7, 29) and with_committee.atw_applies
    # Six plus six weeks of verdaging: still twelve weeks, so the Atw applies.
    assert beslistermijn_end(end, PLAIN, adjourned=True).atw_applies
    # Eighteen weeks is beyond art. 4 lid 1 sub a Atw: not moved even on a Saturday.
    long = beslistermijn_end(D(2026, 1, 10), PLAIN, advisory_committee=True, adjourned=True)
    assert long.plain_on == D(2026, 5, 16) and long.plain_on.weekday() == 5
    assert long.ends_on == long.plain_on and not long.atw_applies


def test_terms_set_by_the_burgemeester_are_not_moved():
    # Zienswijze term of 14 days from Friday 20 March 2026 ends on Friday 3 April (Goede
    # Vrijdag): not a statutory term, so the Atw does not move it.
    assert zienswijze_term_end(D(2026, 3, 20), 14).ends_on == D(2026, 4, 3)
    assert begunstigingstermijn_end(D(2026, 3, 21), 14).ends_on == D(2026, 4, 4)
    assert looptijd_end(D(2026, 8, 31), 1).ends_on == D(2026, 9, 30)


def test_add_months_clips_to_the_month():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 12, 15), 13) == D(2026, 1, 15)


def test_easter_on_known_dates():
    known = [D(2000, 4, 23), D(2008, 3, 23), D(2019, 4, 21), D(2038, 4, 25), D(2285, 3, 22)]
    assert [easter_sunday(day.year) for day in known] == known


@given(st.integers(min_value=1900, max_value=2200))
def test_easter_is_a_sunday_between_22_march_and_25_april(year):
    easter = easter_sunday(year)
    assert easter.weekday() == 6 and D(year, 3, 22) <= easter <= D(year, 4, 25)


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))
equated_days = st.frozensets(dates, max_size=30)


@given(dates, equated_days)
def test_a_bezwaartermijn_never_ends_on_a_closed_day_nor_before_its_plain_date(day, equated):
    calendar = AtwCalendar.of(equated)
    term = bezwaartermijn_end(day, calendar)
    assert term.plain_on == day + datetime.timedelta(weeks=6)
    assert term.ends_on >= term.plain_on
    assert term.ends_on.weekday() < 5
    assert not calendar.is_holiday(term.ends_on)


@given(dates, equated_days, st.booleans(), st.booleans())
def test_a_beslistermijn_of_at_most_twelve_weeks_never_ends_on_a_closed_day(
    day, equated, committee, adjourned
):
    calendar = AtwCalendar.of(equated)
    term = beslistermijn_end(day, calendar, advisory_committee=committee, adjourned=adjourned)
    assert term.ends_on >= term.plain_on > day
    if term.atw_applies:
        assert not calendar.is_closed(term.ends_on)
    else:
        assert committee and adjourned and term.ends_on == term.plain_on


def test_a_handhavingsverzoek_is_decided_within_eight_weeks_of_its_receipt_atw_applying():
    # Art. 4:13 lid 2 Awb, a statutory term. Received Monday 2 March 2026: eight weeks end on
    # Monday 27 April (Koningsdag), so Tuesday 28 April; received 9 March: Monday 4 May.
    assert request_beslistermijn_end(D(2026, 3, 2), PLAIN) == Term(
        plain_on=D(2026, 4, 27), ends_on=D(2026, 4, 28), atw_applies=True
    )
    assert request_beslistermijn_end(D(2026, 3, 9), PLAIN) == Term(
        plain_on=D(2026, 5, 4), ends_on=D(2026, 5, 4), atw_applies=True
    )


def test_a_kostenbeschikking_is_paid_within_six_weeks_of_its_bekendmaking_atw_applying():
    # Art. 4:87 lid 1 Awb, a statutory term. Bekendgemaakt Tuesday 3 February 2026: Tuesday
    # 17 March. Bekendgemaakt Saturday 21 February: Saturday 4 April, then Easter Sunday and
    # tweede Paasdag (6 April), so Tuesday 7 April.
    assert betalingstermijn_end(D(2026, 2, 3), PLAIN) == Term(
        plain_on=D(2026, 3, 17), ends_on=D(2026, 3, 17), atw_applies=True
    )
    assert betalingstermijn_end(D(2026, 2, 21), PLAIN) == Term(
        plain_on=D(2026, 4, 4), ends_on=D(2026, 4, 7), atw_applies=True
    )


def test_the_costs_of_bestuursdwang_verjaren_five_years_after_the_betalingstermijn():
    # Art. 4:104 lid 1 Awb: five years after the betalingstermijn's last day, not moved by
    # the Atw (more than twelve weeks): 17 March 2026 gives 17 March 2031, a Monday; 4 April
    # 2026 gives Friday 4 April 2031.
    assert geldschuld_verjaring_end(D(2026, 3, 17)) == D(2031, 3, 17)
    assert geldschuld_verjaring_end(D(2026, 4, 4)) == D(2031, 4, 4)


def test_a_verbod_om_aanwezig_te_zijn_applies_for_ten_days_not_moved_by_the_atw():
    # Art. 151d lid 3 Gemeentewet: ten days from its bekendmaking, a period the law fixes,
    # not a term for an act. Bekendgemaakt Saturday 25 April 2026: it ends on Tuesday 5 May
    # (Bevrijdingsdag), not moved.
    assert presence_ban_end(D(2026, 4, 25)) == Term(
        plain_on=D(2026, 5, 5), ends_on=D(2026, 5, 5), atw_applies=False
    )


@pytest.mark.django_db
def test_from_1_october_the_team_leader_is_reminded_of_next_years_equated_days():
    # Art. 3 lid 3 Atw: the decrees come out before the year starts. The shipped table ends
    # with 2028: on 1 October 2029 there is no day for 2030 yet; on 30 September no reminder.
    expected = (
        "De tabel gelijkgestelde dagen (Algemene termijnenwet) heeft nog geen dag voor 2030. "
        "Vul de dagen uit het gelijkstellingsbesluit in via het beheer, anders kloppen de "
        "bezwaartermijnen niet."
    )
    assert equated_days_reminder(D(2029, 9, 30)) is None
    assert equated_days_reminder(D(2029, 10, 1)) == expected
    assert equated_days_reminder(D(2029, 12, 31)) == expected
    # A day of this year does not count for next year; a day of next year does.
    EquatedDay.objects.create(day=D(2029, 5, 11), name="Vrijdag na Hemelvaartsdag")
    assert equated_days_reminder(D(2029, 10, 1)) == expected
    EquatedDay.objects.create(day=D(2030, 5, 31), name="Vrijdag na Hemelvaartsdag")
    assert equated_days_reminder(D(2029, 10, 1)) is None
    # In 2030 the question is 2031 again.
    assert "geen dag voor 2031" in equated_days_reminder(D(2030, 10, 1))


@pytest.mark.django_db
def test_a_team_leader_keeps_the_equated_days_in_the_admin(client):
    from django.urls import reverse

    from tests.factories import casemanager, teamleider

    client.force_login(casemanager(is_staff=True))
    assert client.get(reverse("admin:measures_equatedday_add")).status_code == 403
    client.force_login(teamleider(is_staff=True))
    response = client.post(
        reverse("admin:measures_equatedday_add"),
        {"day": "11-05-2029", "name": "Vrijdag na Hemelvaartsdag", "decree": "Stcrt. 2028"},
    )
    assert response.status_code == 302
    assert AtwCalendar.load().is_holiday(D(2029, 5, 11))
