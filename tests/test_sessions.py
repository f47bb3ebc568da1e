"""Sessions that end without losing work; changing and resetting a password."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import CaseFactory, UserFactory, casemanager
from woonoverlast.accounts.roles import Role
from woonoverlast.audit.models import AuditAction, AuditEvent
from woonoverlast.cases.choices import ActionType
from woonoverlast.cases.models import Action
from woonoverlast.common.unsaved_post import STASH

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord"
START = datetime.datetime(2024, 6, 17, 9, 0, tzinfo=datetime.UTC)
VISIT = {
    "performed_on": "17-06-2024",
    "present": "bewoner, casemanager",
    "findings": "Een lang verslag van het huisbezoek, een halfuur getypt.",
    "follow_up_on": "",
}


def log_in(client, user, next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def case():
    return CaseFactory(registered_on=datetime.date(2024, 6, 1))


def test_a_form_posted_after_the_session_ended_comes_back_filled(client, traveller, case):
    user = casemanager()
    assert log_in(client, user).status_code == 302
    visit_url = reverse("cases:visit_add", kwargs={"reference": case.reference})
    assert client.get(visit_url).status_code == 200

    traveller.shift(datetime.timedelta(minutes=31))  # typing a long report, idle to the server
    response = client.post(visit_url, {**VISIT, "csrfmiddlewaretoken": "x" * 32})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Action.objects.exists()
    stash = client.session[STASH]
    assert stash["data"]["findings"] == [VISIT["findings"]]
    assert "csrfmiddlewaretoken" not in stash["data"]

    login_page = client.get(response.url)
    assert "Uw sessie was verlopen" in login_page.content.decode()
    response = log_in(client, user, next_url=visit_url)
    assert response.status_code == 302 and response.url == visit_url

    page = client.get(visit_url).content.decode()
    assert VISIT["findings"] in page and 'value="bewoner, casemanager"' in page
    assert "staat weer in het formulier" in page
    assert STASH not in client.session  # offered once
    assert VISIT["findings"] not in client.get(visit_url).content.decode()

    response = client.post(visit_url, VISIT)
    assert response.status_code == 302
    assert Action.objects.get().action_type == ActionType.HOME_VISIT


def test_the_kept_form_never_reaches_another_user(client, traveller, case):
    first, second = casemanager(), casemanager()
    log_in(client, first)
    client.get(reverse("cases:mine"))  # sets the browser's user mark
    visit_url = reverse("cases:visit_add", kwargs={"reference": case.reference})
    traveller.shift(datetime.timedelta(minutes=31))
    client.post(visit_url, VISIT)
    assert STASH in client.session

    log_in(client, second, next_url=visit_url)
    page = client.get(visit_url).content.decode()
    assert VISIT["findings"] not in page
    assert STASH not in client.session


def test_passwords_and_tokens_are_never_kept(client, traveller, case):
    log_in(client, casemanager())
    traveller.shift(datetime.timedelta(minutes=31))
    client.post(
        reverse("cases:visit_add", kwargs={"reference": case.reference}),
        {**VISIT, "password": "x", "new_password1": "y", "otp_token": "123456", "form_token": "t"},
    )
    assert set(client.session[STASH]["data"]) == set(VISIT)


def test_keep_alive_renews_the_session(client, traveller):
    user = casemanager()
    log_in(client, user)
    traveller.shift(datetime.timedelta(minutes=25))
    response = client.post(reverse("accounts:keep_alive"))
    assert response.status_code == 200
    assert response.json() == {"ingelogd": True, "seconden": 30 * 60}
    traveller.shift(datetime.timedelta(minutes=25))  # 50 minutes after logging in
    assert client.get(reverse("cases:mine")).status_code == 200


def test_keep_alive_after_the_end_says_so(client, traveller):
    log_in(client, casemanager())
    traveller.shift(datetime.timedelta(minutes=31))
    response = client.post(reverse("accounts:keep_alive"))
    assert response.status_code == 401 and response.json()["ingelogd"] is False


def test_every_page_carries_the_warning_with_the_time_left(client, traveller):
    log_in(client, casemanager())
    page = client.get(reverse("cases:mine")).content.decode()
    assert 'data-seconds-left="1800"' in page
    assert "js/session-timeout" in page and "Ingelogd blijven" in page
    assert "<script>" not in page  # no inline JavaScript


@pytest.mark.parametrize("role", [Role.CASEMANAGER, Role.TEAMLEIDER, Role.RAPPORTAGE])
def test_every_role_changes_their_password(role):
    client = Client()
    user = UserFactory(role=role)
    log_in(client, user)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "Huidig wachtwoord" in page or "Oud wachtwoord" in page
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nieuw-en-lang-genoeg-2024",
            "new_password2": "Nieuw-en-lang-genoeg-2024",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password("Nieuw-en-lang-genoeg-2024")
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, actor=user, changes={"wachtwoord": "gewijzigd"}
    ).exists()
    assert client.get(reverse("cases:mine" if role != Role.RAPPORTAGE else "reports:index"))


def test_a_wrong_current_password_is_refused_in_dutch(client):
    user = casemanager()
    log_in(client, user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "fout", "new_password1": "Nieuw-2024-x", "new_password2": "Nieuw-2024-x"},
    )
    assert response.status_code == 200
    assert "Uw oude wachtwoord is niet juist ingevoerd" in response.content.decode()


@pytest.mark.usefixtures("empty_cache")
def test_password_reset_by_email(client, settings):
    settings.SITE_URL = "https://woonoverlast.example.nl"
    user = casemanager(email="karin@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "karin@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.subject == "Woonoverlast: nieuw wachtwoord kiezen"
    assert message.to == ["karin@example.org"]
    assert "Kies een nieuw wachtwoord via deze link" in message.body
    link = re.search(r"https://woonoverlast\.example\.nl(/\S+)", message.body)[1]

    response = client.get(link)  # Django moves the token into the session and redirects
    assert response.status_code == 302
    form_url = response.url
    assert "Nieuw wachtwoord kiezen" in client.get(form_url).content.decode()
    response = client.post(
        form_url, {"new_password1": "Herstel-2024-lang", "new_password2": "Herstel-2024-lang"}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Herstel-2024-lang")
    assert AuditEvent.objects.filter(changes={"wachtwoord": "hersteld via e-mail"}).exists()
    assert "werkt niet" in client.get(link, follow=True).content.decode()


@pytest.mark.usefixtures("empty_cache")
def test_password_reset_for_an_unknown_address_says_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "niemand@example.org"})
    assert response.status_code == 302 and not mail.outbox


def test_a_form_posted_after_the_maximum_session_is_kept_too(client, traveller, case, settings):
    settings.SESSION_MAX_AGE = datetime.timedelta(minutes=20)
    user = casemanager()
    log_in(client, user)
    visit_url = reverse("cases:visit_add", kwargs={"reference": case.reference})
    traveller.shift(datetime.timedelta(minutes=15))
    assert client.get(visit_url).status_code == 200
    traveller.shift(datetime.timedelta(minutes=10))  # active, but past the maximum
    response = client.post(visit_url, VISIT)
    assert response.url.startswith(reverse("login"))
    assert not Action.objects.exists()
    log_in(client, user, next_url=visit_url)
    assert VISIT["findings"] in client.get(visit_url).content.decode()


@pytest.fixture
def empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("empty_cache")
def test_password_reset_has_a_rate_limit_per_address(client, settings):
    """Issue 27: without one, anyone could flood a colleague's mailbox from the form. The last
    request allowed, the one after it refused (and no mail), another address still served."""
    settings.PASSWORD_RESET_RATE_LIMIT = 3
    casemanager(email="karin@example.org")
    url = reverse("accounts:password_reset")
    for _ in range(3):
        assert client.post(url, {"email": "karin@example.org"}).status_code == 302
    assert len(mail.outbox) == 3
    refused = client.post(url, {"email": "karin@example.org"})
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "al vaak een link gevraagd" in html and 'value="karin@example.org"' in html
    assert len(mail.outbox) == 3
    other = client.post(url, {"email": "karin@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302 and len(mail.outbox) == 4


@pytest.mark.usefixtures("empty_cache")
def test_a_password_reset_revokes_every_api_token(client, settings):
    from tests.api_helpers import token_client
    from woonoverlast.api.models import ApiToken

    settings.SITE_URL = "https://woonoverlast.example.nl"
    user = casemanager(email="karin@example.org")
    api = token_client(user)
    assert api.get("/api/v1/wijken/").status_code == 200
    client.post(reverse("accounts:password_reset"), {"email": "karin@example.org"})
    link = re.search(r"https://woonoverlast\.example\.nl(/\S+)", mail.outbox[0].body)[1]
    form_url = client.get(link).url
    client.post(
        form_url, {"new_password1": "Herstel-2024-lang", "new_password2": "Herstel-2024-lang"}
    )
    assert api.get("/api/v1/wijken/").status_code == 401
    assert not ApiToken.objects.active().filter(user=user).exists()
