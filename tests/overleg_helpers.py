"""Builders for the casusoverleg tests: organisations with convenanten, partner accounts, a
meeting with its agenda set, and a verified (two-factor) log-in of a partner."""

import datetime

from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import CaseFactory, UserFactory, action, casemanager, measure, teamleider
from woonoverlast.accounts.roles import Role
from woonoverlast.cases.choices import ActionType
from woonoverlast.cases.models import Category
from woonoverlast.overleg import services
from woonoverlast.overleg.choices import DataCategory, PartnerKind
from woonoverlast.overleg.models import Contact, Covenant, Organisation

ALL = list(DataCategory.values)
# Texts that belong to one category each: a test looks for them where they must (not) be.
SUMMARY = "Harde muziek elke nacht bij samenvattingsmarker"
CARE_NOTE = "Aangemeld bij GGZ zorgmarker"


def organisation(
    name, kind=PartnerKind.CORPORATIE, *, categories, valid_from=None, valid_until=None
):
    organisation = Organisation.objects.create(name=name, kind=kind)
    if categories is not None:
        Covenant.objects.create(
            organisation=organisation,
            title=f"Convenant {name}",
            valid_from=valid_from or datetime.date(2020, 1, 1),
            valid_until=valid_until,
            categories=categories,
        )
    return organisation


def partner_user(organisation, *, name="Contact"):
    user = UserFactory(role=Role.KETENPARTNER)
    contact = Contact.objects.create(organisation=organisation, name=name, user=user)
    return user, contact


def rich_case():
    """An open case with something in every category: address and summary, course (a
    conversation), a maatregel, and care (a zorg category and a care action with a note)."""
    case = CaseFactory(
        description=SUMMARY,
        categories=[
            Category.objects.get(code="geluidsoverlast"),
            Category.objects.get(code="zorgcomponent"),
        ],
    )
    action(case, action_type=ActionType.CONVERSATION)
    action(case, action_type=ActionType.CARE, notes=CARE_NOTE)
    measure(case, by=teamleider())
    return case


def meeting_with_agenda(*, held_on, contacts, cases, chair=None):
    chair = chair or casemanager()
    meeting = services.meeting_create(
        held_on=held_on, chair=chair, partner_contacts=contacts, participants=[chair], by=chair
    )
    items = [
        services.agenda_propose(
            meeting=meeting, case=case, question=f"Vraag over {case.reference}", by=chair
        )
        for case in cases
    ]
    services.agenda_set(meeting=meeting, accepted=[item.pk for item in items], by=chair)
    meeting.refresh_from_db()
    for item in items:
        item.refresh_from_db()
    return meeting, items


def verified_login(client, user):
    """Log in as a user who has passed the two-factor step (as the log-in form does)."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device


def ensure_group():
    Group.objects.get_or_create(name=Role.KETENPARTNER)
