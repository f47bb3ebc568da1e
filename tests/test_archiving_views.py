"""The archiving screens, the case file's Archief section, the list filters and the API."""

import datetime

import pytest
from django.urls import reverse

from tests.api_helpers import token_client
from tests.factories import CaseFactory, UserFactory, casemanager, teamleider
from woonoverlast.accounts.roles import Role
from woonoverlast.archiving import services
from woonoverlast.archiving.models import CaseArchive, ResultType

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    """The approved list is destroyed by a background job: here in this process, also on
    CI's run with Redis as the broker."""


D = datetime.date


def test_the_case_file_shows_the_archive_data(client):
    cm = casemanager()
    case = CaseFactory(registered_on=D(2023, 1, 2), casemanager=cm, closed_on=D(2023, 3, 1))
    client.force_login(cm)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Archiefactiedatum" in html and "01-03-2028" in html and "6.1 Melding" in html
    assert reverse("archiving:case_result", kwargs={"reference": case.reference}) in html


def test_the_casemanager_chooses_another_resultaat_and_bad_input_keeps_the_form(client):
    cm = casemanager()
    case = CaseFactory(registered_on=D(2023, 1, 2), casemanager=cm, closed_on=D(2023, 3, 1))
    client.force_login(cm)
    url = reverse("archiving:case_result", kwargs={"reference": case.reference})
    six_three = ResultType.objects.get(number="6.3")
    response = client.post(url, {"result_type": six_three.pk, "reason": ""})
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    response = client.post(url, {"result_type": six_three.pk, "reason": "Melder trok zich terug"})
    assert response.status_code == 302
    assert CaseArchive.objects.get(case=case).archiefactiedatum == D(2024, 3, 1)


def test_the_case_list_filters_on_archive_data(client):
    soon = CaseFactory(registered_on=D(2020, 1, 2), closed_on=D(2020, 3, 1))
    later = CaseFactory(registered_on=D(2023, 1, 2), closed_on=D(2023, 3, 1))
    CaseFactory()
    client.force_login(teamleider())
    response = client.get(
        reverse("cases:list"),
        # Both were closed more than RETENTION_MONTHS ago: a team leader asks for them.
        {
            "archiefnominatie": "vernietigen",
            "archiefactiedatum_tot": "01-03-2025",
            "ook_archief": "ja",
        },
    )
    html = response.content.decode()
    assert soon.reference in html and later.reference not in html
    six_one = ResultType.objects.get(number="6.1")
    html = client.get(
        reverse("cases:list"), {"resultaat": six_one.pk, "ook_archief": "ja"}
    ).content.decode()
    assert soon.reference in html and later.reference in html


def test_the_api_case_carries_its_archive_data():
    cm = casemanager()
    case = CaseFactory(registered_on=D(2023, 1, 2), casemanager=cm, closed_on=D(2023, 3, 1))
    body = token_client(cm).get(f"/api/v1/casussen/{case.reference}/").json()
    assert body["archief"] == {
        "resultaat": "6.1",
        "resultaat_omschrijving": "Melding behandeld (ingewilligd)",
        "archiefnominatie": "vernietigen",
        "brondatum": "2023-03-01",
        "archiefactiedatum": "2028-03-01",
    }
    open_case = CaseFactory(casemanager=cm)
    assert (
        token_client(cm).get(f"/api/v1/casussen/{open_case.reference}/").json()["archief"] is None
    )


def test_the_archivaris_sees_the_list_but_no_case_content(client):
    case = CaseFactory(
        registered_on=D(2019, 1, 2),
        closed_on=D(2019, 3, 1),
        street="Geheimstraat",
        description="Vertrouwelijke omschrijving",
    )
    proposal = services.destruction_list_propose(on=D(2025, 1, 1))
    archivaris = UserFactory(role=Role.ARCHIVARIS)
    client.force_login(archivaris)
    assert client.get(reverse("home")).url == reverse("archiving:lists")
    html = client.get(reverse("archiving:list_detail", kwargs={"pk": proposal.pk})).content.decode()
    assert case.reference in html
    assert "Geheimstraat" not in html and "Vertrouwelijke" not in html
    assert client.get(case.get_absolute_url()).status_code == 403


def test_review_and_approval_through_the_screens(client, django_capture_on_commit_callbacks):
    case = CaseFactory(registered_on=D(2019, 1, 2), closed_on=D(2019, 3, 1))
    proposal = services.destruction_list_propose(on=D(2025, 1, 1))
    tl = teamleider()
    client.force_login(tl)
    client.post(reverse("archiving:list_review", kwargs={"pk": proposal.pk}))
    client.force_login(UserFactory(role=Role.ARCHIVARIS))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("archiving:list_approve", kwargs={"pk": proposal.pk}))
    proposal.refresh_from_db()
    assert proposal.status == "vernietigd"
    response = client.get(reverse("archiving:statement_pdf", kwargs={"pk": proposal.statement.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert case.reference.encode() in response.content


# -- the API of the vernietigingslijsten (the archivaris) ---------------------------------------


def test_the_archivaris_reads_the_lists_and_the_verklaring_through_the_api(
    django_capture_on_commit_callbacks,
):
    from woonoverlast.cases import services as case_services
    from woonoverlast.cases.choices import PartyRole

    due = CaseFactory(registered_on=D(2020, 1, 2), closed_on=D(2020, 3, 1), street="Geheimstraat")
    case_services.party_add(due, role=PartyRole.RESPONDENT, name="Piet Jansen", by=None)
    kept = CaseFactory(registered_on=D(2020, 1, 2), closed_on=D(2020, 3, 1))
    proposal = services.destruction_list_propose(on=D(2025, 3, 1))
    leader = teamleider(first_name="Tineke", last_name="Leider")
    item = proposal.items.get(case=kept)
    services.destruction_list_item_exclude(item, reason="Nog in een rechtszaak", by=leader)
    archivaris = UserFactory(role=Role.ARCHIVARIS, first_name="Arie", last_name="Vaar")
    client = token_client(archivaris)

    (row,) = client.get("/api/v1/vernietigingslijsten/").json()
    assert row["id"] == proposal.pk and row["status"] == "voorgesteld"
    assert (row["aantal_casussen"], row["aantal_uitgezonderd"], row["verklaring"]) == (1, 1, None)

    services.destruction_list_review(proposal, by=leader)
    with django_capture_on_commit_callbacks(execute=True):
        services.destruction_list_approve(proposal, by=archivaris)
    response = client.get(f"/api/v1/vernietigingslijsten/{proposal.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "vernietigd"
    assert (body["beoordeeld_door"], body["goedgekeurd_door"]) == ("Tineke Leider", "Arie Vaar")
    assert {row["referentie"]: row["uitgezonderd"] for row in body["casussen"]} == {
        due.reference: False,
        kept.reference: True,
    }
    assert body["casussen"][0]["resultaat"] == "6.1"
    assert body["verklaring"]["goedgekeurd_door"] == "Arie Vaar"
    assert body["verklaring"]["inhoud"]["aantal"] == 1
    text = response.content.decode()
    # No case content, and not the reason of the uitzondering (free text).
    for secret in ("Geheimstraat", "Piet Jansen", "rechtszaak"):
        assert secret not in text
    assert client.get("/api/v1/vernietigingslijsten/999999/").status_code == 404


def test_the_vernietigingslijsten_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/vernietigingslijsten/" in schema["paths"]
    detail = schema["paths"]["/api/v1/vernietigingslijsten/{id}/"]["get"]
    assert detail["summary"] == "Vernietigingslijst"
