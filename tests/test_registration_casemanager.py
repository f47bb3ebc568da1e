"""The casemanager of a case at registration: one service rule for the screen and the API
(cases.services.registration_casemanager), re-checked by case_register."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import casemanager, district, teamleider
from woonoverlast.audit.models import AuditEvent
from woonoverlast.cases import services
from woonoverlast.cases.choices import Complexity, HousingType, MeldingSource
from woonoverlast.cases.models import Case

pytestmark = pytest.mark.django_db

REFUSED = "Alleen een teamleider kan een casus aan een ander toewijzen."


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 6, 15, 12, 0), tick=False):
        yield


def test_a_team_leader_chooses_anyone_or_no_one():
    leader, other = teamleider(), casemanager()
    assert services.registration_casemanager(chosen=other, by=leader) == other
    assert services.registration_casemanager(chosen=None, by=leader) is None
    assert services.registration_casemanager(chosen=leader, by=leader) == leader


def test_a_casemanager_registers_for_themselves():
    user = casemanager()
    assert services.registration_casemanager(chosen=None, by=user) == user
    assert services.registration_casemanager(chosen=user, by=user) == user


def test_a_casemanager_naming_someone_else_is_refused_in_dutch():
    user, other = casemanager(), casemanager()
    with pytest.raises(PermissionDenied) as refused:
        services.registration_casemanager(chosen=other, by=user)
    assert str(refused.value) == REFUSED


def test_a_script_keeps_its_choice():
    other = casemanager()
    assert services.registration_casemanager(chosen=other, by=None) == other
    assert services.registration_casemanager(chosen=None, by=None) is None


def test_the_api_refuses_a_casemanager_naming_another_and_stores_nothing():
    from tests.api_helpers import token_client

    user, other = casemanager(), casemanager()
    body = {"wijk": "centrum", "woningtype": "koop", "geregistreerd_op": "2024-01-02"}
    client = token_client(user)
    created_before = AuditEvent.objects.filter(action="create").count()  # the token's
    response = client.post(
        "/api/v1/casussen/", {**body, "casemanager": other.username}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == REFUSED
    assert not Case.objects.exists()
    assert AuditEvent.objects.filter(action="create").count() == created_before
    # With their own name the casemanager registers it for themselves.
    response = client.post(
        "/api/v1/casussen/", {**body, "casemanager": user.username}, format="json"
    )
    assert response.status_code == 201
    assert Case.objects.get().casemanager == user


def _screen_data(**overrides):
    return {
        "district": district("Meerzicht").pk,
        "housing_type": HousingType.KOOP,
        "street": "Dorpsstraat",
        "house_number": "12",
        "house_number_addition": "",
        "postcode": "2713ab",
        "categories": [],
        "first_melding_source": MeldingSource.POLICE,
        "first_melding_on": "",
        "first_melding_text": "Harde muziek.",
        "description": "",
        "complexity": Complexity.SIMPLE,
        "registered_on": "14-06-2024",
        **overrides,
    }


def test_the_screen_gives_a_casemanager_the_case_and_a_team_leader_their_choice(client):
    user, other = casemanager(), casemanager()
    client.force_login(user)
    # A casemanager's form has no choice: a posted casemanager is not a field of it.
    client.post(reverse("cases:create"), _screen_data(casemanager=other.pk))
    assert Case.objects.get().casemanager == user
    client.force_login(teamleider())
    client.post(
        reverse("cases:create"),
        _screen_data(casemanager=other.pk, street="Kerkstraat", confirm_duplicate="on"),
    )
    assert Case.objects.get(street="Kerkstraat").casemanager == other
