"""Who sees the personal data of a case's parties, and the log of who saw it."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import CaseFactory, action, casemanager, teamleider
from woonoverlast.accounts.models import CaseAccessGrant
from woonoverlast.accounts.roles import can_see_parties
from woonoverlast.accounts.services import case_access_grant
from woonoverlast.audit.models import AuditAction, AuditEvent
from woonoverlast.cases import services
from woonoverlast.cases.choices import PartyRole

pytestmark = pytest.mark.django_db
D = datetime.date
NAME = "Karin Geheimhouder"


@pytest.fixture
def closed_case():
    case = CaseFactory(closed_on=D(2023, 6, 1))
    services.party_add(case, role=PartyRole.RESPONDENT, name=NAME, by=None)
    return case


def page_of(client, user, case) -> str:
    client.force_login(user)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_on_an_open_case_the_whole_team_sees_the_parties(client):
    case = CaseFactory()
    services.party_add(case, role=PartyRole.REPORTER, name=NAME, by=None)
    assert NAME in page_of(client, casemanager(), case)


def test_on_a_closed_case_only_its_casemanager_registrant_or_a_grant(client, closed_case):
    outsider = casemanager()
    html = page_of(client, outsider, closed_case)
    assert NAME not in html
    assert "De gegevens van betrokkenen zijn afgeschermd" in html

    # Having logged something once no longer counts (it was a way around the grant).
    worker = casemanager()
    action(closed_case, by=None, performed_by=worker, performed_on=D(2023, 5, 1))
    assert NAME not in page_of(client, worker, closed_case)
    assert NAME in page_of(client, teamleider(), closed_case)


@pytest.mark.parametrize("relation", ["casemanager", "created_by", "melding", "status"])
def test_only_the_casemanager_and_registrant_keep_access(relation):
    worker = casemanager()
    case = CaseFactory(
        casemanager=worker if relation == "casemanager" else None,
        by=worker if relation == "created_by" else None,
    )
    if relation == "melding":
        services.melding_add(case, received_on=D(2023, 3, 2), source="politie", text="x", by=worker)
    services.case_close(
        case, on=D(2023, 6, 1), reason="opgelost", by=worker if relation == "status" else None
    )
    case.refresh_from_db()
    assert can_see_parties(worker, case) == (relation in ("casemanager", "created_by"))
    assert not can_see_parties(casemanager(), case)


def test_a_team_leader_grants_access_for_thirty_days(client, closed_case):
    outsider, leader = casemanager(), teamleider()
    client.force_login(leader)
    response = client.post(
        reverse("cases:grant_access", kwargs={"reference": closed_case.reference}),
        {"user": outsider.pk, "reason": "Overlast is terug"},
    )
    assert response.status_code == 302
    grant = CaseAccessGrant.objects.get()
    assert (grant.user, grant.granted_by, grant.reason) == (outsider, leader, "Overlast is terug")
    event = AuditEvent.objects.get(action=AuditAction.GRANT)
    assert (event.actor, event.case) == (leader, closed_case)

    assert NAME in page_of(client, outsider, closed_case)
    later = datetime.datetime.combine(grant.valid_until, datetime.time(12)) + datetime.timedelta(
        days=1
    )
    with time_machine.travel(later):
        assert not can_see_parties(outsider, closed_case)


def test_a_grant_needs_a_reason_and_a_closed_case(closed_case):
    with pytest.raises(ValidationError) as excinfo:
        case_access_grant(closed_case, user=casemanager(), reason=" ", by=teamleider())
    assert "reason" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        case_access_grant(CaseFactory(), user=casemanager(), reason="x", by=teamleider())
    assert not CaseAccessGrant.objects.exists()


def test_a_casemanager_cannot_grant(client, closed_case):
    client.force_login(casemanager())
    url = reverse("cases:grant_access", kwargs={"reference": closed_case.reference})
    assert client.post(url, {"user": casemanager().pk, "reason": "x"}).status_code == 403
    assert not CaseAccessGrant.objects.exists()


def test_only_a_team_leader_can_grant_whoever_calls_the_service(closed_case):
    with pytest.raises(ValidationError) as excinfo:
        case_access_grant(closed_case, user=casemanager(), reason="x", by=casemanager())
    assert excinfo.value.messages == ["Alleen een teamleider kan toegang verlenen."]
    assert not CaseAccessGrant.objects.exists()


def test_every_view_of_a_case_file_is_logged(client, closed_case):
    outsider, leader = casemanager(), teamleider()
    page_of(client, outsider, closed_case)
    page_of(client, leader, closed_case)
    views = AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("id")
    assert [(e.actor, e.case, e.changes["betrokkenen getoond"]) for e in views] == [
        (outsider, closed_case, False),
        (leader, closed_case, True),
    ]


def test_the_list_export_is_logged(client):
    CaseFactory()
    leader = teamleider()
    client.force_login(leader)
    client.get(reverse("cases:export"), {"status": "open"})
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor, event.changes) == (
        leader,
        {"casussen": 1, "formaat": "csv", "filters": "status=open"},
    )


def test_the_audit_log_keeps_which_filters_an_export_used_not_the_search_text(client):
    """Issue 17, finding 3: `q=Koenweg` (a street) was stored in the append-only log."""
    CaseFactory(street="Koenweg")
    leader = teamleider()
    client.force_login(leader)
    client.get(reverse("cases:export"), {"q": "Koenweg", "status": "open", "onbekend": "x"})
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.changes == {
        "casussen": 1,
        "formaat": "csv",
        "filters": "onbekend, q, status=open",
    }
    assert "Koenweg" not in str(AuditEvent.objects.values_list("changes", flat=True))


def test_flash_messages_stay_on_the_server(client):
    """Issue 17, finding 3: the messages cookie carried 'Veroorzaker Kees … is toegevoegd'."""
    case = CaseFactory()
    client.force_login(casemanager())
    response = client.post(
        reverse("cases:party_add", kwargs={"reference": case.reference}),
        {"role": PartyRole.RESPONDENT, "name": "Kees Koenweg"},
    )
    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = client.get(response.url)
    assert "Kees Koenweg" in page.content.decode()
    assert "messages" not in page.cookies
