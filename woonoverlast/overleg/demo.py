"""Demo casusoverleg: three partner organisations under convenanten of different categories,
the `ketenpartner` login as a contact of the corporatie, a past overleg with its bespreking and
afspraken and one this week with cases on its agenda. It only adds actions to open cases
registered this year or last (no case is created, closed or changed, so Tabel 5.1 of 2023
reads exactly as before)."""

import datetime

from woonoverlast.cases.choices import Status
from woonoverlast.cases.models import Case, Partner

from . import services
from .choices import DataCategory, PartnerKind
from .models import Contact, Covenant, Meeting, Organisation

DAY = datetime.timedelta(days=1)

ORGANISATIONS = [
    # name, kind, reference list entry, categories, contact persons (name, function)
    (
        "Vidomes",
        PartnerKind.CORPORATIE,
        "Woningcorporatie",
        [DataCategory.ADDRESS, DataCategory.COURSE, DataCategory.MEASURES],
        [("Karin Smit", "Consulent leefbaarheid")],
    ),
    (
        "Politie Zoetermeer",
        PartnerKind.POLITIE,
        "Politie",
        [DataCategory.ADDRESS, DataCategory.MEASURES],
        [("Erik Jansen", "Wijkagent Meerzicht")],
    ),
    (
        "GGZ Delfland",
        PartnerKind.ZORG,
        "Zorgaanbieder",
        [DataCategory.ADDRESS, DataCategory.COURSE, DataCategory.CARE],
        [("Fatima Ouali", "Sociaal psychiatrisch verpleegkundige")],
    ),
]


def _organisations(*, teamleader, partner_user, today):
    contacts = []
    for name, kind, reference, categories, people in ORGANISATIONS:
        organisation = services.organisation_save(
            Organisation(
                name=name, kind=kind, reference=Partner.objects.filter(name=reference).first()
            ),
            by=teamleader,
        )
        services.covenant_save(
            Covenant(
                organisation=organisation,
                title=f"Convenant aanpak woonoverlast {name}",
                valid_from=datetime.date(today.year - 1, 1, 1),
                valid_until=datetime.date(today.year + 2, 12, 31),
                categories=categories,
            ),
            by=teamleader,
        )
        for person, function in people:
            user = partner_user if kind == PartnerKind.CORPORATIE else None
            contacts.append(
                services.contact_save(
                    Contact(
                        organisation=organisation,
                        name=person,
                        function=function,
                        email=f"{person.split()[0].lower()}@{kind}.example",
                        user=user,
                    ),
                    by=teamleader,
                )
            )
    return contacts


def _cases(today, count, skip=0):
    """Open cases registered this year or last, the same ones on every machine."""
    return list(
        Case.objects.filter(status=Status.OPEN, registered_on__year__gte=today.year - 1)
        .filter(registered_on__lte=today - 30 * DAY)
        .order_by("registered_on", "reference")[skip : skip + count]
    )


def add_demo_overleg(*, casemanager, teamleader, partner_user, today: datetime.date) -> int:
    """Add the demo overleggen; returns how many. Nothing when there are any already."""
    if Meeting.objects.exists() or Organisation.objects.exists():
        return 0
    contacts = _organisations(teamleader=teamleader, partner_user=partner_user, today=today)
    corporatie = contacts[0].organisation
    questions = [
        "De overlast houdt aan ondanks de waarschuwing. Wat kunnen de partners doen?",
        "Bewoner weigert hulp. Is er bij een partner al contact?",
        "Buren melden dreiging. Wat weet de politie, wat kan de corporatie?",
    ]

    def meeting(held_on, cases):
        made = services.meeting_create(
            held_on=held_on,
            chair=teamleader,
            participants=[teamleader, casemanager],
            partner_contacts=contacts,
            by=teamleader,
        )
        items = [
            services.agenda_propose(meeting=made, case=case, question=question, by=casemanager)
            for case, question in zip(cases, questions, strict=False)
        ]
        services.agenda_set(meeting=made, accepted=[item.pk for item in items], by=teamleader)
        for item in items:
            item.refresh_from_db()
        return made, items

    _past, past_items = meeting(today - 10 * DAY, _cases(today, 2))
    first, second = past_items
    services.item_record_minutes(
        item=first,
        minutes="Corporatie heeft een waarschuwingsbrief gestuurd; politie rijdt extra langs. "
        "De bewoner staat open voor een gesprek met de GGZ.",
        by=teamleader,
    )
    services.item_record_minutes(
        item=second,
        minutes="Geen verbetering. Eerst een huisbezoek samen met de corporatie.",
        by=teamleader,
    )
    done = services.agreement_add(
        item=first,
        text="Gesprek met de huurder over het huurcontract",
        due_on=today - 3 * DAY,
        owner_organisation=corporatie,
        owner_contact=contacts[0],
        by=teamleader,
    )
    services.agreement_complete(
        done,
        on=today - 4 * DAY,
        note="Gesprek gevoerd, huurder belooft beterschap.",
        by=partner_user,
    )
    services.agreement_add(
        item=second,
        text="Huisbezoek samen met de casemanager plannen",
        due_on=today - 1 * DAY,
        owner_organisation=corporatie,
        by=teamleader,
    )
    services.agreement_add(
        item=first,
        text="Aanmelden bij de GGZ bespreken met de bewoner",
        due_on=today + 7 * DAY,
        owner_user=casemanager,
        by=teamleader,
    )
    services.agreement_add(
        item=second,
        text="Melding bij Veilig Thuis overwegen",
        due_on=today + 14 * DAY,
        owner_organisation=contacts[2].organisation,
        by=teamleader,
    )
    # This week's: the next one, with the past one's open afspraken at its start.
    meeting(today + 2 * DAY, _cases(today, 3, skip=2))
    return 2


def demo_part(demo) -> str:
    """The casusoverleg of the demo set (cases.demo.register_demo_part); it adds actions to
    open cases only, so not Tabel 5.1 either."""
    made = add_demo_overleg(
        casemanager=demo.people["casemanager"],
        teamleader=demo.people["teamleider"],
        partner_user=demo.people["ketenpartner"],
        today=demo.until,
    )
    return f"{made} casusoverleggen aangemaakt"
