"""The demo data set: realistic cases from 2022 up to today, built through the services.

The cases registered in 2023 are laid out so that their status on 31 December 2023 gives
exactly the published Tabel 5.1 of the jaarverslag 2023 (PUBLISHED_2023 below): 284 cases,
113 lopend and 171 afgerond, per wijk and housing type. Around that year they carry the
history a real year has: cases closed on 31 December and on 2 January, closed in 2023 and
reopened in 2024, still open today. The other years give the year-over-year comparison, the
doorlopende casussen and a live picture of today.

A fixed seed makes the set the same on every machine (apart from the dates after today's,
which are never generated: the services refuse dates in the future).

The apps built on cases add their part (binnengekomen meldingen, maatregelen, casusoverleg)
through register_demo_part in their AppConfig.ready, after the cases are made and in the order
of INSTALLED_APPS; `manage.py demo_laden` also runs what they register with
register_demo_extra (the example letter templates) every time it runs.
"""

import datetime
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from faker import Faker

from woonoverlast.accounts.roles import Role
from woonoverlast.common.validation import today

from . import services
from .choices import ActionType, ClosingReason, Complexity, HousingType, MeldingSource, PartyRole
from .models import Case, Category, District, HousingCorporation, Partner
from .services.refresh_batch import case_refreshes_batched

SEED = 20231231
DEMO_PASSWORD = "woonoverlast-demo"

# Tabel 5.1 as published: wijk -> (koop lopend, koop afgerond, corporatie lopend,
# corporatie afgerond, particulier lopend, particulier afgerond).
PUBLISHED_2023 = {
    "Centrum": (5, 3, 9, 15, 0, 5),
    "Meerzicht": (7, 8, 15, 25, 0, 0),
    "Buytenwegh": (1, 9, 15, 38, 1, 1),
    "De Leyens": (2, 5, 3, 4, 1, 1),
    "Seghwaert": (9, 12, 11, 9, 4, 0),
    "Noordhove": (5, 5, 3, 1, 5, 0),
    "Rokkeveen": (1, 5, 3, 6, 0, 0),
    "Oosterheem": (1, 9, 12, 9, 0, 1),
}
HOUSING_TYPES = (HousingType.KOOP, HousingType.CORPORATIE, HousingType.PARTICULIER)

# Cases a year in the other demo years, spread over the cells like 2023.
OTHER_YEARS = {2022: 262, 2024: 297, 2025: 301, 2026: 280}

# The people who log in (username, first name, last name, role) and their colleagues, who
# only appear as casemanagers of cases and cannot log in.
DEMO_LOGINS = [
    ("casemanager", "Sanne", "de Vries", Role.CASEMANAGER),
    ("teamleider", "Ahmed", "El Khatib", Role.TEAMLEIDER),
    ("rapportage", "Ingrid", "Vermeulen", Role.RAPPORTAGE),
    # A contact person of a corporatie for the casusoverleg: /partner/ only (woonoverlast.overleg).
    ("ketenpartner", "Karin", "Smit", Role.KETENPARTNER),
    # The municipality's record keeper: approves vernietigingslijsten (woonoverlast.archiving).
    ("archivaris", "Wim", "de Graaf", Role.ARCHIVARIS),
    # An application account of a partner system: it may only send meldingen by the API.
    ("koppeling", "Politie", "(koppeling)", Role.KOPPELING),
]
DEMO_COLLEAGUES = [
    ("m.bakker", "Mark", "Bakker", Role.CASEMANAGER),
    ("y.elamrani", "Yasmina", "El Amrani", Role.CASEMANAGER),
    ("j.visser", "Joost", "Visser", Role.CASEMANAGER),
    ("l.dekker", "Lotte", "Dekker", Role.CASEMANAGER),
]
CORPORATIONS = ["De Goede Woning", "Vidomes", "Wooncompas", "Haag Wonen"]

# Demo follow-ups due longer ago than this are marked done (see _add_actions).
FOLLOW_UPS_OPEN_FOR = datetime.timedelta(days=21)

# Four-digit postcode areas per wijk, for addresses that look local.
POSTCODE_AREAS = {
    "Centrum": (2711, 2712),
    "Meerzicht": (2713, 2714),
    "Buytenwegh": (2717, 2718),
    "De Leyens": (2719,),
    "Seghwaert": (2721, 2722),
    "Noordhove": (2723,),
    "Rokkeveen": (2724, 2725),
    "Oosterheem": (2726, 2727, 2728),
}

CATEGORY_WEIGHTS = {
    "geluidsoverlast": 34,
    "zorgcomponent": 18,
    "wederzijdse-beschuldigingen": 14,
    "verward-gedrag-verslaving": 12,
    "verzamelwoede": 6,
    "ernstige-vervuiling": 7,
    "veel-huisdieren": 5,
    "overig": 4,
}
DESCRIPTIONS = {
    "geluidsoverlast": [
        "Buren melden harde muziek en geschreeuw, vooral 's avonds en in het weekend.",
        "Geluidsoverlast door bonken en slaan op de muren, meerdere keren per week.",
        "Meerdere bewoners in de straat ervaren overlast van luide feesten.",
    ],
    "zorgcomponent": [
        "Bewoner lijkt de zorg voor zichzelf niet meer aan te kunnen; de buren maken zich zorgen.",
        "Oudere bewoner met beginnende dementie veroorzaakt 's nachts geluidsoverlast.",
    ],
    "wederzijdse-beschuldigingen": [
        "Bovenburen en benedenburen beschuldigen elkaar over en weer van overlast.",
        "Langlopend conflict tussen twee buren over geluid en parkeren.",
    ],
    "verward-gedrag-verslaving": [
        "Bewoner vertoont verward gedrag in het portiek; vermoedelijk middelengebruik.",
        "Veel aanloop aan de woning en vermoedelijk drugsgebruik.",
    ],
    "verzamelwoede": [
        "Woning staat vol met spullen; buren klagen over stank en brandgevaar.",
    ],
    "ernstige-vervuiling": [
        "Ernstig vervuilde woning; ongedierte verspreidt zich naar de buren.",
    ],
    "veel-huisdieren": [
        "Bewoner houdt veel katten; stankoverlast in het trappenhuis.",
        "Hondengeblaf en uitwerpselen op het balkon leiden tot hygiënische overlast.",
    ],
    "overig": [
        "Overlast door afval en spullen op de galerij.",
    ],
}
ACTION_NOTES = {
    ActionType.CONVERSATION: "Gesprek gevoerd met de betrokkenen; afspraken gemaakt.",
    ActionType.CARE: "Zorg geregeld via het wijkteam.",
    ActionType.CLEANING: "Schoonmaakbedrijf ingeschakeld; woning is schoongemaakt.",
    ActionType.SHELTER: "Tijdelijk onderdak geregeld tijdens de schoonmaak.",
    ActionType.MEDIATION: "Aangemeld bij buurtbemiddeling; eerste gesprek gepland.",
    ActionType.PARTNER_MEETING: "Casus besproken in het overleg met politie en corporatie.",
    ActionType.WARNING: "Schriftelijke waarschuwing verstuurd.",
    ActionType.BEHAVIOURAL_ORDER: "Voorstel gedragsaanwijzing voorgelegd aan de burgemeester.",
    ActionType.ENFORCEMENT: "Last onder dwangsom opgelegd.",
    ActionType.OTHER: "Overige actie vastgelegd.",
}
ACTION_WEIGHTS = {
    ActionType.CONVERSATION: 30,
    ActionType.HOME_VISIT: 22,
    ActionType.CARE: 10,
    ActionType.PARTNER_MEETING: 12,
    ActionType.MEDIATION: 8,
    ActionType.WARNING: 6,
    ActionType.CLEANING: 4,
    ActionType.SHELTER: 2,
    ActionType.BEHAVIOURAL_ORDER: 2,
    ActionType.ENFORCEMENT: 1,
    ActionType.OTHER: 3,
}
VISIT_FINDINGS = [
    "Woning is rommelig maar niet vervuild; bewoner staat open voor hulp.",
    "Ernstige vervuiling in keuken en badkamer; schoonmaak nodig.",
    "Geen overlast waargenomen tijdens het bezoek.",
    "Bewoner was verward; contact gezocht met de GGD.",
    "Veel spullen in de gang en op het balkon; vluchtweg geblokkeerd.",
]


@dataclass(frozen=True)
class CasePlan:
    """When a demo case is registered and what its status history looks like."""

    district: str
    housing_type: str
    registered_on: datetime.date
    # Status changes after registration: (date, "close" | "reopen").
    changes: tuple[tuple[datetime.date, str], ...]


@dataclass(frozen=True)
class DemoSet:
    """What an app's part of the demo set builds on: the builder's random generator (each
    part draws from it in turn, so the set stays the same), the last day, the demo users by
    username and the casemanagers the cases went to."""

    rng: random.Random
    until: datetime.date
    people: dict
    workers: list


# name -> part(DemoSet) returning a progress message or None, in the order registered.
_demo_parts: dict[str, Callable[[DemoSet], str | None]] = {}
# name -> extra() returning a message or None: run by `manage.py demo_laden` each time it runs.
_demo_extras: dict[str, Callable[[], str | None]] = {}


def register_demo_part(name: str, part: Callable[[DemoSet], str | None]) -> None:
    """Add (or replace) an app's part of the demo set, made after the cases."""
    _demo_parts[name] = part


def register_demo_extra(name: str, extra: Callable[[], str | None]) -> None:
    """Add (or replace) something `manage.py demo_laden` loads every time, also when the
    cases are already there."""
    _demo_extras[name] = extra


def demo_extras_load() -> list[str]:
    """Run the registered extras; their messages."""
    return [message for extra in _demo_extras.values() if (message := extra())]


class DemoBuilder:
    def __init__(self, *, seed: int = SEED, until: datetime.date | None = None):
        self.rng = random.Random(seed)
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.until = until or today()

    # -- plans -----------------------------------------------------------------------------

    def _date_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        last = min(last, self.until)
        if last <= first:
            return first
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def _after(self, start: datetime.date, min_days: int, max_days: int) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(min_days, max_days))

    def plans_2023(self) -> list[CasePlan]:
        """Plans whose status on 31-12-2023 is exactly PUBLISHED_2023, cell by cell."""
        year_start, year_end = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)
        plans = []
        for district, counts in PUBLISHED_2023.items():
            for index, housing_type in enumerate(HOUSING_TYPES):
                open_count, closed_count = counts[2 * index], counts[2 * index + 1]
                for _ in range(closed_count):
                    registered = self._date_between(year_start, year_end - datetime.timedelta(7))
                    closed = min(self._after(registered, 7, 200), year_end)
                    changes = [(closed, "close")]
                    if self.rng.random() < 0.08:  # reopened in 2024: stays afgerond in 2023
                        reopened = self._after(year_end, 10, 60)
                        changes.append((reopened, "reopen"))
                        if self.rng.random() < 0.7:
                            changes.append((self._after(reopened, 20, 120), "close"))
                    plans.append(CasePlan(district, housing_type, registered, tuple(changes)))
                for _ in range(open_count):
                    registered = self._date_between(datetime.date(2023, 6, 1), year_end)
                    # Most close in 2024 (lopend on 31-12-2023); a few run on until today.
                    changes = ()
                    if self.rng.random() < 0.9:
                        changes = ((self._after(year_end, 1, 150), "close"),)
                    plans.append(CasePlan(district, housing_type, registered, changes))
        self._pin_2023_boundaries(plans)
        return plans

    def _pin_2023_boundaries(self, plans: list[CasePlan]) -> None:
        """Put a few cases exactly on the year's edges, where counting mistakes show."""
        closed = [i for i, p in enumerate(plans) if p.changes and p.changes[0][0].year == 2023]
        still_open = [i for i, p in enumerate(plans) if i not in closed]
        first_closed, last_closed = closed[0], closed[1]
        plans[first_closed] = CasePlan(  # registered on New Year's Day, closed the same day
            plans[first_closed].district,
            plans[first_closed].housing_type,
            datetime.date(2023, 1, 1),
            ((datetime.date(2023, 1, 1), "close"),),
        )
        plans[last_closed] = CasePlan(  # closed on the reference date itself
            plans[last_closed].district,
            plans[last_closed].housing_type,
            plans[last_closed].registered_on,
            ((datetime.date(2023, 12, 31), "close"),),
        )
        plans[still_open[0]] = CasePlan(  # registered on the last day, closed on 2 January
            plans[still_open[0]].district,
            plans[still_open[0]].housing_type,
            datetime.date(2023, 12, 31),
            ((datetime.date(2024, 1, 2), "close"),),
        )

    def plans_for_year(self, year: int, count: int) -> list[CasePlan]:
        """Cases of another year, spread over wijken and housing types like 2023."""
        cells = [
            (district, housing_type, counts[2 * i] + counts[2 * i + 1])
            for district, counts in PUBLISHED_2023.items()
            for i, housing_type in enumerate(HOUSING_TYPES)
        ]
        weights = [max(weight, 1) for _, _, weight in cells]
        plans = []
        year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if year_start > self.until:
            return plans
        if year_end > self.until:  # the current year: only as far as it has come
            elapsed = (self.until - year_start).days + 1
            count = count * elapsed // 365
        for district, housing_type, _ in self.rng.choices(cells, weights, k=count):
            registered = self._date_between(year_start, year_end)
            changes = []
            # Most cases close within a year; a few complex ones run on.
            old_enough = registered < self.until - datetime.timedelta(days=365)
            if self.rng.random() < (0.97 if old_enough else 0.85):
                closed = self._after(registered, 14, 320)
                if closed <= self.until:
                    changes.append((closed, "close"))
                    if self.rng.random() < 0.05:
                        reopened = self._after(closed, 14, 90)
                        if reopened <= self.until:
                            changes.append((reopened, "reopen"))
            plans.append(CasePlan(district, housing_type, registered, tuple(changes)))
        return plans

    def all_plans(self) -> list[CasePlan]:
        plans = self.plans_2023()
        for year, count in OTHER_YEARS.items():
            plans.extend(self.plans_for_year(year, count))
        plans.sort(key=lambda plan: plan.registered_on)
        return plans

    # -- building --------------------------------------------------------------------------

    def users(self):
        User = get_user_model()
        people = {}
        for username, first, last, role in DEMO_LOGINS + DEMO_COLLEAGUES:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@woonoverlast.example",
                    "is_staff": role == Role.TEAMLEIDER,
                },
            )
            if created:
                if (username, first, last, role) in DEMO_LOGINS:
                    user.set_password(DEMO_PASSWORD)
                else:
                    user.set_unusable_password()
                user.save()
            user.groups.add(Group.objects.get(name=role))
            people[username] = user
        return people

    def build(self, progress: Callable[[str], None] = lambda message: None) -> int:
        people = self.users()
        workers = [people[name] for name in ("casemanager", "m.bakker", "y.elamrani", "j.visser")]
        workers.append(people["l.dekker"])
        districts = {district.name: district for district in District.objects.all()}
        categories = {category.code: category for category in Category.objects.all()}
        partners = list(Partner.objects.filter(is_active=True))
        corporations = [
            HousingCorporation.objects.get_or_create(name=name, defaults={"display_order": i})[0]
            for i, name in enumerate(CORPORATIONS)
        ]
        plans = self.all_plans()
        for number, plan in enumerate(plans, start=1):
            # A case's whole history at once: its derived columns refreshed once, at the end.
            with case_refreshes_batched():
                self._build_case(plan, districts, categories, partners, corporations, workers)
            if number % 250 == 0:
                progress(f"{number} van {len(plans)} casussen aangemaakt")
        # The parts of the apps built on cases: binnengekomen meldingen, maatregelen, the
        # casusoverleg (none of them changes a case's status, so Tabel 5.1 stays exact).
        demo = DemoSet(rng=self.rng, until=self.until, people=people, workers=workers)
        for part in _demo_parts.values():
            message = part(demo)
            if message:
                progress(message)
        return len(plans)

    def _build_case(self, plan, districts, categories, partners, corporations, workers):
        rng, fake = self.rng, self.fake
        codes = rng.sample(list(CATEGORY_WEIGHTS), k=rng.choice((1, 1, 1, 2, 2, 3)))
        codes.sort(key=lambda code: -CATEGORY_WEIGHTS[code] * rng.random())
        case_partners = rng.sample(partners, k=rng.choice((0, 1, 1, 2, 3)))
        casemanager = rng.choice(workers)
        area = rng.choice(POSTCODE_AREAS[plan.district])
        letters = rng.choice("ABCDEGHJKLMNPRTVWXZ") + rng.choice("ABCDEGHJKLMNPRTVWXZ")
        case = services.case_register(
            district=districts[plan.district],
            housing_type=plan.housing_type,
            corporation=(
                rng.choice(corporations) if plan.housing_type == HousingType.CORPORATIE else None
            ),
            registered_on=plan.registered_on,
            street=fake.street_name(),
            house_number=rng.randint(1, 250),
            house_number_addition=rng.choice(["", "", "", "A", "B", "2"]),
            postcode=f"{area} {letters}",
            categories=[categories[code] for code in codes],
            description=rng.choice(DESCRIPTIONS[codes[0]]),
            casemanager=casemanager,
            complexity=Complexity.COMPLEX if len(case_partners) >= 2 else Complexity.SIMPLE,
            partners=case_partners,
            first_melding_text=rng.choice(DESCRIPTIONS[codes[0]]),
            first_melding_source=rng.choice(list(MeldingSource.values)),
            by=casemanager,
        )
        self._add_parties(case)
        last_day = min((plan.changes[-1][0] if plan.changes else self.until), self.until)
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            services.melding_add(
                case,
                received_on=self._date_between(plan.registered_on, last_day),
                source=rng.choice(list(MeldingSource.values)),
                text=rng.choice(DESCRIPTIONS[rng.choice(codes)]),
                by=casemanager,
            )
        self._add_actions(case, plan, casemanager, last_day)
        for on, change in plan.changes:
            if on > self.until:  # the rest of this history has not happened yet
                break
            if change == "close":
                services.case_close(
                    case,
                    on=on,
                    reason=rng.choices(list(ClosingReason.values), weights=(55, 15, 12, 10, 8))[0],
                    by=casemanager,
                )
            else:
                services.case_reopen(
                    case, on=on, reason="Nieuwe meldingen van de buren ontvangen.", by=casemanager
                )

    def _add_parties(self, case: Case) -> None:
        rng, fake = self.rng, self.fake
        roles = [PartyRole.REPORTER, PartyRole.RESPONDENT]
        if rng.random() < 0.3:
            roles.append(PartyRole.INVOLVED)
        for role in roles:
            first, last = fake.first_name(), _last_name(fake)
            services.party_add(
                case,
                role=role,
                name=f"{first} {last}",
                phone=fake.phone_number() if rng.random() < 0.8 else "",
                email=_email_address(first, last, fake.free_email_domain())
                if rng.random() < 0.4
                else "",
                by=case.created_by,
            )

    def _add_actions(self, case, plan, casemanager, last_day) -> None:
        rng = self.rng
        action_types = list(ACTION_WEIGHTS)
        weights = list(ACTION_WEIGHTS.values())
        for _ in range(rng.randint(1, 7)):
            action_type = rng.choices(action_types, weights)[0]
            performed_on = self._date_between(plan.registered_on, last_day)
            follow_up_on = None
            if rng.random() < 0.35:
                follow_up_on = self._after(performed_on, 7, 42)
            visit = action_type == ActionType.HOME_VISIT
            action = services.action_log(
                case,
                action_type=action_type,
                performed_on=performed_on,
                notes="" if visit else ACTION_NOTES[action_type],
                follow_up_on=follow_up_on,
                present=(
                    f"{casemanager}, bewoner" + (", wijkagent" if rng.random() < 0.3 else "")
                    if visit
                    else ""
                ),
                findings=rng.choice(VISIT_FINDINGS) if visit else "",
                by=casemanager,
            )
            # Follow-ups due more than three weeks ago were dealt with on time; the recent
            # ones are still open, so that termijnbewaking has something to show.
            if follow_up_on and follow_up_on < self.until - FOLLOW_UPS_OPEN_FOR:
                services.followup_complete(action, on=follow_up_on, by=casemanager)


def _last_name(fake: Faker) -> str:
    # Faker's Dutch list has a few names written "Bourgondië, van"; write them as people do.
    name = fake.last_name()
    if ", " in name:
        surname, prefix = name.split(", ", 1)
        name = f"{prefix} {surname}"
    return name


def _email_address(first: str, last: str, domain: str) -> str:
    local = unicodedata.normalize("NFKD", f"{first}.{last}".lower())
    local = re.sub(r"[^a-z0-9.-]", "", local.encode("ascii", "ignore").decode())
    return f"{local}@{domain}"


@transaction.atomic
def load_demo(progress: Callable[[str], None] = lambda message: None) -> int:
    """Fill an empty database with the demo set; returns the number of cases created.

    The demo users are (re)created every time; the cases only when there are none yet, so
    running it twice does not double anything.
    """
    builder = DemoBuilder()
    if Case.objects.exists():
        builder.users()
        return 0
    return builder.build(progress)
