"""The base of the REST API: tokens, authentication, errors as problem+json, idempotency,
throttling, the audit route, the schema and the docs page."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api_helpers import field_names, problem, token_client
from tests.factories import casemanager, rapportage, teamleider
from woonoverlast.api.models import ApiToken, hash_key
from woonoverlast.api.services import token_revoke
from woonoverlast.audit.models import AuditAction, AuditEvent, AuditRoute
from woonoverlast.cases.models import Category

pytestmark = pytest.mark.django_db

WIJKEN = "/api/v1/wijken/"


# -- tokens ----------------------------------------------------------------------------------


def test_api_token_prints_the_key_once_as_the_last_word_and_stores_only_its_hash(capsys):
    user = casemanager()
    call_command("api_token", user.username)
    key = capsys.readouterr().out.split()[-1]
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert key.startswith(token.prefix)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(WIJKEN).status_code == 200


def test_api_token_replaces_the_previous_token(capsys):
    user = casemanager()
    call_command("api_token", user.username)
    first = capsys.readouterr().out.split()[-1]
    call_command("api_token", user.username)
    second = capsys.readouterr().out.split()[-1]
    assert first != second and ApiToken.objects.filter(user=user).count() == 1
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    problem(client.get(WIJKEN), 401)


def _key_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_asks_the_second_factor_the_log_in_asks(capsys, settings):
    """Issue 27: a team leader's token skipped the second factor of the log-in. A user with a
    device gives a current code; without one (or with a wrong one) no token."""
    from django.core.management.base import CommandError
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.test_two_factor import current_code

    leader = teamleider()
    device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    for code in (None, "000000"):
        with pytest.raises(CommandError, match="verificatiecode"):
            call_command("api_token", leader.username, code=code)
    assert not ApiToken.objects.filter(user=leader).exists()
    call_command("api_token", leader.username, code=current_code(device))
    key = capsys.readouterr().out.split()[-1]
    assert ApiToken.objects.get(user=leader).second_factor
    settings.TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER = True
    assert _key_client(key).get(WIJKEN).status_code == 200


def test_when_required_a_team_leader_without_a_code_gets_no_working_token(capsys, settings):
    from django.core.management.base import CommandError

    leader = teamleider()
    call_command("api_token", leader.username)  # before two-factor became required
    old_key = capsys.readouterr().out.split()[-1]
    settings.TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER = True
    body = problem(_key_client(old_key).get(WIJKEN), 401)
    assert "zonder verificatiecode" in body["detail"]
    with pytest.raises(CommandError, match="Stel eerst tweestapsverificatie in"):
        call_command("api_token", leader.username)
    # A casemanager without a device needs none (as at the log-in).
    call_command("api_token", casemanager().username)
    key = capsys.readouterr().out.split()[-1]
    assert _key_client(key).get(WIJKEN).status_code == 200


def test_api_token_refuses_an_unknown_user():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("api_token", "niemand")


def test_a_revoked_token_is_refused_and_the_revocation_is_audited():
    user = casemanager()
    client = token_client(user)
    assert client.get(WIJKEN).status_code == 200
    boss = teamleider()
    token_revoke(ApiToken.objects.get(user=user), by=boss)
    body = problem(client.get(WIJKEN), 401)
    assert "ingetrokken" in body["detail"]
    assert AuditEvent.objects.filter(actor=boss, action=AuditAction.UPDATE).exists()


def test_a_team_leader_revokes_a_token_in_the_admin(client):
    boss = teamleider(is_staff=True)
    user = casemanager()
    token_client(user)
    client.force_login(boss)
    url = reverse("admin:api_apitoken_changelist")
    assert client.get(url).status_code == 200
    token = ApiToken.objects.get(user=user)
    client.post(url, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_an_inactive_users_token_is_refused():
    user = casemanager()
    client = token_client(user)
    user.is_active = False
    user.save()
    problem(client.get(WIJKEN), 401)


# -- authentication and errors ----------------------------------------------------------------


def test_without_credentials_401_problem_json_with_www_authenticate():
    response = APIClient().get(WIJKEN)
    body = problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert body["instance"] == WIJKEN and body["type"] == "about:blank"


def test_a_malformed_token_header_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token")
    problem(client.get(WIJKEN), 401)
    client.credentials(HTTP_AUTHORIZATION="Token a b")
    problem(client.get(WIJKEN), 401)


def test_the_browser_session_works_too(client):
    client.force_login(rapportage())
    assert client.get(WIJKEN).status_code == 200


def test_session_posts_need_the_csrf_token():
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(casemanager())
    response = client.post("/api/v1/casussen/", {}, format="json")
    problem(response, 403)


def test_a_user_without_a_role_gets_403_and_the_refusal_is_audited():
    from tests.factories import UserFactory

    user = UserFactory()
    body = problem(token_client(user).get(WIJKEN), 403)
    assert body["title"] == "Geen toegang"
    event = AuditEvent.objects.get(actor=user, action=AuditAction.DENIED)
    assert event.route == AuditRoute.API and event.path == WIJKEN


def test_an_unknown_api_address_is_a_problem_json_404():
    problem(token_client(casemanager()).get("/api/v1/bestaat-niet/"), 404)


def test_bad_query_parameters_are_a_400_naming_the_fields():
    client = token_client(rapportage())
    body = problem(client.get("/api/v1/rapportages/tabel-5-1/?jaar=abc"), 400)
    assert field_names(body) == {"jaar"}
    body = problem(client.get("/api/v1/rapportages/tabel-5-1/?jaar=2023&peildatum=2022-01-01"), 400)
    assert field_names(body) == {"peildatum"}
    assert "1 januari 2023" in body["invalid_params"][0]["reason"]


def test_throttling_per_token_gives_429_with_retry_after(settings):
    settings.API_THROTTLE_RATE = "2/minute"
    from django.core.cache import cache

    cache.clear()
    first, second = token_client(casemanager()), token_client(casemanager())
    assert first.get(WIJKEN).status_code == 200
    assert first.get(WIJKEN).status_code == 200
    response = first.get(WIJKEN)
    problem(response, 429)
    assert int(response["Retry-After"]) > 0
    assert second.get(WIJKEN).status_code == 200  # another token has its own budget
    cache.clear()


# -- schema and docs ---------------------------------------------------------------------------


def test_the_schema_is_served_and_documents_errors_and_idempotency():
    response = APIClient().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/wijken/"]["get"]
    assert "application/problem+json" in operation["responses"]["401"]["content"]
    posts = [
        op for item in schema["paths"].values() for method, op in item.items() if method == "post"
    ]
    for post in posts:
        assert "Idempotency-Key" in {p["name"] for p in post.get("parameters", [])}


@pytest.mark.parametrize(
    ("part", "summaries", "schema_name"),
    [
        ("acties", ("Acties van een casus", "Actie vastleggen"), "Action"),
        ("meldingen", ("Meldingen van een casus", "Melding toevoegen"), "Report"),
        ("betrokkenen", ("Betrokkenen van een casus", "Betrokkene toevoegen"), "Party"),
    ],
)
def test_each_part_of_a_case_is_documented_as_itself(part, summaries, schema_name):
    """The three lists share their view code; the docs showed all three as betrokkenen."""
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    item = schema["paths"][f"/api/v1/casussen/{{referentie}}/{part}/"]
    assert (item["get"]["summary"], item["post"]["summary"]) == summaries
    listed = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["items"]["$ref"] == f"#/components/schemas/{schema_name}"
    sent = item["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert sent["$ref"] == f"#/components/schemas/{schema_name}Request"


def test_the_docs_page_uses_the_apps_own_files_and_no_inline_script(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "<style" not in html and "cdn" not in html.lower()
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "/api/v1/schema/" in script.content.decode()


# -- reference lists ---------------------------------------------------------------------------


@pytest.mark.parametrize("make_user", [casemanager, teamleider, rapportage])
def test_every_role_reads_the_reference_lists(make_user):
    client = token_client(make_user())
    wijken = client.get(WIJKEN).json()
    assert {"id", "naam", "volgorde", "actief"} <= set(wijken[0])
    categories = client.get("/api/v1/categorieen/").json()
    assert len(categories) == Category.objects.count()


def test_tabel51_gives_the_rows_of_the_csv():
    from reports import exports, tabel51
    from tests.factories import CaseFactory

    CaseFactory(registered_on=datetime.date(2023, 3, 1))
    CaseFactory(registered_on=datetime.date(2023, 4, 1), closed_on=datetime.date(2023, 5, 1))
    body = token_client(rapportage()).get("/api/v1/rapportages/tabel-5-1/?jaar=2023").json()
    assert body["jaar"] == 2023 and body["peildatum"] == "2023-12-31"
    csv_lines = exports.csv_text(tabel51.compute(2023)).strip().splitlines()
    header = csv_lines[0].split(",")
    assert [list(row.keys()) for row in body["rijen"]] == [header] * len(body["rijen"])
    assert [",".join(str(v) for v in row.values()) for row in body["rijen"]] == csv_lines[1:]
    assert body["rijen"][-1]["wijk"] == "Totaal" and body["rijen"][-1]["totaal"] == 2


def test_every_operation_has_its_own_dutch_summary():
    """Views that share a method (afsluiten/heropenen, acties/meldingen/betrokkenen) each keep
    their own schema annotations."""
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    summaries = [
        operation["summary"] for item in schema["paths"].values() for operation in item.values()
    ]
    assert len(summaries) == len(set(summaries))
    paths = schema["paths"]
    assert paths["/api/v1/casussen/{referentie}/afsluiten/"]["post"]["summary"] == "Casus afsluiten"
    assert paths["/api/v1/casussen/{referentie}/meldingen/"]["get"]["summary"] == (
        "Meldingen van een casus"
    )


def test_the_daily_job_purges_idempotent_answers_after_their_useful_life(settings):
    """Issue 27: the answers (with a case's address, a party's name) were kept for good unless
    the same user posted again. The last hour kept, the one before it gone."""
    import django.utils.timezone as tz

    from woonoverlast.api.models import IdempotentRequest
    from woonoverlast.api.tasks import purge_idempotent_requests

    user = casemanager()
    now = tz.now()
    ages = {"jong": 1, "grens": settings.IDEMPOTENCY_HOURS * 60 - 1, "oud": 25 * 60}
    for key, minutes in ages.items():
        row = IdempotentRequest.objects.create(
            user=user, key=key, fingerprint="x", status_code=201, body={"adres": "Dorpsstraat 1"}
        )
        IdempotentRequest.objects.filter(pk=row.pk).update(
            created_at=now - datetime.timedelta(minutes=minutes)
        )
    assert purge_idempotent_requests() == 1
    assert set(IdempotentRequest.objects.values_list("key", flat=True)) == {"jong", "grens"}
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "api.purge_idempotent_requests" in schedule
