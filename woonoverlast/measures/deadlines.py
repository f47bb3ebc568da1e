"""The legal deadlines of a maatregel: computed from its steps, never typed.

The Algemene termijnenwet (Atw) only extends a term *set by a statute* ("een in een wet
gestelde termijn", art. 1 lid 1) that *ends* on a Saturday, a Sunday or an algemeen erkende
feestdag, to the next day that is none of these. It does not apply to terms counted backwards
(art. 1 lid 2) nor, by art. 4 lid 1 sub a, to terms of more than twelve weeks (90 days, three
months, a year or more). So:

- bezwaartermijn (art. 6:7/6:8 Awb, six weeks from the day after bekendmaking): Atw applies;
- beslistermijn op bezwaar (art. 7:10 Awb: six weeks, twelve with an adviescommissie of
  art. 7:13, from the day after the bezwaartermijn ended; verdaging by at most six weeks):
  Atw applies while the whole term is at most twelve weeks; eighteen weeks (commissie and
  verdaagd) is beyond art. 4 lid 1 sub a, so that date is not moved;
- zienswijze term (art. 4:8 Awb sets no length; the burgemeester sets it in the voornemen),
  begunstigingstermijn (art. 5:24 lid 2 and 5:32a lid 2 Awb: set in the besluit) and the
  order's looptijd (set in the besluit): not statutory terms, so the Atw does not move them;
  the plain date is the deadline.

The days of art. 3 are computed here (Easter by the Gregorian computus), not taken from a
holiday library: the `holidays` package's Dutch calendar is not the Atw's (5 May every year,
Goede Vrijdag). Days a decree equates (art. 3 lid 3) come from the EquatedDay table.
"""

import calendar as _calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

DAY = datetime.timedelta(days=1)

OBJECTION_WEEKS = 6  # art. 6:7 Awb
DECISION_WEEKS = 6  # art. 7:10 lid 1 Awb
DECISION_WEEKS_COMMITTEE = 12  # art. 7:10 lid 1 with a commissie (art. 7:13)
ADJOURNMENT_WEEKS = 6  # art. 7:10 lid 3 Awb: at most six weeks
REQUEST_DECISION_WEEKS = 8  # art. 4:13 lid 2 Awb: at most eight weeks after receipt
PRESENCE_BAN_DAYS = 10  # art. 151d lid 3 Gemeentewet: the verbod applies for ten days
ATW_MAX_WEEKS = 12  # art. 4 lid 1 sub a Atw: not for terms of more than twelve weeks


def easter_sunday(year: int) -> datetime.date:
    """Easter Sunday (Gregorian calendar; the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def kings_day(year: int) -> datetime.date:
    """Koningsdag: 27 April, or 26 April when 27 April is a Sunday."""
    day = datetime.date(year, 4, 27)
    return day - DAY if day.weekday() == 6 else day


def atw_holidays(year: int) -> dict[datetime.date, str]:
    """The algemeen erkende feestdagen of art. 3 lid 1 Atw and Goede Vrijdag (lid 2). The first
    Easter and Whit days are Sundays and not listed by the Atw."""
    easter = easter_sunday(year)
    return {
        datetime.date(year, 1, 1): "Nieuwjaarsdag",
        easter - 2 * DAY: "Goede Vrijdag",
        easter + DAY: "Tweede Paasdag",
        kings_day(year): "Koningsdag",
        datetime.date(year, 5, 5): "Bevrijdingsdag (5 mei)",
        easter + 39 * DAY: "Hemelvaartsdag",
        easter + 50 * DAY: "Tweede Pinksterdag",
        datetime.date(year, 12, 25): "Eerste Kerstdag",
        datetime.date(year, 12, 26): "Tweede Kerstdag",
    }


@dataclass(frozen=True)
class AtwCalendar:
    """The Atw's calendar: weekends, the days of art. 3 and the equated days of the table."""

    equated: frozenset[datetime.date] = frozenset()

    @classmethod
    def load(cls) -> "AtwCalendar":
        """With the equated days from the database: one query."""
        from .models import EquatedDay

        return cls(equated=frozenset(EquatedDay.objects.values_list("day", flat=True)))

    @classmethod
    def of(cls, days: Iterable[datetime.date]) -> "AtwCalendar":
        return cls(equated=frozenset(days))

    def is_holiday(self, day: datetime.date) -> bool:
        return day in self.equated or day in atw_holidays(day.year)

    def is_closed(self, day: datetime.date) -> bool:
        """Saturday, Sunday, algemeen erkende feestdag or equated day."""
        return day.weekday() >= 5 or self.is_holiday(day)

    def extend(self, day: datetime.date) -> datetime.date:
        """Art. 1 lid 1 Atw: a term ending on a closed day ends on the next open day."""
        while self.is_closed(day):
            day += DAY
        return day


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or that month's last day (31 August + 1 = 30 September)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Term:
    """A computed deadline: the plain end, the end after the Atw, and whether it applies."""

    plain_on: datetime.date
    ends_on: datetime.date
    atw_applies: bool

    @property
    def moved(self) -> bool:
        return self.ends_on != self.plain_on


def _statutory(plain_on: datetime.date, calendar: AtwCalendar, *, weeks: int) -> Term:
    if weeks > ATW_MAX_WEEKS:
        return Term(plain_on=plain_on, ends_on=plain_on, atw_applies=False)
    return Term(plain_on=plain_on, ends_on=calendar.extend(plain_on), atw_applies=True)


def _plain(plain_on: datetime.date) -> Term:
    return Term(plain_on=plain_on, ends_on=plain_on, atw_applies=False)


def zienswijze_term_end(voornemen_on: datetime.date, days: int) -> Term:
    """The last day to respond to a voornemen sent on `voornemen_on` with `days` days: counted
    from the next day. Set by the burgemeester, not by a statute: no Atw."""
    return _plain(voornemen_on + days * DAY)


def bezwaartermijn_end(bekendgemaakt_on: datetime.date, calendar: AtwCalendar) -> Term:
    """Art. 6:7/6:8 Awb: six weeks from the day after bekendmaking; Atw applies.
    Bekendgemaakt Tuesday 24 March 2026: plain end Tuesday 5 May 2026 (5 mei), so Wednesday
    6 May 2026."""
    return _statutory(
        bekendgemaakt_on + datetime.timedelta(weeks=OBJECTION_WEEKS),
        calendar,
        weeks=OBJECTION_WEEKS,
    )


def beslistermijn_end(
    bezwaartermijn_ends_on: datetime.date,
    calendar: AtwCalendar,
    *,
    advisory_committee: bool = False,
    adjourned: bool = False,
) -> Term:
    """Art. 7:10 Awb: six weeks (twelve with an adviescommissie) from the day after the
    bezwaartermijn ended, plus at most six when verdaagd. `bezwaartermijn_ends_on` is the
    end after the Atw (bezwaartermijn_end(...).ends_on)."""
    weeks = DECISION_WEEKS_COMMITTEE if advisory_committee else DECISION_WEEKS
    if adjourned:
        weeks += ADJOURNMENT_WEEKS
    return _statutory(
        bezwaartermijn_ends_on + datetime.timedelta(weeks=weeks), calendar, weeks=weeks
    )


def begunstigingstermijn_end(bekendgemaakt_on: datetime.date, days: int) -> Term:
    """The last day to comply without enforcement: `days` from the day after bekendmaking.
    Set in the besluit (art. 5:24 lid 2, 5:32a lid 2 Awb), not by a statute: no Atw."""
    return _plain(bekendgemaakt_on + days * DAY)


def order_end(bekendgemaakt_on: datetime.date, months: int) -> Term:
    """The last day the order applies: its looptijd in months from bekendmaking. Set in the
    besluit: no Atw."""
    return _plain(add_months(bekendgemaakt_on, months))


def request_beslistermijn_end(received_on: datetime.date, calendar: AtwCalendar) -> Term:
    """Art. 4:13 Awb: a besluit op aanvraag (a handhavingsverzoek) within the term the law
    sets or, without one, a reasonable term of at most eight weeks after receipt (lid 2);
    counted from the day after receipt, a statutory term: the Atw applies. Received Monday
    2 March 2026: last day Monday 27 April 2026 (Koningsdag), so Tuesday 28 April 2026."""
    return _statutory(
        received_on + datetime.timedelta(weeks=REQUEST_DECISION_WEEKS),
        calendar,
        weeks=REQUEST_DECISION_WEEKS,
    )


def presence_ban_end(bekendgemaakt_on: datetime.date) -> Term:
    """Art. 151d lid 3 Gemeentewet: the verbod om in of bij de woning aanwezig te zijn
    applies for a period of ten days from its bekendmaking; the law fixes it, the besluit
    does not choose it. A period, not a term for an act: no Atw."""
    return _plain(bekendgemaakt_on + PRESENCE_BAN_DAYS * DAY)


# From this day of the year the team leader is reminded when the table has no equated day for
# next year yet (the decrees of art. 3 lid 3 Atw come out well before the year starts).
EQUATED_DAYS_REMINDER_FROM = (10, 1)


def equated_days_reminder(on: datetime.date) -> str | None:
    """The digest line for the team leader when, from 1 October, the table of gelijkgestelde
    dagen has no day for next year (art. 3 lid 3 Atw); None otherwise. One query."""
    from .models import EquatedDay

    if (on.month, on.day) < EQUATED_DAYS_REMINDER_FROM:
        return None
    year = on.year + 1
    if EquatedDay.objects.filter(day__year=year).exists():
        return None
    return (
        f"De tabel gelijkgestelde dagen (Algemene termijnenwet) heeft nog geen dag voor {year}. "
        "Vul de dagen uit het gelijkstellingsbesluit in via het beheer, anders kloppen de "
        "bezwaartermijnen niet."
    )
