"""A handful of binnengekomen meldingen for the demo set (its part, demo_part, is made after the
cases): waiting in the queue (some past their term, some at the address of an open
case, one next door), one added to a case and one referred. They only add meldingen to
existing cases, so Tabel 5.1 of every year stays as it was."""

import datetime
import random

from django.utils import timezone

from woonoverlast.cases.choices import Status
from woonoverlast.cases.models import Case, Category, Partner
from woonoverlast.common.calendar import AtwCalendar, add_workdays

from . import services
from .choices import IntakeSource, Outcome, TalkedToNeighbour

TEXTS = [
    "Elke nacht harde muziek en geschreeuw, vaak tot drie uur. Wij slapen slecht.",
    "Uit de woning komt een vieze lucht. Op het balkon staan veel vuilniszakken.",
    "De buurman bonkt op de muur en scheldt als hij ons ziet.",
    "Er lopen veel katten rond de woning en het stinkt in het portiek.",
    "De bewoner lijkt in de war. Hij loopt 's nachts rond en belt bij iedereen aan.",
    "Harde muziek in het weekend, ook overdag. Wij hebben het al een keer gezegd.",
    "Melding via de wijkagent: herhaaldelijk ruzie tussen bewoners, politie twee keer ter "
    "plaatse geweest.",
    "Melding van de corporatie: klachten van drie buren over stankoverlast.",
]


def load_intake_meldingen(*, seed: int, until: datetime.date, by) -> int:
    """Create the demo meldingen; returns how many."""
    rng = random.Random(seed)
    open_cases = list(
        Case.objects.filter(status=Status.OPEN, registered_on__year__gte=until.year - 1)
        .exclude(postcode="")
        .order_by("pk")[:40]
    )
    categories = {category.code: category for category in Category.objects.all()}
    plans = [
        # (days ago, source, at a case's address / next door / elsewhere, melder, categories)
        (9, IntakeSource.FORM, "case", ("Fatima el Idrissi", "", "f.elidrissi@example.org")),
        (7, IntakeSource.POLICE, "elsewhere", None),
        (4, IntakeSource.FORM, "next door", ("", "0612345678", "")),
        (2, IntakeSource.CORPORATION, "case", None),
        (1, IntakeSource.FORM, "elsewhere", ("Kees Jansen", "", "kees.jansen@example.org")),
        (0, IntakeSource.FORM, "elsewhere", None),
        (12, IntakeSource.FORM, "case", ("Anna de Wit", "", "anna.dewit@example.org")),
        (15, IntakeSource.MELDINGEN_SYSTEM, "elsewhere", None),
    ]
    created = []
    for number, (days_ago, source, where, melder) in enumerate(plans):
        case = open_cases[(number * 7) % len(open_cases)] if open_cases else None
        if case and where in ("case", "next door"):
            street, postcode = case.street, case.postcode
            house_number = case.house_number + (2 if where == "next door" else 0)
            addition = case.house_number_addition if where == "case" else ""
        else:
            street, postcode = "Stationsstraat", f"27{rng.randint(11, 28)} {rng.choice('ABCDE')}K"
            house_number, addition = rng.randint(1, 120), ""
        name, phone, email = melder or ("", "", "")
        received = until - datetime.timedelta(days=days_ago)
        received_at = timezone.make_aware(
            datetime.datetime.combine(received, datetime.time(8 + number, 15))
        )
        melding, _ = services.intake_melding_receive(
            source=source,
            text=TEXTS[number % len(TEXTS)],
            street=street,
            house_number=house_number,
            house_number_addition=addition,
            postcode=postcode,
            categories=[categories[code] for code in ("geluidsoverlast",) if code in categories],
            since=rng.choice(["", "Sinds een paar weken", "Al maanden"]),
            talked_to_neighbour=rng.choice(list(TalkedToNeighbour.values)),
            reporter_name=name,
            reporter_phone=phone,
            reporter_email=email,
            received_at=min(received_at, timezone.now()),
        )
        created.append((melding, case, days_ago))
    # Two handled within their term: one added to its case, one referred.
    calendar = AtwCalendar.load()
    for melding, case, days_ago in created:
        on_time = add_workdays(until - datetime.timedelta(days=days_ago), 2, calendar) <= until
        if days_ago == 12 and case and on_time:
            services.intake_melding_add_to_case(melding, case=case, by=by)
        elif days_ago == 15:
            services.intake_melding_close(
                melding,
                outcome=Outcome.REFERRED,
                partner=Partner.objects.filter(name="Buurtbemiddeling").first()
                or Partner.objects.first(),
                reason="Burenruzie zonder zorgen; buurtbemiddeling past beter.",
                by=by,
            )
    return len(created)


def demo_part(demo) -> None:
    """The intake's part of the demo set (cases.demo.register_demo_part): a few binnengekomen
    meldingen in the queue (they add to cases, never count)."""
    load_intake_meldingen(seed=demo.rng.randint(0, 10**6), until=demo.until, by=demo.workers[0])
