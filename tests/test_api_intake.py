"""The partners' endpoint: a koppeling sends meldingen (idempotent on its extern_kenmerk) and
reads back status and dates of its own ones, nothing of the case."""

import pytest
from django.urls import reverse

from tests.api_helpers import field_names, problem, token_client
from tests.factories import CaseFactory, casemanager, intake_melding, koppeling
from woonoverlast.audit.models import AuditAction, AuditEvent
from woonoverlast.intake import services
from woonoverlast.intake.models import IntakeMelding

pytestmark = pytest.mark.django_db
LIST = reverse("api:intake_meldingen")


def melding(**overrides):
    data = {
        "bron": "politie",
        "extern_kenmerk": "POL-2026-123",
        "straat": "Dorpsstraat",
        "huisnummer": 12,
        "postcode": "2711 AB",
        "categorieen": ["geluidsoverlast"],
        "tekst": "Herhaaldelijk geschreeuw, politie ter plaatse geweest.",
    }
    data.update(overrides)
    return data


def test_a_koppeling_sends_a_melding_and_reads_its_status():
    user = koppeling()
    client = token_client(user)
    response = client.post(LIST, melding(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    received = IntakeMelding.objects.get()
    assert body["referentie"] == received.reference and body["status"] == "ontvangen"
    assert received.koppeling == user and received.source == "politie"
    assert response["Location"].endswith(f"/meldingen/{received.reference}/")
    read = client.get(reverse("api:intake_melding", args=[received.reference]))
    assert read.status_code == 200
    assert set(read.json()) == {
        "referentie",
        "extern_kenmerk",
        "status",
        "ontvangen_op",
        "afgehandeld_op",
    }
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, actor=user).exists()


def test_the_same_kenmerk_twice_stores_one():
    client = token_client(koppeling())
    first = client.post(LIST, melding(), format="json")
    second = client.post(LIST, melding(tekst="Nog een keer"), format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["referentie"] == second.json()["referentie"]
    assert IntakeMelding.objects.count() == 1
    other = token_client(koppeling()).post(LIST, melding(), format="json")
    assert other.status_code == 201 and IntakeMelding.objects.count() == 2


def test_nothing_of_the_case_leaks():
    user = koppeling()
    client = token_client(user)
    reference = client.post(LIST, melding(), format="json").json()["referentie"]
    received = IntakeMelding.objects.get(reference=reference)
    case = CaseFactory(street="Dorpsstraat", house_number=12, postcode="2711 AB")
    services.intake_melding_add_to_case(received, case=case, by=casemanager())
    body = client.get(reverse("api:intake_melding", args=[reference])).json()
    assert body["status"] == "afgehandeld" and body["afgehandeld_op"]
    text = str(body)
    for secret in (case.reference, case.street, "toegevoegd", "casus"):
        assert secret not in text
    # The case itself stays out of reach.
    assert client.get(reverse("api:casus", args=[case.reference])).status_code == 403


def test_another_koppelings_melding_is_unknown():
    theirs = intake_melding(source="politie", koppeling=koppeling(), external_reference="X")
    response = token_client(koppeling()).get(reverse("api:intake_melding", args=[theirs.reference]))
    problem(response, 404)


@pytest.mark.parametrize("role", ["casemanager", "teamleider", "rapportage"])
def test_the_team_cannot_use_the_partners_endpoint(role):
    from tests.factories import UserFactory

    response = token_client(UserFactory(role=role)).post(LIST, melding(), format="json")
    problem(response, 403)
    assert not IntakeMelding.objects.exists()


def test_refused_input_names_the_api_fields():
    client = token_client(koppeling())
    response = client.post(
        LIST,
        melding(postcode="27AB", bron="formulier", tekst="a\x00b", categorieen=["bestaat-niet"]),
        format="json",
    )
    body = problem(response, 400)
    assert {"bron", "tekst", "categorieen"} <= field_names(body)
    assert not IntakeMelding.objects.exists()
    response = client.post(LIST, melding(postcode="27AB"), format="json")
    assert "postcode" in field_names(problem(response, 400))
    assert not IntakeMelding.objects.exists()


def test_an_email_address_literal_is_refused():
    """No mail to an address the sender picks (a@[127.0.0.1]): issue 27."""
    client = token_client(koppeling())
    response = client.post(LIST, melding(melder_email="a@[127.0.0.1]"), format="json")
    assert field_names(problem(response, 400)) == {"melder_email"}
    assert not IntakeMelding.objects.exists()


def test_a_koppeling_gets_403_on_every_other_endpoint():
    client = token_client(koppeling())
    for name in ("api:casussen", "api:wijken", "api:categorieen"):
        assert client.get(reverse(name)).status_code == 403, name
