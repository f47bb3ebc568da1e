"""Corrections (issue 12): edit or withdraw a party, melding or action, and a team leader's
correction of the status history, by appending rows."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports import frozen, overview
from reports import services as report_services
from tests.factories import CaseFactory, casemanager, teamleider
from tests.test_last_activity import assert_in_step
from woonoverlast.audit.models import AuditAction, AuditEvent
from woonoverlast.cases import services
from woonoverlast.cases.choices import ClosingReason, Status
from woonoverlast.cases.models import Action, Case, Party, StatusChange
from woonoverlast.followups.selection import due_for_case

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2024, 6, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 6, 15, 12, 0), tick=False):
        yield


@pytest.fixture
def author():
    return casemanager()


@pytest.fixture
def case(author):
    return CaseFactory(registered_on=D(2024, 3, 1), casemanager=author)


def url(name, case, entry=None):
    kwargs = {"reference": case.reference}
    if entry is not None:
        kwargs["pk"] = entry.pk
    return reverse(name, kwargs=kwargs)


# -- editing ---------------------------------------------------------------------------------


def test_the_author_corrects_a_mistyped_phone_number(client, case, author):
    party = services.party_add(case, role="melder", name="Piet", phone="06-123", by=author)
    client.force_login(author)
    form = client.get(url("cases:party_edit", case, party))
    assert form.status_code == 200 and "06-123" in form.content.decode()
    response = client.post(
        url("cases:party_edit", case, party), {"role": "melder", "name": "Piet", "phone": "06-321"}
    )
    assert response.status_code == 302
    party.refresh_from_db()
    assert (party.phone, party.corrected_by) == ("06-321", author)
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert event.changes == {"phone": "(gewijzigd)"}  # personal data: never its values
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Gecorrigeerd op 15-06-2024" in html and "06-321" in html


def test_the_audit_log_keeps_old_and_new_facts(case, author):
    melding = services.melding_add(
        case, received_on=D(2024, 3, 5), source="politie", text="x", by=author
    )
    services.melding_correct(
        melding, received_on=D(2024, 3, 4), source="buurtbewoner", text="x", by=author
    )
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert event.changes == {
        "received_on": {"oud": "2024-03-05", "nieuw": "2024-03-04"},
        "source": {"oud": "politie", "nieuw": "buurtbewoner"},
    }
    assert event.case_id == case.pk


def test_a_correction_follows_the_date_rules(case, author):
    item = services.action_log(case, action_type="gesprek", performed_on=D(2024, 3, 5), by=author)
    with pytest.raises(ValidationError) as excinfo:
        services.action_correct(item, performed_on=D(2024, 2, 1), by=author)
    assert excinfo.value.error_dict["performed_on"][0].code == "before_registration"
    with pytest.raises(ValidationError):
        services.action_correct(item, performed_on=D(2024, 6, 16), by=author)
    item.refresh_from_db()
    assert item.performed_on == D(2024, 3, 5) and item.corrected_at is None


def test_a_huisbezoek_is_corrected_with_its_own_form(client, case, author):
    visit = services.action_log(
        case,
        action_type="huisbezoek",
        performed_on=D(2024, 3, 5),
        present="bewoner",
        findings="rommel",
        by=author,
    )
    client.force_login(author)
    response = client.post(
        url("cases:action_edit", case, visit),
        {"performed_on": "2024-03-06", "present": "bewoner, wijkagent", "findings": "rommel"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.performed_on, visit.present) == (D(2024, 3, 6), "bewoner, wijkagent")


@pytest.mark.parametrize("kind", ["party", "melding", "action"])
def test_only_the_author_or_a_team_leader(client, case, author, kind):
    entry = {
        "party": lambda: services.party_add(case, role="melder", name="Piet", by=author),
        "melding": lambda: services.melding_add(
            case, received_on=D(2024, 3, 5), source="politie", text="x", by=author
        ),
        "action": lambda: services.action_log(
            case, action_type="gesprek", performed_on=D(2024, 3, 5), by=author
        ),
    }[kind]()
    client.force_login(casemanager())  # a colleague on an open case
    assert client.get(url(f"cases:{kind}_edit", case, entry)).status_code == 403
    assert (
        client.post(url(f"cases:{kind}_withdraw", case, entry), {"reason": "x"}).status_code == 403
    )
    client.force_login(teamleider())
    assert client.get(url(f"cases:{kind}_edit", case, entry)).status_code == 200
    response = client.post(
        url(f"cases:{kind}_withdraw", case, entry), {"reason": "Verkeerde casus"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_withdrawn and entry.withdrawal_reason == "Verkeerde casus"


def test_an_author_shut_out_of_a_closed_case_cannot_correct_it(client, author):
    case = CaseFactory(registered_on=D(2024, 3, 1))  # not the author's case
    item = services.action_log(case, action_type="gesprek", performed_on=D(2024, 3, 5), by=author)
    services.case_close(case, on=D(2024, 4, 1), reason="opgelost", by=None)
    client.force_login(author)
    assert client.get(url("cases:action_edit", case, item)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.entry_withdraw(item, reason="x", by=author)


def test_an_entry_of_another_case_is_not_found(client, case, author):
    other = CaseFactory(registered_on=D(2024, 3, 1), casemanager=author)
    party = services.party_add(other, role="melder", name="Piet", by=author)
    client.force_login(author)
    assert client.get(url("cases:party_edit", case, party)).status_code == 404


# -- withdrawing -------------------------------------------------------------------------------


def test_withdrawing_needs_a_reason_and_deletes_nothing(case, author):
    party = services.party_add(case, role="melder", name="Piet", by=author)
    with pytest.raises(ValidationError) as excinfo:
        services.entry_withdraw(party, reason=" ", by=author)
    assert "reason" in excinfo.value.error_dict
    services.entry_withdraw(party, reason="Dubbel ingevoerd", by=author)
    with pytest.raises(ValidationError):
        services.entry_withdraw(party, reason="nog eens", by=author)
    with pytest.raises(ValidationError):
        services.party_correct(party, role="melder", name="Jan", by=author)
    assert Party.objects.filter(pk=party.pk).exists()
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert event.changes == {"ingetrokken": "verkeerd vastgelegd", "reden": "(gewijzigd)"}


def test_a_withdrawn_action_counts_nowhere_but_stays_on_the_timeline(client, case, author):
    real = services.action_log(case, action_type="gesprek", performed_on=D(2024, 3, 2), by=author)
    wrong = services.action_log(
        case,
        action_type="huisbezoek",
        performed_on=D(2024, 6, 14),
        present="x",
        findings="y",
        follow_up_on=D(2024, 6, 14),
        by=author,
    )
    assert [item.action_id for item in due_for_case(case).overdue] == [wrong.pk]
    services.entry_withdraw(wrong, reason="Bij de verkeerde casus", by=author)

    assert Action.objects.count() == 2
    assert not [item for item in due_for_case(case) if item.is_follow_up]
    # The last activity is the real action again: stalled (30 days) from 1 April on.
    row = Case.objects.get(pk=case.pk)
    assert row.last_activity_on == real.performed_on
    assert [item.reference for item in due_for_case(case).stalled] == [case.reference]
    assert not Case.objects.with_action(action_type="huisbezoek").exists()
    assert Case.objects.without_action_since(D(2024, 3, 3)).filter(pk=case.pk).exists()
    months = overview.actions_per_month(TODAY)
    assert sum(months.totals) == 1
    assert_in_step()

    client.force_login(author)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "<del>Huisbezoek</del>" in html
    assert "Ingetrokken: verkeerd vastgelegd" in html and "Bij de verkeerde casus" in html


def test_a_withdrawn_melding_and_party_are_struck_through(client, case, author):
    melding = services.melding_add(
        case, received_on=D(2024, 3, 5), source="politie", text="Verkeerde tekst", by=author
    )
    party = services.party_add(case, role="melder", name="Verkeerde Naam", by=author)
    services.entry_withdraw(melding, reason="fout", by=author)
    services.entry_withdraw(party, reason="fout", by=author)
    client.force_login(author)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "<del>Verkeerde tekst</del>" in html and "<del>Verkeerde Naam</del>" in html
    assert url("cases:melding_edit", case, melding) not in html


def test_the_withdraw_page_names_the_entry_as_the_correct_page_does(client, case, author):
    melding = services.melding_add(
        case, received_on=D(2024, 3, 5), source="politie", text="Tekst", by=author
    )
    party = services.party_add(case, role="melder", name="Jan Melder", by=author)
    logged = services.action_log(
        case, action_type="gesprek", performed_on=D(2024, 3, 6), notes="", by=author
    )
    client.force_login(author)
    pages = {
        "melding_withdraw": (melding, "Melding intrekken", "Melding 05-03-2024 (Politie)"),
        "party_withdraw": (party, "Betrokkene intrekken", "Melder: Jan Melder"),
        "action_withdraw": (logged, "Actie intrekken", "Gesprek 06-03-2024"),
    }
    for name, (entry, title, what) in pages.items():
        html = client.get(url(f"cases:{name}", case, entry)).content.decode()
        assert f"<h1>{title} " in html, name
        assert f"U trekt in: {what}." in html, name


def test_the_case_file_offers_corrections_to_the_author_only(client, case, author):
    melding = services.melding_add(
        case, received_on=D(2024, 3, 5), source="politie", text="x", by=author
    )
    client.force_login(author)
    assert (
        url("cases:melding_edit", case, melding)
        in client.get(case.get_absolute_url()).content.decode()
    )
    client.force_login(casemanager())
    html = client.get(case.get_absolute_url()).content.decode()
    assert url("cases:melding_edit", case, melding) not in html
    assert url("cases:status_correct", case) not in html


# -- status corrections ------------------------------------------------------------------------


def test_a_team_leader_corrects_a_wrong_closing_date_by_appending_a_row():
    case = CaseFactory(registered_on=D(2023, 3, 1), closed_on=D(2023, 6, 1))
    wrong = case.status_changes.get(status=Status.CLOSED)
    leader = teamleider()
    with pytest.raises(PermissionDenied):
        services.status_date_correct(case, on=D(2023, 5, 15), reason="x", by=casemanager())
    new = services.status_date_correct(
        case, on=D(2023, 5, 15), reason="Verkeerd ingevoerd", by=leader
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (Status.CLOSED, D(2023, 5, 15))
    assert (new.corrects, new.status, new.closing_reason) == (wrong, Status.CLOSED, "opgelost")
    # The old row keeps its facts; it is just in effect on no date any more.
    wrong.refresh_from_db()
    assert (wrong.status, wrong.effective_on, wrong.ended_on) == (
        Status.CLOSED,
        D(2023, 6, 1),
        D(2023, 6, 1),
    )
    assert StatusChange.objects.filter(case=case).count() == 3
    for day, status in ((D(2023, 5, 14), True), (D(2023, 5, 15), False), (D(2023, 5, 31), False)):
        assert Case.objects.open_on(day).filter(pk=case.pk).exists() == status, day
    # The correction's own event (archiving also records the case's new archive dates).
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type=StatusChange._meta.verbose_name
    ).latest("id")
    assert event.changes["datum"] == {"oud": "2023-06-01", "nieuw": "2023-05-15"}
    assert_in_step()


def test_a_date_correction_follows_the_rules():
    case = CaseFactory(registered_on=D(2023, 3, 1), closed_on=D(2023, 6, 1))
    leader = teamleider()
    for on in (D(2023, 2, 1), D(2024, 6, 16), D(2023, 6, 1)):
        with pytest.raises(ValidationError):
            services.status_date_correct(case, on=on, reason="x", by=leader)
    with pytest.raises(ValidationError) as excinfo:
        services.status_date_correct(case, on=D(2023, 5, 1), reason=" ", by=leader)
    assert "reason" in excinfo.value.error_dict
    with pytest.raises(ValidationError):  # only the registration: nothing to correct
        services.status_date_correct(CaseFactory(), on=D(2023, 5, 1), reason="x", by=leader)


def test_a_closing_made_in_error_is_withdrawn(client):
    case = CaseFactory(registered_on=D(2023, 3, 1), closed_on=D(2023, 6, 1))
    leader = teamleider()
    client.force_login(leader)
    response = client.post(url("cases:status_withdraw", case), {"reason": "Verkeerde casus"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (Status.OPEN, None)
    for day in (D(2023, 5, 31), D(2023, 6, 1), D(2024, 1, 1)):
        assert Case.objects.open_on(day).filter(pk=case.pk).exists(), day
    # Not a reopening: the last activity is still the registration.
    assert Case.objects.get(pk=case.pk).last_activity_on == D(2023, 3, 1)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "<del>Afgerond: opgelost</del>" in html
    assert "Gecorrigeerd door een teamleider" in html


def test_a_reopening_made_in_error_is_withdrawn():
    case = CaseFactory(registered_on=D(2023, 3, 1), closed_on=D(2023, 6, 1))
    services.case_reopen(case, on=D(2023, 7, 1), reason="x", by=None)
    case.refresh_from_db()
    assert case.last_activity_on == D(2023, 7, 1)
    services.status_change_withdraw(case, reason="Per vergissing", by=teamleider())
    case.refresh_from_db()
    assert case.last_activity_on == D(2023, 3, 1)  # the withdrawn reopening is no activity
    assert_in_step()
    assert (case.status, case.closed_on) == (Status.CLOSED, D(2023, 6, 1))
    assert not Case.objects.open_on(D(2023, 7, 15)).filter(pk=case.pk).exists()
    # ... and it can be reopened for real later.
    services.case_reopen(case, on=D(2024, 1, 1), reason="Nu echt", by=None)
    case.refresh_from_db()
    assert case.status == Status.OPEN


def test_a_frozen_table_shows_the_drift_of_a_status_correction():
    leader = teamleider()
    case = CaseFactory(registered_on=D(2023, 3, 1), closed_on=D(2024, 1, 10))
    table = report_services.table_freeze(year=2023, as_of=D(2023, 12, 31), by=leader)
    services.status_date_correct(case, on=D(2023, 12, 20), reason="Eerder afgerond", by=leader)
    found = {difference.reference: difference for difference in frozen.compare(table).cases}
    assert found[case.reference].reasons == (frozen.STATUS,)
    assert found[case.reference].before[2] == Status.OPEN
    assert found[case.reference].after[2] == Status.CLOSED
    assert case.status_changes.latest("id").closing_reason == ClosingReason.RESOLVED
