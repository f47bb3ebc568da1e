"""The closed-case rule (accounts.roles.can_see_case_data / can_write_case): a casemanager who
may not see a closed case's personal data may not write to it either, on any route, and
writing never extends access (issue 12: the bypass)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import CaseFactory, action, casemanager, teamleider
from woonoverlast.accounts.roles import can_see_case_data, can_write_case
from woonoverlast.accounts.services import case_access_grant
from woonoverlast.audit.models import AuditAction, AuditEvent
from woonoverlast.cases import services
from woonoverlast.cases.choices import PartyRole
from woonoverlast.cases.models import Action, Case, Melding, Party, StatusChange

pytestmark = pytest.mark.django_db
D = datetime.date
NAME = "Karin Geheimhouder"
ADDRESS_STREET = "Geheimstraat"
DESCRIPTION = "Verward gedrag sinds de scheiding"
MELDING_TEXT = "Buurvrouw belt om drie uur in de nacht"
NOTE = "Gesprek met de zus van bewoner"
NOW = datetime.datetime(2024, 1, 15, 12, 0)

# Every route that writes to a case, with a POST that succeeds for someone allowed.
WRITE_ROUTES = {
    "cases:action_add": {"action_type": "gesprek", "performed_on": "2023-06-05"},
    "cases:visit_add": {"performed_on": "2023-06-05", "present": "bewoner", "findings": "rommel"},
    "cases:melding_add": {"received_on": "2023-06-05", "source": "politie", "text": "weer lawaai"},
    "cases:party_add": {"role": PartyRole.REPORTER, "name": "Nieuwe Melder"},
    "cases:edit": None,  # filled from the case (CaseEditForm.initial_for)
    "cases:reopen": {"on": "2023-06-05", "reason": "Nieuwe meldingen"},
}


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def closed_case():
    case = CaseFactory(street=ADDRESS_STREET, description=DESCRIPTION)
    services.melding_add(
        case, received_on=D(2023, 3, 2), source="politie", text=MELDING_TEXT, by=None
    )
    services.party_add(case, role=PartyRole.RESPONDENT, name=NAME, by=None)
    action(case, performed_on=D(2023, 4, 1), notes=NOTE)
    services.case_close(case, on=D(2023, 6, 1), reason="opgelost", note=NOTE, by=None)
    case.refresh_from_db()
    return case


def edit_data(case):
    from woonoverlast.cases.forms import CaseEditForm

    data = {}
    for name, value in CaseEditForm.initial_for(case).items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, D):
            data[name] = value.isoformat()
        else:
            data[name] = value
    data["description"] = "Aangepast"
    return data


def counts(case):
    return (
        Action.objects.filter(case=case).count(),
        Melding.objects.filter(case=case).count(),
        Party.objects.filter(case=case).count(),
        StatusChange.objects.filter(case=case).count(),
        Case.objects.get(pk=case.pk).version,
    )


def post(client, name, case):
    data = WRITE_ROUTES[name] or edit_data(case)
    return client.post(reverse(name, kwargs={"reference": case.reference}), data)


@pytest.mark.parametrize("name", WRITE_ROUTES)
def test_an_outsider_can_neither_open_nor_post_any_write_form(client, closed_case, name):
    outsider = casemanager()
    client.force_login(outsider)
    url = reverse(name, kwargs={"reference": closed_case.reference})
    before = counts(closed_case)
    assert client.get(url).status_code == 403
    assert post(client, name, closed_case).status_code == 403
    assert counts(closed_case) == before
    assert not can_see_case_data(outsider, closed_case)


def test_close_on_a_closed_case_is_refused_too(client, closed_case):
    client.force_login(casemanager())
    url = reverse("cases:close", kwargs={"reference": closed_case.reference})
    assert client.get(url).status_code == 403
    response = client.post(url, {"on": "2023-06-05", "reason": "opgelost"})
    assert response.status_code == 403


def test_an_outsider_cannot_settle_a_follow_up_of_a_closed_case(client):
    case = CaseFactory()
    item = action(case, performed_on=D(2023, 4, 1), follow_up_on=D(2023, 5, 1))
    services.case_close(case, on=D(2023, 6, 1), reason="opgelost", by=None)
    client.force_login(casemanager())
    response = client.post(reverse("followups:followup_done", kwargs={"pk": item.pk}))
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.follow_up_done_on is None


@pytest.mark.parametrize("name", WRITE_ROUTES)
def test_with_a_valid_grant_every_write_route_works(client, closed_case, name):
    outsider = casemanager()
    case_access_grant(closed_case, user=outsider, reason="Overlast terug", by=teamleider())
    client.force_login(outsider)
    url = reverse(name, kwargs={"reference": closed_case.reference})
    assert client.get(url).status_code == 200
    before = counts(closed_case)
    response = post(client, name, closed_case)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert counts(closed_case) != before


@pytest.mark.parametrize("name", WRITE_ROUTES)
def test_after_the_grant_ended_every_write_route_is_refused(client, closed_case, name):
    outsider = casemanager()
    grant = case_access_grant(closed_case, user=outsider, reason="x", by=teamleider())
    with time_machine.travel(
        datetime.datetime.combine(grant.valid_until, datetime.time(12)) + datetime.timedelta(1)
    ):
        client.force_login(outsider)
        before = counts(closed_case)
        assert post(client, name, closed_case).status_code == 403
        assert counts(closed_case) == before


def test_writing_under_a_grant_does_not_extend_it(closed_case):
    outsider = casemanager()
    grant = case_access_grant(closed_case, user=outsider, reason="x", by=teamleider())
    services.action_log(closed_case, action_type="gesprek", performed_on=D(2023, 6, 5), by=outsider)
    services.melding_add(
        closed_case, received_on=D(2023, 6, 5), source="politie", text="y", by=outsider
    )
    assert can_write_case(outsider, closed_case)
    with time_machine.travel(
        datetime.datetime.combine(grant.valid_until, datetime.time(12)) + datetime.timedelta(1)
    ):
        assert not can_see_case_data(outsider, closed_case)
        assert not can_write_case(outsider, closed_case)


def test_who_logged_something_while_it_was_open_needs_a_grant_once_it_is_closed():
    colleague = casemanager()
    case = CaseFactory()
    services.action_log(case, action_type="gesprek", performed_on=D(2023, 4, 1), by=colleague)
    services.case_close(case, on=D(2023, 6, 1), reason="opgelost", by=colleague)
    case.refresh_from_db()
    assert not can_see_case_data(colleague, case)


@pytest.mark.parametrize("who", ["casemanager", "registrant", "teamleider"])
def test_the_casemanager_the_registrant_and_team_leaders_keep_access(who):
    user = teamleider() if who == "teamleider" else casemanager()
    case = CaseFactory(
        casemanager=user if who == "casemanager" else None,
        by=user if who == "registrant" else None,
        closed_on=D(2023, 6, 1),
    )
    case.refresh_from_db()
    assert can_see_case_data(user, case) and can_write_case(user, case)


def test_the_services_refuse_an_outsider_too(closed_case):
    from django.core.exceptions import PermissionDenied

    outsider = casemanager()
    calls = [
        lambda: services.action_log(
            closed_case, action_type="gesprek", performed_on=D(2023, 6, 5), by=outsider
        ),
        lambda: services.melding_add(
            closed_case, received_on=D(2023, 6, 5), source="politie", text="x", by=outsider
        ),
        lambda: services.party_add(closed_case, role="melder", name="X", by=outsider),
        lambda: services.case_update(closed_case, description="x", by=outsider),
        lambda: services.case_reopen(closed_case, on=D(2023, 6, 5), reason="x", by=outsider),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_an_outsider_sees_no_personal_data_and_no_write_buttons(client, closed_case):
    client.force_login(casemanager())
    html = client.get(closed_case.get_absolute_url()).content.decode()
    for secret in (NAME, ADDRESS_STREET, DESCRIPTION, MELDING_TEXT, NOTE):
        assert secret not in html, secret
    assert closed_case.reference in html and "Centrum" in html
    for name in (*WRITE_ROUTES, "cases:close"):
        assert reverse(name, kwargs={"reference": closed_case.reference}) not in html, name
    view = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert view.changes == {"betrokkenen getoond": False}


def test_the_casemanager_sees_everything_and_the_buttons(client, closed_case):
    owner = casemanager()
    services.case_reassign(
        closed_case, casemanager=owner, reason="Nazorg door de eigen casemanager", by=teamleider()
    )
    client.force_login(owner)
    html = client.get(closed_case.get_absolute_url()).content.decode()
    for secret in (NAME, ADDRESS_STREET, DESCRIPTION, MELDING_TEXT, NOTE):
        assert secret in html, secret
    assert reverse("cases:reopen", kwargs={"reference": closed_case.reference}) in html


def test_the_case_list_hides_the_address_of_a_closed_case_from_an_outsider(client, closed_case):
    open_case = CaseFactory(street="Openbarestraat")
    client.force_login(casemanager())
    html = client.get(reverse("cases:list")).content.decode()
    assert "Openbarestraat" in html and open_case.reference in html
    assert closed_case.reference in html and ADDRESS_STREET not in html
    client.force_login(teamleider())
    assert ADDRESS_STREET in client.get(reverse("cases:list")).content.decode()


def test_the_list_condition_agrees_with_the_rule(closed_case):
    granted, outsider, leader = casemanager(), casemanager(), teamleider()
    case_access_grant(closed_case, user=granted, reason="x", by=leader)
    for user in (granted, outsider, leader, closed_case.created_by or leader):
        row = Case.objects.with_data_visible_to(user).get(pk=closed_case.pk)
        assert row.data_visible == can_see_case_data(user, closed_case)


# -- reads of personal data outside the case file are audited too (issue 17, finding 7) -----


@pytest.mark.parametrize("name", ["cases:edit", "cases:action_add", "cases:close"])
def test_a_form_page_of_a_case_is_a_read_in_the_audit_log(client, name):
    user = casemanager()
    case = CaseFactory(street=ADDRESS_STREET, description=DESCRIPTION)
    client.force_login(user)
    html = client.get(reverse(name, kwargs={"reference": case.reference})).content.decode()
    assert ADDRESS_STREET in html
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (event.actor, event.case) == (user, case)
    assert event.changes["pagina"]


def test_the_lists_log_which_addresses_they_showed(client, closed_case):
    user = casemanager()
    mine = CaseFactory(casemanager=user)
    client.force_login(user)
    client.get(reverse("cases:list"))
    client.get(reverse("cases:mine"))  # the count of the open cases, no addresses
    client.get(reverse("cases:mine_open"))
    events = AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("id")
    assert [event.changes for event in events] == [
        {"pagina": "Casussen", "adressen getoond": [mine.reference]},
        {"pagina": "Al mijn lopende casussen", "adressen getoond": [mine.reference]},
    ]


def test_an_outsider_records_no_maatregel_step_and_adds_no_documents(client):
    """The rule covers the routes of the later apps too: a maatregel's steps and the dossier."""
    from django.core.exceptions import PermissionDenied

    from tests.factories import measure
    from woonoverlast.measures.services import measure_step_record

    case = CaseFactory(registered_on=D(2023, 1, 2))
    maatregel = measure(case, by=teamleider(), on=D(2023, 2, 1))
    services.case_close(case, on=D(2023, 6, 1), reason="opgelost", by=None)
    steps = maatregel.steps.count()
    outsider = casemanager()
    client.force_login(outsider)
    url = reverse("measures:step", kwargs={"pk": maatregel.pk, "step": "onderzoeksverslag"})
    assert client.get(url).status_code == 403
    assert client.post(url, {"on": "2023-06-05", "note": "x"}).status_code == 403
    for name in ("documents:upload", "documents:letter"):
        assert client.get(reverse(name, kwargs={"reference": case.reference})).status_code == 403
    with pytest.raises(PermissionDenied):
        measure_step_record(maatregel, step="onderzoeksverslag", on=D(2023, 6, 5), by=outsider)
    assert maatregel.steps.count() == steps
