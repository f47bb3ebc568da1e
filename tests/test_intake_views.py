"""The public melding form and the intake screens, through the client."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.factories import (
    CaseFactory,
    casemanager,
    district,
    intake_melding,
    koppeling,
    rapportage,
    teamleider,
)
from woonoverlast.audit.models import AuditAction, AuditEvent
from woonoverlast.cases.models import Case, Category, Partner
from woonoverlast.intake.choices import IntakeStatus, Outcome
from woonoverlast.intake.models import IntakeMelding

# The terugkoppeling mails are sent by a task: in this process, whatever the broker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

FORM = reverse("melden:form")
SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SQL = "Robert'); DROP TABLE intake_intakemelding; --"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def form_data(**overrides):
    data = {
        "street": "Dorpsstraat",
        "house_number": "12",
        "house_number_addition": "",
        "postcode": "2711ab",
        "categories": [Category.objects.get(code="geluidsoverlast").pk],
        "text": "Elke nacht harde muziek tot drie uur.",
        "since": "Sinds de zomer",
        "talked_to_neighbour": "nee",
        "reporter_name": "",
        "reporter_phone": "",
        "reporter_email": "",
        "website": "",
        "form_token": "token-1",
    }
    data.update(overrides)
    return data


class TestPublicForm:
    def test_the_form_is_open_to_everyone_and_says_what_happens(self, client):
        response = client.get(FORM)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Overlast van buren melden" in html
        assert "Wat doen wij met uw gegevens?" in html
        assert 'name="form_token"' in html and 'name="website"' in html
        assert "Zorgcomponent" not in html  # the team's own categories are not asked

    def test_send_and_get_the_reference(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(FORM, form_data(reporter_email="buur@example.org"))
        assert response.status_code == 302 and response.url == reverse("melden:thanks")
        melding = IntakeMelding.objects.get()
        assert melding.source == "formulier" and melding.postcode == "2711 AB"
        assert melding.talked_to_neighbour == "nee"
        assert list(melding.categories.values_list("code", flat=True)) == ["geluidsoverlast"]
        html = client.get(response.url).content.decode()
        assert melding.reference in html and "binnen 5 werkdagen" in html
        assert len(mail.outbox) == 1 and melding.reference in mail.outbox[0].body

    def test_the_answer_is_the_same_whether_the_address_has_a_case_or_not(self, client):
        client.post(FORM, form_data(form_token="a"))
        without = client.get(reverse("melden:thanks")).content.decode()
        CaseFactory(street="Dorpsstraat", house_number=14, postcode="2711 AB")
        client.post(FORM, form_data(form_token="b", house_number="14"))
        with_case = client.get(reverse("melden:thanks")).content.decode()
        references = IntakeMelding.objects.order_by("pk").values_list("reference", flat=True)
        assert without.replace(references[0], "X") == with_case.replace(references[1], "X")

    def test_sent_twice_stores_once(self, client):
        first = client.post(FORM, form_data())
        second = client.post(FORM, form_data())
        assert first.status_code == second.status_code == 302
        assert IntakeMelding.objects.count() == 1

    def test_the_honeypot_stores_nothing(self, client):
        response = client.post(FORM, form_data(website="http://spam.example"))
        assert response.status_code == 400
        assert "Uw melding is niet verstuurd" in response.content.decode()
        assert not IntakeMelding.objects.exists()

    def test_the_rate_limit_per_address(self, client, settings):
        settings.INTAKE_RATE_LIMIT = 2
        for number in range(2):
            assert client.post(FORM, form_data(form_token=f"t{number}")).status_code == 302
        refused = client.post(FORM, form_data(form_token="t3", text="Mijn derde melding"))
        assert refused.status_code == 429
        html = refused.content.decode()
        assert "al meerdere meldingen verstuurd" in html
        assert "Mijn derde melding" in html  # the input is kept
        assert IntakeMelding.objects.count() == 2
        other = client.post(FORM, form_data(form_token="t4"), REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 302

    def test_errors_are_dutch_and_keep_the_input(self, client):
        response = client.post(
            FORM, form_data(postcode="27AB", house_number="twaalf", text="", since="Lang")
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "Vul een geldige Nederlandse postcode in" in html
        assert "alleen cijfers" in html and "Vertel wat er gebeurt." in html
        assert 'value="Lang"' in html
        assert not IntakeMelding.objects.exists()


class TestHostileInput:
    def test_script_and_sql_are_stored_and_shown_harmlessly(self, client):
        response = client.post(
            FORM, form_data(text=SCRIPT, reporter_name=SQL[:100], since=SCRIPT[:200])
        )
        assert response.status_code == 302
        melding = IntakeMelding.objects.get()
        assert melding.text == SCRIPT and melding.reporter_name == SQL[:100]
        client.force_login(casemanager())
        for url in (reverse("intake:queue"), melding.get_absolute_url()):
            html = client.get(url).content.decode()
            assert SCRIPT not in html
        assert "&lt;script&gt;" in client.get(melding.get_absolute_url()).content.decode()

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("text", "a\x00b", "Null"),
            ("text", "x" * 100_000, "niet meer dan 5000 tekens"),
            ("reporter_name", "n" * 100_000, "niet meer dan 200 tekens"),
            ("street", "s\x00", "Null"),
            ("postcode", "' OR 1=", "geldige Nederlandse postcode"),
            ("postcode", "' OR 1=1 --", "niet meer dan 7 tekens"),
            ("house_number", "1; DROP TABLE x", "alleen cijfers"),
            ("reporter_email", "<script>@x", "geldig e-mailadres"),
            # An address literal: no mail to an address the sender chooses (issue 27).
            ("reporter_email", "a@[127.0.0.1]", "e-mailadres met een domeinnaam"),
        ],
    )
    def test_refused_clearly_and_nothing_stored(self, client, field, value, message):
        response = client.post(FORM, form_data(**{field: value}))
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html and "Het formulier is niet opgeslagen" in html
        assert not IntakeMelding.objects.exists()


@pytest.fixture
def worker(client):
    user = casemanager()
    client.force_login(user)
    return user


class TestQueue:
    def test_oldest_first_with_matches_and_the_count_in_the_header(self, client, worker):
        case = CaseFactory(street="Dorpsstraat", house_number=12, postcode="2711 AB")
        first = intake_melding()
        second = intake_melding(house_number=200, postcode="2712 CD", street="Markt")
        html = client.get(reverse("intake:queue")).content.decode()
        assert html.index(first.reference) < html.index(second.reference)
        assert case.reference in html
        assert "2 open meldingen" in html
        assert 'Binnengekomen meldingen <span class="count-badge">2' in html
        assert AuditEvent.objects.filter(action=AuditAction.VIEW, actor=worker).exists()

    def test_query_count_does_not_grow_with_the_queue(
        self, client, worker, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        intake_melding()
        with CaptureQueriesContext(connection) as one:
            client.get(reverse("intake:queue"))
        for number in range(30):
            intake_melding(house_number=number + 20, reporter_email=f"{number}@x.nl")
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("intake:queue"))
        assert len(many) == len(one)

    def test_opening_changes_nothing_taking_it_is_a_post(self, client, worker):
        """A GET (a prefetch, a glance) is no decision: only *In behandeling nemen* tells the
        partner the melding is being handled (issue 27)."""
        melding = intake_melding()
        response = client.get(melding.get_absolute_url())
        assert response.status_code == 200
        assert "In behandeling nemen" in response.content.decode()
        melding.refresh_from_db()
        assert melding.status == IntakeStatus.RECEIVED
        take = reverse("intake:take", args=[melding.reference])
        assert client.get(take).status_code == 405
        response = client.post(take, follow=True)
        assert "is in behandeling" in response.content.decode()
        melding.refresh_from_db()
        assert melding.status == IntakeStatus.IN_PROGRESS
        assert "In behandeling nemen" not in client.get(melding.get_absolute_url()).content.decode()

    def test_unknown_melding_is_404(self, client, worker):
        assert client.get(reverse("intake:detail", args=["MLD-1900-00001"])).status_code == 404


class TestWaysOutThroughTheScreens:
    def test_add_to_a_match(self, client, worker):
        case = CaseFactory(street="Dorpsstraat", house_number=12, postcode="2711 AB")
        melding = intake_melding()
        response = client.post(
            reverse("intake:add_to_case", args=[melding.reference]), {"case": case.reference}
        )
        assert response.status_code == 302
        melding.refresh_from_db()
        assert melding.outcome == Outcome.ADDED and melding.case == case

    def test_add_to_an_unknown_case_is_refused(self, client, worker):
        melding = intake_melding()
        response = client.post(
            reverse("intake:add_to_case", args=[melding.reference]), {"case": "WO-1900-0001"}
        )
        assert response.status_code == 200
        assert "Er is geen casus met referentie WO-1900-0001" in response.content.decode()
        melding.refresh_from_db()
        assert melding.is_open

    def test_register_a_new_case_prefilled(self, client, worker):
        melding = intake_melding(house_number_addition="b")
        url = reverse("intake:register_case", args=[melding.reference])
        html = client.get(url).content.decode()
        assert 'value="Dorpsstraat"' in html and 'value="B"' in html
        assert melding.text in html
        response = client.post(
            url,
            {
                "district": district().pk,
                "housing_type": "koop",
                "street": "Dorpsstraat",
                "house_number": "12",
                "house_number_addition": "B",
                "postcode": "2711 AB",
                "complexity": "enkelvoudig",
                "registered_on": "01-12-2026",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        melding.refresh_from_db()
        case = Case.objects.get()
        assert melding.outcome == Outcome.NEW_CASE and melding.case == case
        assert case.casemanager == worker and case.meldingen.get().text == melding.text

    def test_close_as_doorverwezen(self, client, worker):
        melding = intake_melding()
        partner = Partner.objects.get(name="Buurtbemiddeling")
        url = reverse("intake:close", args=[melding.reference])
        refused = client.post(url, {"outcome": "doorverwezen", "reason": "Burenruzie"})
        assert "Kies de partner waarnaar u doorverwijst." in refused.content.decode()
        client.post(url, {"outcome": "doorverwezen", "partner": partner.pk, "reason": "Ruzie"})
        melding.refresh_from_db()
        assert melding.outcome == Outcome.REFERRED and melding.partner == partner


@pytest.mark.parametrize("role", ["anonymous", "rapportage", "koppeling"])
@pytest.mark.parametrize("name", ["intake:add_to_case", "intake:close", "intake:register_case"])
def test_a_refused_way_out_changes_nothing(client, role, name):
    users = {"rapportage": rapportage, "koppeling": koppeling}
    if role in users:
        client.force_login(users[role]())
    melding = intake_melding()
    case = CaseFactory()
    response = client.post(
        reverse(name, args=[melding.reference]),
        {"case": case.reference, "outcome": "geen_woonoverlast", "reason": "x"},
    )
    assert response.status_code in (302, 403)
    if role != "anonymous":
        assert response.status_code == 403
    melding.refresh_from_db()
    assert melding.is_open and case.meldingen.count() == 0


def test_a_koppeling_gets_no_page_at_all_not_even_the_admin(client):
    client.force_login(koppeling(is_staff=True, is_superuser=True))
    for url in ("/", "/beheer/", "/casussen/", FORM, "/rapportages/", "/account/beveiliging/"):
        assert client.get(url).status_code == 403, url


def test_a_team_leader_edits_the_texts_in_the_admin(client):
    leader = teamleider(is_staff=True)
    client.force_login(leader)
    response = client.get("/beheer/intake/feedbacktemplate/")
    assert response.status_code == 200
    assert "Bevestiging van ontvangst" in response.content.decode()
