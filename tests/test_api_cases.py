"""The case endpoints: the same services, rules and audit events as the screens."""

import datetime
import threading

import pytest
from django.conf import settings as django_settings

from tests.api_helpers import field_names, problem, token_client
from tests.factories import CaseFactory, action, casemanager, rapportage, teamleider
from woonoverlast.accounts.services import case_access_grant
from woonoverlast.api.models import IdempotentRequest
from woonoverlast.audit.models import AuditAction, AuditEvent, AuditRoute
from woonoverlast.cases import services
from woonoverlast.cases.choices import PartyRole, Status
from woonoverlast.cases.models import Case, Category

pytestmark = pytest.mark.django_db
D = datetime.date
CASES = "/api/v1/casussen/"

NEW_CASE = {
    "wijk": "centrum",
    "woningtype": "koop",
    "geregistreerd_op": "2024-01-02",
    "straat": "Dorpsstraat",
    "huisnummer": 12,
    "toevoeging": "a",
    "postcode": "2711ab",
    "omschrijving": "Geluid 's nachts.",
}


def _url(case, part=""):
    return f"{CASES}{case.reference}/{part}"


# -- registering -------------------------------------------------------------------------------


def test_a_casemanager_registers_a_case_with_the_imports_column_names():
    user = casemanager()
    category = Category.objects.first()
    response = token_client(user).post(
        CASES, {**NEW_CASE, "categorie": [category.code]}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(reference=body["referentie"])
    assert response["Location"] == _url(case)
    assert (case.postcode, case.house_number_addition, case.casemanager) == ("2711 AB", "A", user)
    assert list(case.categories.all()) == [category]
    assert case.status_changes.get().status == Status.OPEN
    event = AuditEvent.objects.get(case=case, action=AuditAction.CREATE)
    assert event.route == AuditRoute.API and event.actor == user


@pytest.mark.parametrize("reference", ["WO-2024-2147483647", "WO-2024-0042", "ZT-1"])
def test_the_api_does_not_take_a_chosen_reference(reference):
    """Only the import of existing cases keeps a reference; through the API a chosen one could
    push the year's counter to the integer maximum and stop registration (issue 27)."""
    client = token_client(casemanager())
    body = problem(client.post(CASES, {**NEW_CASE, "referentie": reference}, format="json"), 400)
    assert field_names(body) == {"referentie"}
    assert not Case.objects.exists()
    response = client.post(CASES, {**NEW_CASE, "referentie": ""}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["referentie"] == "WO-2024-0001"
    response = client.post(CASES, NEW_CASE, format="json")
    assert response.json()["referentie"] == "WO-2024-0002"


def test_only_a_team_leader_assigns_a_case_to_someone_else():
    other = casemanager()
    body = problem(
        token_client(casemanager()).post(
            CASES, {**NEW_CASE, "casemanager": other.username}, format="json"
        ),
        403,
    )
    assert "teamleider" in body["detail"]
    assert not Case.objects.exists()
    response = token_client(teamleider()).post(
        CASES, {**NEW_CASE, "casemanager": other.username}, format="json"
    )
    assert response.status_code == 201
    assert Case.objects.get().casemanager == other


def test_registering_with_bad_input_names_every_field_and_stores_nothing():
    body = problem(
        token_client(casemanager()).post(
            CASES,
            {"wijk": "Nergens", "woningtype": "kasteel", "geregistreerd_op": "01-01-2024"},
            format="json",
        ),
        400,
    )
    assert field_names(body) == {"wijk", "woningtype", "geregistreerd_op"}
    # The service's own rules, named by the API's fields.
    body = problem(
        token_client(casemanager()).post(
            CASES,
            {**NEW_CASE, "geregistreerd_op": "2999-01-01", "postcode": "12"},
            format="json",
        ),
        400,
    )
    assert field_names(body) == {"geregistreerd_op", "postcode"}
    assert "toekomst" in str(body["invalid_params"])
    assert not Case.objects.exists()


def test_the_rapportage_role_registers_nothing_and_reads_no_case():
    client = token_client(rapportage())
    problem(client.post(CASES, NEW_CASE, format="json"), 403)
    case = CaseFactory()
    for path in (CASES, _url(case), _url(case, "meldingen/"), _url(case, "betrokkenen/")):
        problem(client.get(path), 403)
    assert Case.objects.count() == 1


# -- idempotency -------------------------------------------------------------------------------


def test_the_same_idempotency_key_returns_the_first_answer_and_writes_nothing_again():
    client = token_client(casemanager())
    first = client.post(CASES, NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    events = AuditEvent.objects.count()
    again = client.post(CASES, NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert Case.objects.count() == 1 and AuditEvent.objects.count() == events
    other = client.post(CASES, NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 201 and Case.objects.count() == 2


def test_a_key_is_per_user_and_expires_after_24_hours(settings):
    import time_machine

    user = casemanager()
    with time_machine.travel(datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)):
        token_client(user).post(CASES, NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k")
        # Another user with the same key: a request of its own.
        token_client(casemanager()).post(CASES, NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert Case.objects.count() == 2
    with time_machine.travel(datetime.datetime(2024, 3, 2, 12, 1, tzinfo=datetime.UTC)):
        response = token_client(user).post(CASES, NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Case.objects.count() == 3


def test_the_same_key_for_another_request_is_refused():
    client = token_client(casemanager())
    client.post(CASES, NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k")
    body = problem(
        client.post(
            CASES, {**NEW_CASE, "straat": "Anders"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
        ),
        422,
    )
    assert "Idempotency-Key" in body["detail"]
    assert Case.objects.count() == 1


def test_a_refused_request_keeps_no_answer_so_the_corrected_one_may_reuse_the_key():
    client = token_client(casemanager())
    problem(
        client.post(CASES, {**NEW_CASE, "postcode": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k"),
        400,
    )
    assert not IdempotentRequest.objects.exists()
    assert client.post(CASES, NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201


def test_an_overlong_key_is_a_400():
    body = problem(
        token_client(casemanager()).post(
            CASES, NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="x" * 256
        ),
        400,
    )
    assert field_names(body) == {"Idempotency-Key"}


# Skipped before the database fixture: a transactional test that skips in its body still
# flushes the test database.
@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="SQLite serialises writers on its own; this checks PostgreSQL's row lock",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_the_same_key_register_one_case():
    """Two threads, each with its own connection, post the same key at once: the unique
    constraint makes the second wait for the first and replay its answer."""
    from django.db import connections

    user = casemanager()
    from woonoverlast.api.services import token_issue

    _, key = token_issue(user=user)
    statuses = []
    barrier = threading.Barrier(2)

    def post():
        from rest_framework.test import APIClient

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        barrier.wait()
        statuses.append(
            client.post(CASES, NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="same").status_code
        )
        connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201, 201]
    assert Case.objects.count() == 1


# -- reading ---------------------------------------------------------------------------------


def test_the_list_takes_the_case_lists_filters(settings):
    settings.RETENTION_MONTHS = 1200  # the 2023 closing inside the working term
    centrum = CaseFactory(registered_on=D(2023, 3, 1))
    closed = CaseFactory(registered_on=D(2023, 4, 1), closed_on=D(2023, 5, 1))
    client = token_client(casemanager())
    results = client.get(CASES, {"status": "closed"}).json()["results"]
    assert [row["referentie"] for row in results] == [closed.reference]
    # peildatum: the status on that day
    results = client.get(CASES, {"status": "open", "peildatum": "2023-04-15"}).json()["results"]
    assert {row["referentie"] for row in results} == {centrum.reference, closed.reference}
    body = problem(client.get(CASES, {"geregistreerd_van": "gisteren"}), 400)
    assert field_names(body) == {"geregistreerd_van"}
    body = problem(client.get(CASES, {"sorteer": "adres"}), 400)
    assert field_names(body) == {"sorteer"}


def test_the_list_pages_with_a_cursor():
    for day in range(1, 6):
        CaseFactory(registered_on=D(2023, 3, day))
    client = token_client(casemanager())
    seen = []
    page = client.get(CASES, {"aantal": 2}).json()
    while True:
        seen += [row["geregistreerd_op"] for row in page["results"]]
        if not page["next"]:
            break
        page = client.get(page["next"]).json()
    assert seen == [f"2023-03-0{day}" for day in range(5, 0, -1)]


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_runs_a_fixed_number_of_queries(django_assert_num_queries, rows):
    for index in range(rows):
        case = CaseFactory(registered_on=D(2023, 3, 1) + datetime.timedelta(days=index % 20))
        case.categories.set(Category.objects.all()[:2])
    client = token_client(casemanager())
    # token, roles, casemanager choices of the filter, the page, its categories
    with django_assert_num_queries(5):
        response = client.get(CASES, {"aantal": 100})
    assert len(response.json()["results"]) == rows


def test_the_case_file_is_audited_and_shows_parties_as_the_screen_does():
    worker = casemanager()
    case = CaseFactory(registered_on=D(2023, 3, 1), by=worker)
    services.party_add(case, role=PartyRole.REPORTER, name="Jan Jansen", by=worker)
    services.case_close(case, on=D(2023, 6, 1), reason="opgelost", by=worker)
    outsider = casemanager()
    body = token_client(outsider).get(_url(case)).json()
    assert body["betrokkenen"] is None and body["persoonsgegevens_zichtbaar"] is False
    assert body["straat"] is body["postcode"] is body["omschrijving"] is None
    assert body["referentie"] == case.reference and body["status"] == "closed"
    for part in ("betrokkenen/", "meldingen/", "acties/", "maatregelen/"):
        problem(token_client(outsider).get(_url(case, part)), 403)
    assert token_client(worker).get(_url(case)).json()["betrokkenen"][0]["naam"] == "Jan Jansen"
    assert token_client(teamleider()).get(_url(case, "betrokkenen/")).status_code == 200
    case_access_grant(case, user=outsider, reason="Heropenen?", by=teamleider())
    assert token_client(outsider).get(_url(case, "betrokkenen/")).status_code == 200
    views = AuditEvent.objects.filter(case=case, action=AuditAction.VIEW, route=AuditRoute.API)
    assert views.filter(actor=outsider, changes={"betrokkenen getoond": False}).exists()
    assert views.filter(actor=outsider, changes={"onderdeel": "parties"}).exists()


def test_an_unknown_case_is_a_404():
    problem(token_client(casemanager()).get(f"{CASES}WO-1999-9999/"), 404)


# -- changing ----------------------------------------------------------------------------------


def test_patch_with_the_current_versie_changes_the_facts_and_an_old_one_is_a_409():
    case = CaseFactory()
    client = token_client(casemanager())
    response = client.patch(
        _url(case),
        {"versie": 1, "straat": "Nieuwe Laan", "woningtype": "particulier"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["versie"] == 2 and response.json()["straat"] == "Nieuwe Laan"
    body = problem(client.patch(_url(case), {"versie": 1, "straat": "Oud"}, format="json"), 409)
    assert body["code"] == "stale"
    case.refresh_from_db()
    assert (case.street, case.version) == ("Nieuwe Laan", 2)
    assert AuditEvent.objects.filter(case=case, action=AuditAction.UPDATE).count() == 1


def test_patch_without_versie_is_a_400():
    body = problem(
        token_client(casemanager()).patch(_url(CaseFactory()), {"straat": "X"}, format="json"), 400
    )
    assert field_names(body) == {"versie"}


def test_close_and_reopen_through_the_status_services():
    # The case's own casemanager: once it is closed, only they (and team leaders, and who has
    # a grant) may still write to it (accounts.roles.can_write_case).
    user = casemanager()
    case = CaseFactory(registered_on=D(2023, 3, 1), casemanager=user)
    client = token_client(user)
    body = problem(
        client.post(
            _url(case, "afsluiten/"), {"datum": "2023-02-01", "reden": "opgelost"}, format="json"
        ),
        400,
    )
    assert field_names(body) == {"datum"}
    response = client.post(
        _url(case, "afsluiten/"),
        {"datum": "2023-06-01", "reden": "opgelost", "toelichting": "Rustig."},
        format="json",
    )
    assert response.status_code == 201
    assert response.json() == {
        "referentie": case.reference,
        "status": "closed",
        "datum": "2023-06-01",
        "reden": "opgelost",
    }
    body = problem(
        client.post(
            _url(case, "afsluiten/"), {"datum": "2023-06-02", "reden": "opgelost"}, format="json"
        ),
        400,
    )
    assert "al afgerond" in body["invalid_params"][0]["reason"]
    problem(
        token_client(casemanager()).post(
            _url(case, "heropenen/"), {"datum": "2023-07-01", "reden": "x"}, format="json"
        ),
        403,
    )
    response = client.post(
        _url(case, "heropenen/"),
        {"datum": "2023-07-01", "reden": "Nieuwe meldingen"},
        format="json",
    )
    assert response.status_code == 201
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.status_changes.count() == 3


def test_actions_meldingen_and_parties_are_added_and_listed():
    case = CaseFactory(registered_on=D(2023, 3, 1))
    client = token_client(casemanager())
    body = problem(
        client.post(
            _url(case, "acties/"), {"soort": "huisbezoek", "datum": "2023-03-02"}, format="json"
        ),
        400,
    )
    assert field_names(body) == {"aanwezig", "bevindingen"}
    response = client.post(
        _url(case, "acties/"),
        {
            "soort": "huisbezoek",
            "datum": "2023-03-02",
            "aanwezig": "Bewoner",
            "bevindingen": "Rommelig",
            "vervolgdatum": "2023-04-01",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["id"]
    melding = client.post(
        _url(case, "meldingen/"),
        {"datum": "2023-03-03", "bron": "politie", "tekst": "Ruzie"},
        format="json",
    )
    party = client.post(
        _url(case, "betrokkenen/"), {"rol": "veroorzaker", "naam": "P. Jansen"}, format="json"
    )
    assert melding.status_code == party.status_code == 201
    assert party.json()["id"] == case.parties.get().pk
    assert [row["soort"] for row in client.get(_url(case, "acties/")).json()] == ["huisbezoek"]
    assert client.get(_url(case, "meldingen/")).json()[0]["tekst"] == "Ruzie"
    assert client.get(_url(case, "betrokkenen/")).json()[0]["naam"] == "P. Jansen"


@pytest.mark.parametrize("part", ["acties/", "meldingen/"])
def test_the_lists_of_a_case_run_a_fixed_number_of_queries(django_assert_num_queries, part):
    case = CaseFactory(registered_on=D(2023, 3, 1))
    user = casemanager()
    counts = []
    for extra in (1, 30):
        for _ in range(extra):
            action(case, by=user)
            services.melding_add(
                case, received_on=D(2023, 3, 2), source="politie", text="x", by=user
            )
        client = token_client(user)
        from django.db import connection as conn
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(conn) as queries:
            assert client.get(_url(case, part)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_id_too_large_for_the_database_is_a_400_not_a_crash(client):
    """Found by Schemathesis: the wijk filter overflowed the query (also on the screen)."""
    body = problem(token_client(casemanager()).get(CASES, {"wijk": "9" * 30}), 400)
    assert field_names(body) == {"wijk"}
    client.force_login(casemanager())
    assert client.get("/casussen/", {"wijk": "9" * 30}).status_code == 200


def test_what_was_withdrawn_is_not_listed():
    """An entry withdrawn as entered in error counts nowhere, the API's lists included."""
    case = CaseFactory(registered_on=D(2023, 3, 1))
    leader = teamleider()
    kept = services.melding_add(
        case, received_on=D(2023, 3, 2), source="politie", text="Ja", by=None
    )
    wrong = services.melding_add(
        case, received_on=D(2023, 3, 3), source="politie", text="Nee", by=None
    )
    gone = action(case, performed_on=D(2023, 3, 4))
    services.entry_withdraw(wrong, reason="Verkeerde casus", by=leader)
    services.entry_withdraw(gone, reason="Verkeerde casus", by=leader)
    client = token_client(casemanager())
    texts = [item["tekst"] for item in client.get(_url(case, "meldingen/")).json()]
    assert kept.text in texts and wrong.text not in texts
    assert client.get(_url(case, "acties/")).json() == []


def test_generating_the_schema_does_not_break_the_case_lists_casemanager_filter(client):
    """drf-spectacular builds the form fields of the FilterSet's class-level filters; the
    casemanager filter fills its choices per request and must not keep the empty ones."""
    from rest_framework.test import APIClient

    worker = casemanager()
    case = CaseFactory(casemanager=worker)
    assert APIClient().get("/api/v1/schema/").status_code == 200
    client.force_login(worker)
    page = client.get("/casussen/", {"casemanager": worker.pk}).context["page"]
    assert [row.reference for row in page] == [case.reference]
    body = token_client(worker).get(CASES, {"casemanager": worker.pk}).json()
    assert [row["referentie"] for row in body["results"]] == [case.reference]
