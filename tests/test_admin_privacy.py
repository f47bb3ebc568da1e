"""The admin (/beheer/) shows team leaders the cases' facts and history, never personal data:
its reads are not audited like the case file's, so it must not read it (issue 12)."""

import datetime

import pytest

from tests.factories import CaseFactory, action, teamleider
from woonoverlast.cases import services
from woonoverlast.cases.models import Party

pytestmark = pytest.mark.django_db
D = datetime.date
SECRETS = {
    "street": "Geheimstraat",
    "description": "Verward gedrag sinds de scheiding",
    "melding": "Buurvrouw belt in de nacht",
    "party": "Karin Geheimhouder",
    "note": "Gesprek met de zus van bewoner",
    "findings": "Woning sterk vervuild",
    "closing": "Verhuisd naar zus",
}


@pytest.fixture
def case():
    case = CaseFactory(street=SECRETS["street"], description=SECRETS["description"])
    services.melding_add(
        case, received_on=D(2023, 3, 2), source="politie", text=SECRETS["melding"], by=None
    )
    services.party_add(case, role="veroorzaker", name=SECRETS["party"], phone="0612345678", by=None)
    action(case, performed_on=D(2023, 4, 1), notes=SECRETS["note"])
    action(
        case,
        action_type="huisbezoek",
        performed_on=D(2023, 4, 2),
        present="bewoner",
        findings=SECRETS["findings"],
    )
    services.case_close(case, on=D(2023, 6, 1), reason="verhuisd", note=SECRETS["closing"], by=None)
    return case


def admin_pages(case):
    party = Party.objects.get(case=case)
    yield f"/beheer/cases/case/{case.pk}/change/"
    yield "/beheer/cases/case/"
    for model, related in (
        ("melding", case.meldingen.get()),
        ("statuschange", case.status_changes.order_by("-id").first()),
        *(("action", item) for item in case.actions.all()),
    ):
        yield f"/beheer/cases/{model}/"
        yield f"/beheer/cases/{model}/{related.pk}/change/"
    yield f"/beheer/cases/party/{party.pk}/change/"


def test_a_team_leader_sees_no_personal_data_in_the_admin(client, case):
    client.force_login(teamleider(is_staff=True))
    for path in admin_pages(case):
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code in (200, 302, 404), path
        for name, secret in SECRETS.items():
            assert secret not in html, (path, name)
    assert client.get(f"/beheer/cases/case/{case.pk}/change/").status_code == 200
    assert client.get("/beheer/cases/party/").status_code == 404


def test_searching_the_admin_by_address_finds_nothing(client, case):
    client.force_login(teamleider(is_staff=True))
    response = client.get("/beheer/cases/case/", {"q": SECRETS["street"]})
    assert case.reference not in response.content.decode()
    response = client.get("/beheer/cases/case/", {"q": case.reference})
    assert case.reference in response.content.decode()


def test_the_maatregelen_in_the_admin_do_not_name_the_veroorzaker(client):
    """Issue 27: the maatregel's page in the admin showed its veroorzaker's name (a party),
    a read of personal data outside the case file and its audit log."""
    from tests.factories import measure

    item = measure(by=teamleider())
    client.force_login(teamleider(is_staff=True))
    for path in ("/beheer/measures/measure/", f"/beheer/measures/measure/{item.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert item.respondent.name not in response.content.decode(), path
