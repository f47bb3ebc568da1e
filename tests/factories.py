"""Test data built through the services, so that every case has its status history."""

import datetime

import factory
from django.contrib.auth.models import Group
from faker import Faker

from woonoverlast.accounts.models import User
from woonoverlast.accounts.roles import Role
from woonoverlast.cases import services
from woonoverlast.cases.choices import ActionType, ClosingReason, HousingType
from woonoverlast.cases.models import Case, District

fake = Faker("nl_NL")


def _plain(name: str) -> str:
    """A generated Dutch name without its apostrophe ("van 't Hof", "d' Heripon"): tests look
    for names in rendered pages, where Django escapes the apostrophe, so a name drawn with one
    made them fail by chance. Escaping itself is tested with names chosen for it."""
    return name.replace("'", "")


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.LazyFunction(lambda: _plain(fake.first_name()))
    last_name = factory.LazyFunction(lambda: _plain(fake.last_name()))
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("geheim-wachtwoord")

    class Meta:
        model = User
        skip_postgeneration_save = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """UserFactory(role=Role.CASEMANAGER) puts the user in that role's group."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


def casemanager(**kwargs) -> User:
    return UserFactory(role=Role.CASEMANAGER, **kwargs)


def teamleider(**kwargs) -> User:
    return UserFactory(role=Role.TEAMLEIDER, **kwargs)


def rapportage(**kwargs) -> User:
    return UserFactory(role=Role.RAPPORTAGE, **kwargs)


def district(name: str = "Centrum") -> District:
    return District.objects.get(name=name)


class CaseFactory(factory.Factory):
    """CaseFactory(closed_on=date) closes it; reopened_on=date reopens it after that."""

    district = factory.LazyFunction(lambda: District.objects.get(name="Centrum"))
    housing_type = HousingType.KOOP
    registered_on = datetime.date(2023, 3, 1)
    street = factory.LazyFunction(fake.street_name)
    house_number = factory.Sequence(lambda n: n % 300 + 1)
    postcode = "2711 AB"
    by = None
    closed_on = None
    reopened_on = None

    class Meta:
        model = Case

    @classmethod
    def _create(cls, model_class, *args, closed_on=None, reopened_on=None, **kwargs):
        case = services.case_register(**kwargs)
        if closed_on:
            services.case_close(case, on=closed_on, reason=ClosingReason.RESOLVED, by=None)
        if reopened_on:
            services.case_reopen(case, on=reopened_on, reason="Nieuwe meldingen", by=None)
        return case


def action(case: Case, **kwargs):
    kwargs.setdefault("action_type", ActionType.CONVERSATION)
    kwargs.setdefault("performed_on", case.registered_on)
    kwargs.setdefault("by", None)
    return services.action_log(case, **kwargs)


def intake_melding(**kwargs):
    """A binnengekomen melding from the public form, through the service."""
    from woonoverlast.intake import services as intake_services

    kwargs.setdefault("source", "formulier")
    kwargs.setdefault("text", "Elke nacht harde muziek.")
    kwargs.setdefault("street", "Dorpsstraat")
    kwargs.setdefault("postcode", "2711 AB")
    kwargs.setdefault("house_number", 12)
    melding, _ = intake_services.intake_melding_receive(**kwargs)
    return melding


def koppeling(**kwargs) -> User:
    return UserFactory(role=Role.KOPPELING, **kwargs)


def respondent(case: Case, **kwargs):
    """A veroorzaker of `case` (a maatregel is aimed at one)."""
    from woonoverlast.cases.choices import PartyRole

    kwargs.setdefault("role", PartyRole.RESPONDENT)
    kwargs.setdefault("name", _plain(fake.name()))
    kwargs.setdefault("by", None)
    return services.party_add(case, **kwargs)


def measure(case: Case | None = None, *, by, kind: str = "gedragsaanwijzing_dwangsom", **kwargs):
    """A maatregel against a new veroorzaker of `case` (a new open case by default)."""
    from woonoverlast.measures.services import measure_start

    case = case or CaseFactory()
    kwargs.setdefault("on", case.registered_on)
    return measure_start(case=case, respondent=respondent(case), kind=kind, by=by, **kwargs)


def with_looptijd(m, step: str, data: dict) -> dict:
    """`data` for a besluit_genomen of a gedragsaanwijzing that states no looptijd: explicitly
    onbepaald with a reason, as services._check_duration requires (tests that are not about
    the looptijd)."""
    from woonoverlast.measures.choices import BEHAVIOURAL_ORDERS, MeasureKind, Step

    if (
        step == Step.DECISION
        and m.kind in (*BEHAVIOURAL_ORDERS, MeasureKind.OTHER)
        and "duration_months" not in data
        and "duration_indefinite" not in data
    ):
        return {**data, "duration_indefinite": True, "indefinite_reason": "Structurele overlast"}
    return data
