"""Hostile and malformed input on every form: refused clearly in Dutch, or stored and shown
harmlessly; never half-saved, never a server error."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import CaseFactory, casemanager, district, teamleider
from woonoverlast.cases.models import Action, Case, Melding, Party, StatusChange

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SQL = "Robert'); DROP TABLE cases_case; --"
TOO_LONG = "x" * 10_001
D = datetime.date


@pytest.fixture
def worker(client):
    user = casemanager()
    client.force_login(user)
    return user


@pytest.fixture
def case():
    return CaseFactory(registered_on=D(2023, 3, 1))


def post(client, name, case=None, data=None):
    kwargs = {"reference": case.reference} if case else {}
    return client.post(reverse(name, kwargs=kwargs), data or {})


def new_case_data(**overrides):
    data = {
        "district": district().pk,
        "housing_type": "koop",
        "street": "Dorpsstraat",
        "house_number": "12",
        "postcode": "2711 AB",
        "complexity": "enkelvoudig",
        "registered_on": "2023-03-01",
        "first_melding_source": "buurtbewoner",
        "first_melding_text": "Harde muziek",
        "description": "Overlast",
    }
    data.update(overrides)
    return data


class TestScriptAndSqlAreStoredAndShownHarmlessly:
    def test_in_a_new_case(self, client, worker):
        response = post(
            client,
            "cases:create",
            data=new_case_data(description=SCRIPT, first_melding_text=SQL, street=SQL[:50]),
        )
        assert response.status_code == 302
        case = Case.objects.get()
        assert case.description == SCRIPT
        assert case.meldingen.get().text == SQL
        html = client.get(case.get_absolute_url()).content.decode()
        assert SCRIPT not in html and "&lt;script&gt;" in html
        assert Case.objects.count() == 1  # the table is still there

    def test_in_a_party_action_and_visit(self, client, worker, case):
        post(client, "cases:party_add", case, {"role": "melder", "name": SCRIPT, "notes": SQL})
        post(
            client,
            "cases:action_add",
            case,
            {"action_type": "gesprek", "performed_on": "2023-03-02", "notes": SCRIPT},
        )
        post(
            client,
            "cases:visit_add",
            case,
            {"performed_on": "2023-03-03", "present": SCRIPT, "findings": SQL},
        )
        assert Party.objects.get().name == SCRIPT
        assert Action.objects.filter(notes=SCRIPT).exists()
        assert Action.objects.filter(present=SCRIPT, findings=SQL).exists()
        html = client.get(case.get_absolute_url()).content.decode()
        assert SCRIPT not in html


class TestRefusedInDutchWithTheInputKept:
    def test_too_long_free_text(self, client, worker, case):
        response = post(
            client,
            "cases:melding_add",
            case,
            {"received_on": "2023-03-02", "source": "politie", "text": TOO_LONG},
        )
        assert response.status_code == 200
        assert "niet meer dan 10000 tekens bevat" in response.content.decode()
        assert not Melding.objects.filter(case=case).exists()

    def test_too_long_short_fields(self, client, worker, case):
        response = post(client, "cases:party_add", case, {"role": "melder", "name": "n" * 201})
        assert "niet meer dan 200 tekens bevat" in response.content.decode()
        assert not Party.objects.exists()

    @pytest.mark.parametrize("bad_date", ["31-02-2023", "morgen", "2023-13-01", "0000-00-00"])
    def test_invalid_dates(self, client, worker, case, bad_date):
        response = post(
            client,
            "cases:close",
            case,
            {"on": bad_date, "reason": "opgelost", "note": "Mijn uitleg"},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "is geen geldige datum. Vul een datum in als dd-mm-jjjj" in html
        assert "Mijn uitleg" in html  # the rest of the input is kept
        case.refresh_from_db()
        assert case.is_open and StatusChange.objects.filter(case=case).count() == 1

    def test_unknown_ids_in_choices(self, client, worker):
        response = post(client, "cases:create", data=new_case_data(district="999999"))
        assert response.status_code == 200
        assert "Selecteer een geldige keuze" in response.content.decode()
        assert not Case.objects.exists()

    def test_a_nul_character(self, client, worker, case):
        response = post(
            client,
            "cases:melding_add",
            case,
            {"received_on": "2023-03-02", "source": "politie", "text": "a\x00b"},
        )
        assert response.status_code == 200
        assert not Melding.objects.filter(case=case).exists()

    def test_a_hidden_field_tampered_with(self, client, worker, case):
        response = post(
            client,
            "cases:edit",
            case,
            {**new_case_data(), "version": "not-a-number", "description": "Nieuw"},
        )
        assert response.status_code == 200
        case.refresh_from_db()
        assert case.description != "Nieuw"


class TestUrlsAndFilters:
    def test_an_unknown_or_malformed_reference_is_not_found(self, client, worker):
        for reference in ("WO-1999-9999", "..", "WO-2023-0001'--"):
            response = client.get(f"/casussen/{reference}/")
            assert response.status_code == 404, reference

    @pytest.mark.parametrize(
        "path",
        [
            "/casussen/%00/",
            "/casussen/WO-2023-0001%00/",
            "/meldingen/M-2026-0001%00/",  # was a 500 on PostgreSQL (issue 27)
            "/casussen/?q=a%00b",
        ],
    )
    def test_a_nul_byte_in_the_address_is_a_clear_400(self, client, worker, path):
        response = client.get(path)
        assert response.status_code == 400
        assert "ongeldig, onzichtbaar teken (NUL)" in response.content.decode()

    def test_posting_to_a_case_that_does_not_exist(self, client, worker):
        response = client.post("/casussen/WO-1999-9999/afsluiten/", {"on": "2023-03-02"})
        assert response.status_code == 404

    @pytest.mark.parametrize(
        "query",
        [
            {"wijk": "abc"},
            {"peildatum": "gisteren"},
            {"sorteer": "password"},
            {"pagina": "-1"},
            {"pagina": "999999"},
            {"q": SCRIPT},
            {"casemanager": "'; DROP TABLE--"},
            {"geregistreerd_van": "2023-12-31", "geregistreerd_tot": "2023-01-01"},
        ],
    )
    def test_the_case_list_never_fails_on_odd_filters(self, client, worker, query):
        response = client.get(reverse("cases:list"), query)
        assert response.status_code == 200
        assert SCRIPT not in response.content.decode()

    @pytest.mark.parametrize(
        "query", [{"jaar": "-1"}, {"jaar": "abc"}, {"jaar": "2023", "peildatum": "31-02-2023"}]
    )
    def test_the_report_form_never_fails_on_odd_input(self, client, worker, query):
        response = client.get(reverse("reports:tabel51"), query)
        assert response.status_code == 200

    def test_a_reassign_to_an_unknown_user(self, client, case):
        client.force_login(teamleider())
        response = post(client, "cases:reassign", case, {"casemanager": "999999"})
        assert response.status_code == 200
        case.refresh_from_db()
        assert case.casemanager is None


# -- the API: every error is problem+json, never a 500 for bad input (issue 27) ----------------


class TestApiErrors:
    @pytest.fixture
    def api(self):
        from tests.api_helpers import token_client
        from tests.factories import koppeling

        clients = {
            "casemanager": token_client(casemanager()),
            "koppeling": token_client(koppeling()),
        }
        for api_client in clients.values():
            api_client.raise_request_exception = False
        return clients

    @pytest.mark.parametrize(
        "who, path",
        [
            ("koppeling", "/api/v1/meldingen/M-2026-0001%00/"),  # was a 500 on PostgreSQL
            ("casemanager", "/api/v1/casussen/WO-2026-0001%00/"),
            ("casemanager", "/api/v1/casussen/?q=a%00b"),
        ],
    )
    def test_a_nul_byte_in_the_address(self, api, who, path):
        from tests.api_helpers import problem

        body = problem(api[who].get(path), 400)
        assert "NUL" in body["detail"]

    @pytest.mark.parametrize(
        "who, path", [("casemanager", "/api/v1/casussen/"), ("koppeling", "/api/v1/meldingen/")]
    )
    def test_json_nested_1000_deep(self, api, who, path):
        from tests.api_helpers import problem

        deep = "[" * 1000 + "]" * 1000
        response = api[who].generic("POST", path, deep, content_type="application/json")
        assert problem(response, 400)["detail"] == "De JSON is te diep genest."

    def test_a_server_error_is_problem_json(self, api, monkeypatch):
        from tests.api_helpers import problem
        from woonoverlast.api.views.cases import CaseList

        def broken(self, request):
            raise RuntimeError("kapot")

        monkeypatch.setattr(CaseList, "get", broken)
        body = problem(api["casemanager"].get("/api/v1/casussen/"), 500)
        assert "kapot" not in str(body)

    @pytest.mark.parametrize("path", ["/api/", "/api/v2/casussen/"])
    def test_an_address_outside_v1_is_problem_json(self, api, path):
        from tests.api_helpers import problem

        problem(api["casemanager"].get(path), 404)

    def test_a_screen_keeps_its_html_pages(self, client, worker):
        response = client.get("/bestaat-niet/")
        assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
