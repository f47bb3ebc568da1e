"""Every route of the REST API, for every role and for callers without credentials.

The table must name every route of the `api` URL namespace (a test walks the URL conf), so a
new endpoint cannot ship without saying who may use it. Values: the expected status. A POST or
PATCH is sent with an empty body: a caller who is let in gets 400 (the fields are missing), one
who is refused 401/403, and nothing is stored either way.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.urls import URLResolver, get_resolver, resolve, reverse
from rest_framework.test import APIClient

from tests.api_helpers import token_client
from tests.factories import CaseFactory, UserFactory, intake_melding
from woonoverlast.accounts.roles import Role
from woonoverlast.api.permissions import RolePermission
from woonoverlast.archiving.choices import ListKind
from woonoverlast.archiving.models import DestructionList
from woonoverlast.cases.choices import PartyRole
from woonoverlast.cases.models import Action, Case, Melding, Party
from woonoverlast.cases.services import party_add
from woonoverlast.intake.models import IntakeMelding
from woonoverlast.measures.choices import MeasureKind
from woonoverlast.measures.models import Measure, MeasureStep
from woonoverlast.measures.services import measure_start

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ROLES = [
    ANONYMOUS,
    Role.CASEMANAGER,
    Role.TEAMLEIDER,
    Role.RAPPORTAGE,
    Role.KOPPELING,
    Role.ARCHIVARIS,
    Role.KETENPARTNER,
]
# A ketenpartner (a partner organisation's contact) sees /partner/ only: 403 on every route.
NO_API = {Role.KETENPARTNER: 403}


def everyone(status):
    return {**{role: status for role in ROLES}, **NO_API}


def signed_in(status):
    """The team's roles; a koppeling only reaches its own two routes, the archivaris (the
    archive procedure, on its screens) none."""
    return {
        ANONYMOUS: 401,
        **{role: status for role in ROLES[1:]},
        Role.KOPPELING: 403,
        Role.ARCHIVARIS: 403,
        **NO_API,
    }


def case_work(status=200):
    """Cases and personal data: casemanagers and team leaders; never rapportage."""
    return {
        ANONYMOUS: 401,
        Role.CASEMANAGER: status,
        Role.TEAMLEIDER: status,
        Role.RAPPORTAGE: 403,
        Role.KOPPELING: 403,
        Role.ARCHIVARIS: 403,
        **NO_API,
    }


def archivaris_only(status):
    """The vernietigingslijsten: the archivaris, no other role (team leaders review them on
    their screens)."""
    return {**{role: 403 for role in ROLES}, ANONYMOUS: 401, Role.ARCHIVARIS: status}


def koppeling_only(status):
    """The partners' meldingen: koppelingen only, no role of the team."""
    return {**{role: 403 for role in ROLES}, ANONYMOUS: 401, Role.KOPPELING: status}


@dataclass
class Route:
    name: str
    methods: dict  # method -> {role: expected status}
    kwargs: callable = field(default=lambda world: {})


def case(world):
    return {"referentie": world["case"].reference}


API_ROUTES = [
    Route("api:schema", {"GET": everyone(200)}),
    Route("api:docs", {"GET": everyone(200)}),
    Route("api:casussen", {"GET": case_work(), "POST": case_work(400)}),
    Route("api:casus", {"GET": case_work(), "PATCH": case_work(400)}, kwargs=case),
    Route("api:afsluiten", {"POST": case_work(400)}, kwargs=case),
    Route("api:heropenen", {"POST": case_work(400)}, kwargs=case),
    Route("api:acties", {"GET": case_work(), "POST": case_work(400)}, kwargs=case),
    Route("api:meldingen", {"GET": case_work(), "POST": case_work(400)}, kwargs=case),
    Route("api:betrokkenen", {"GET": case_work(), "POST": case_work(400)}, kwargs=case),
    Route("api:maatregelen", {"GET": case_work(), "POST": case_work(400)}, kwargs=case),
    Route("api:maatregel", {"GET": case_work()}, kwargs=lambda world: {"pk": world["measure"].pk}),
    Route(
        "api:stappen",
        {"POST": case_work(400)},
        kwargs=lambda world: {"pk": world["measure"].pk},
    ),
    Route(
        "api:geadresseerden",
        {"POST": case_work(400)},
        kwargs=lambda world: {"pk": world["measure"].pk},
    ),
    Route("api:maatregelen_jaar", {"GET": signed_in(400)}),
    Route("api:wijken", {"GET": signed_in(200)}),
    Route("api:categorieen", {"GET": signed_in(200)}),
    # Without ?jaar= a 400 for whoever is let in.
    Route("api:tabel51", {"GET": signed_in(400)}),
    Route("api:not_found", {"GET": everyone(404)}),
    Route("api:vernietigingslijsten", {"GET": archivaris_only(200)}),
    Route(
        "api:vernietigingslijst",
        {"GET": archivaris_only(200)},
        kwargs=lambda world: {"pk": world["destruction_list"].pk},
    ),
    Route("api:intake_meldingen", {"POST": koppeling_only(400)}),
    # Another koppeling's melding, or none: 404 (the client's koppeling is a new one).
    Route(
        "api:intake_melding",
        {"GET": koppeling_only(404)},
        kwargs=lambda world: {"referentie": world["incoming"].reference},
    ),
]


def api_route_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from api_route_names(pattern.url_patterns, inner)
        elif namespace.startswith("api:"):
            assert pattern.name, f"API route {pattern.pattern} has no name"
            yield f"{namespace}{pattern.name}", pattern


def test_the_table_names_every_api_route():
    assert {name for name, _ in api_route_names()} == {route.name for route in API_ROUTES}


@pytest.mark.parametrize(("name", "pattern"), list(api_route_names()), ids=lambda v: str(v))
def test_every_api_view_sets_its_permissions_and_every_post_is_idempotent(name, pattern):
    view = pattern.callback.view_class
    if name in ("api:schema", "api:docs", "api:not_found"):
        return  # public: the schema and its documentation hold no data
    assert view.permission_classes, name
    assert RolePermission not in view.permission_classes, f"{name} keeps the refuse-all default"
    if hasattr(view, "post"):
        assert getattr(view.post, "idempotent", False), f"{name}: decorate post with @idempotent"


@pytest.fixture
def world():
    case = CaseFactory()
    respondent = party_add(case, role=PartyRole.RESPONDENT, name="V. Oorzaker", by=None)
    measure = measure_start(
        case=case,
        respondent=respondent,
        kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY,
        on=case.registered_on,
        by=UserFactory(role=Role.CASEMANAGER),
    )
    return {
        "case": case,
        "closed_case": CaseFactory(closed_on=datetime.date(2023, 6, 1)),
        "measure": measure,
        "incoming": intake_melding(),
        "destruction_list": DestructionList.objects.create(
            kind=ListKind.CASES, proposed_on=datetime.date(2026, 1, 1)
        ),
    }


def _client(role):
    return APIClient() if role == ANONYMOUS else token_client(UserFactory(role=role))


def _counts():
    return tuple(
        model.objects.count()
        for model in (Case, Action, Melding, Party, Measure, MeasureStep, IntakeMelding)
    )


CASES = [
    (route, method, role) for route in API_ROUTES for method in route.methods for role in ROLES
]


@pytest.mark.parametrize(
    ("route", "method", "role"), CASES, ids=lambda v: getattr(v, "name", str(v))
)
def test_api_access(world, route, method, role):
    client = _client(role)
    path = reverse(route.name, kwargs=route.kwargs(world))
    if route.name == "api:not_found":
        path = "/api/v1/bestaat-niet/"
    before = _counts()
    response = getattr(client, method.lower())(path, {}, format="json")
    assert response.status_code == route.methods[method][role], response.content
    if method != "GET":
        assert _counts() == before
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"


def test_routes_resolve_under_api_v1():
    assert resolve("/api/v1/casussen/").url_name == "casussen"


# -- the closed-case rule in every branch of the search (issue 27) -----------------------------


@pytest.mark.parametrize(
    "text",
    ["Geheimweg", "geheimweg 7", "Geheimweg 7A", "2799 ZZ", "2799zz", "2799 ZZ 7", "2799ZZ7a"],
)
def test_a_shut_out_casemanager_does_not_find_a_closed_case_by_address(text):
    owner = UserFactory(role=Role.CASEMANAGER)
    hidden = CaseFactory(
        street="Geheimweg",
        house_number=7,
        house_number_addition="A",
        postcode="2799 ZZ",
        # Inside the working term (RETENTION_MONTHS), where the lists still find it.
        closed_on=datetime.date.today() - datetime.timedelta(days=30),
        registered_on=datetime.date.today() - datetime.timedelta(days=60),
        casemanager=owner,
    )

    def found(user, q):
        response = token_client(user).get(reverse("api:casussen"), {"q": q})
        assert response.status_code == 200, response.content
        return {row["referentie"] for row in response.json()["results"]}

    assert found(UserFactory(role=Role.TEAMLEIDER), text) == {hidden.reference}
    assert found(owner, text) == {hidden.reference}
    outsider = UserFactory(role=Role.CASEMANAGER)
    assert found(outsider, text) == set()
    assert found(outsider, hidden.reference) == {hidden.reference}


@pytest.fixture
def closed_world():
    """A case closed by its casemanager, with a veroorzaker and a maatregel."""
    owner = UserFactory(role=Role.CASEMANAGER)
    case = CaseFactory(casemanager=owner, registered_on=datetime.date(2023, 1, 2))
    respondent = party_add(case, role=PartyRole.RESPONDENT, name="V. Oorzaker", by=None)
    melder = party_add(case, role=PartyRole.REPORTER, name="M. Elder", by=None)
    measure = measure_start(
        case=case,
        respondent=respondent,
        kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY,
        on=datetime.date(2023, 1, 3),
        by=owner,
    )
    from woonoverlast.cases.services import case_close

    case_close(case, on=datetime.date(2023, 6, 1), reason="opgelost", by=None)
    return {"case": case, "respondent": respondent, "melder": melder, "measure": measure}


def _closed_case(w):
    return {"referentie": w["case"].reference}


# Every write route of a case, with a body that would pass the body's own checks: what the
# answer said about the case before (which party is the veroorzaker, whether the case was open
# on a date) is exactly what a shut-out casemanager must not learn.
WRITE_ROUTES = [
    ("api:casus", "PATCH", _closed_case, lambda w: {"omschrijving": "x", "versie": 1}),
    ("api:afsluiten", "POST", _closed_case, lambda w: {"datum": "2023-07-01", "reden": "opgelost"}),
    ("api:heropenen", "POST", _closed_case, lambda w: {"datum": "2023-07-01", "reden": "terug"}),
    (
        "api:acties",
        "POST",
        _closed_case,
        lambda w: {"soort": "gesprek", "datum": "2023-07-01"},
    ),
    (
        "api:meldingen",
        "POST",
        _closed_case,
        lambda w: {"datum": "2023-07-01", "bron": "politie", "tekst": "x"},
    ),
    ("api:betrokkenen", "POST", _closed_case, lambda w: {"rol": "melder", "naam": "P"}),
    # The melder, not the veroorzaker; and a date the case was closed on.
    (
        "api:maatregelen",
        "POST",
        _closed_case,
        lambda w: {"betrokkene": w["melder"].pk, "soort": "sluiting", "datum": "2023-07-01"},
    ),
    (
        "api:stappen",
        "POST",
        lambda w: {"pk": w["measure"].pk},
        lambda w: {"stap": "onderzoeksverslag", "datum": "2023-07-01"},
    ),
    (
        "api:geadresseerden",
        "POST",
        lambda w: {"pk": w["measure"].pk},
        lambda w: {"betrokkene": w["melder"].pk, "datum": "2023-07-01"},
    ),
]


@pytest.mark.parametrize("empty", [True, False], ids=["empty body", "full body"])
@pytest.mark.parametrize("route", WRITE_ROUTES, ids=lambda route: route[0])
def test_a_shut_out_casemanager_may_write_through_no_route(closed_world, route, empty):
    name, method, kwargs, body = route
    client = token_client(UserFactory(role=Role.CASEMANAGER))
    before = _counts()
    response = getattr(client, method.lower())(
        reverse(name, kwargs=kwargs(closed_world)),
        {} if empty else body(closed_world),
        format="json",
    )
    assert response.status_code == 403, response.content
    assert response["Content-Type"] == "application/problem+json"
    text = response.content.decode()
    assert "veroorzaker" not in text.lower() and "lopend" not in text
    assert _counts() == before
