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

The days of art. 3 (and the days a decree equates, art. 3 lid 3, from the EquatedDay table) are
the one calendar of woonoverlast.common.calendar (AtwCalendar).
"""

import datetime
from dataclasses import dataclass

from woonoverlast.common.calendar import DAY, AtwCalendar, add_months, add_years

OBJECTION_WEEKS = 6  # art. 6:7 Awb
DECISION_WEEKS = 6  # art. 7:10 lid 1 Awb
DECISION_WEEKS_COMMITTEE = 12  # art. 7:10 lid 1 with a commissie (art. 7:13)
ADJOURNMENT_WEEKS = 6  # art. 7:10 lid 3 Awb: at most six weeks
REQUEST_DECISION_WEEKS = 8  # art. 4:13 lid 2 Awb: at most eight weeks after receipt
PRESENCE_BAN_DAYS = 10  # art. 151d lid 3 Gemeentewet: the verbod applies for ten days
PAYMENT_WEEKS = 6  # art. 4:87 lid 1 Awb: a geldsom is paid within six weeks
GELDSCHULD_VERJARING_YEARS = 5  # art. 4:104 lid 1 Awb
ATW_MAX_WEEKS = 12  # art. 4 lid 1 sub a Atw: not for terms of more than twelve weeks


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


def looptijd_end(bekendgemaakt_on: datetime.date, months: int) -> Term:
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


def betalingstermijn_end(bekendgemaakt_on: datetime.date, calendar: AtwCalendar) -> Term:
    """Art. 4:87 lid 1 Awb: a beschikking to pay a geldsom (a kostenbeschikking for the costs
    of bestuursdwang, art. 5:25 Awb) is paid within six weeks after its bekendmaking; a
    statutory term, so the Atw applies. Bekendgemaakt Tuesday 3 February 2026: Tuesday
    17 March 2026."""
    return _statutory(
        bekendgemaakt_on + datetime.timedelta(weeks=PAYMENT_WEEKS), calendar, weeks=PAYMENT_WEEKS
    )


def geldschuld_verjaring_end(betalingstermijn_ends_on: datetime.date) -> datetime.date:
    """Art. 4:104 lid 1 Awb: the claim to a geldsom (the costs of bestuursdwang) verjaart five
    years after the prescribed betalingstermijn passed, so its last day is five years after
    the betalingstermijn's last day (not the one year of art. 5:35, which is the dwangsom's
    alone). More than twelve weeks: no Atw (art. 4 lid 1 sub a). Betalingstermijn ended
    17 March 2026: the last day to collect is 17 March 2031."""
    return add_years(betalingstermijn_ends_on, GELDSCHULD_VERJARING_YEARS)


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
