"""Single sign-on against a real OpenID provider the tests start (tests/oidc_provider.py):
log-in with PKCE, roles from groups at every log-in, a removed group, no group, an expired
session, log-out at the provider, forged and wrongly signed tokens, multi-factor, local
passwords switched off, and each role's access as the access table says."""

import base64
import datetime
import json

import jwt
import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from tests.oidc_provider import APP, CLIENT_ID, CLIENT_SECRET, Browser, query, start_for_tests
from woonoverlast.accounts import oidc
from woonoverlast.accounts.models import SsoIdentity, User
from woonoverlast.accounts.roles import Role, roles_of
from woonoverlast.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

# The app as the provider knows it when SITE_URL is not the address the request came in at
# (behind a proxy: another scheme, host or port).
PUBLIC = "https://woonoverlast.example.nl:8443"


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    started = start_for_tests(tmp_path_factory.mktemp("oidc"), apps=(APP, PUBLIC))
    yield started
    started.stop()


@pytest.fixture(autouse=True)
def sso(settings, provider):
    settings.OIDC_ENABLED = True
    settings.OIDC_DISCOVERY_URL = provider.discovery_url
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid profile email groups"
    settings.OIDC_GROUP_ROLES = {}
    settings.SITE_URL = "http://testserver"
    oidc._metadata.clear()
    return provider


@pytest.fixture
def browser(client):
    return Browser(client)


def roles(user) -> set[str]:
    user.__dict__.pop("_woonoverlast_roles", None)
    return roles_of(user)


def logged_in_user(client):
    return User.objects.get(pk=client.session["_auth_user_id"])


def test_log_in_with_pkce_and_roles_from_groups(browser, provider):
    provider.account("anna", groups=["casemanager"], given_name="Anna", family_name="de Vries")
    start = browser.client.get("/sso/inloggen/")
    params = query(start["Location"])
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"] and params["nonce"] and params["state"]
    back = browser.follow_provider(start["Location"], "anna")
    response = browser.client.get(back[len("http://testserver") :])
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = logged_in_user(browser.client)
    assert roles(user) == {Role.CASEMANAGER}
    assert (user.first_name, user.last_name) == ("Anna", "de Vries")
    assert not user.has_usable_password()
    identity = SsoIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (provider.issuer, "anna")
    assert browser.client.get(reverse("cases:list")).status_code == 200
    login = AuditEvent.objects.get(action=AuditAction.LOGIN, actor=user)
    assert login.changes["via"] == "SSO"


def test_the_redirect_uri_is_site_urls_not_the_requests(browser, provider, settings):
    """Behind nginx the request's Host has no port (`proxy_set_header Host $host`): the
    redirect URI is SITE_URL's, the one registered at the provider, in the authorization
    request and again in the token request (the provider refuses the code otherwise)."""
    settings.SITE_URL = PUBLIC
    provider.account("wim", groups=["casemanager"])
    start = browser.client.get("/sso/inloggen/")
    assert query(start["Location"])["redirect_uri"] == f"{PUBLIC}/sso/callback/"
    back = browser.follow_provider(start["Location"], "wim", app=PUBLIC)
    assert back.startswith(f"{PUBLIC}/sso/callback/?")
    response = browser.client.get(back[len(PUBLIC) :])
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert roles(logged_in_user(browser.client)) == {Role.CASEMANAGER}
    # And the provider sends the browser back to SITE_URL's log-in page after the log-out.
    end_session = browser.client.post("/uitloggen/")["Location"]
    assert query(end_session)["post_logout_redirect_uri"] == f"{PUBLIC}/inloggen/"


def test_a_configured_mapping_and_the_roles_follow_the_groups(browser, provider, settings):
    settings.OIDC_GROUP_ROLES = {"WO-Teamleiders": "teamleider", "WO-Team": "casemanager"}
    provider.account("bert", groups=["WO-Teamleiders", "WO-Team", "Iedereen"])
    assert browser.sso_login("bert").status_code == 302
    user = logged_in_user(browser.client)
    assert roles(user) == {Role.TEAMLEIDER, Role.CASEMANAGER}
    browser.client.post("/uitloggen/")

    # The provider removed a group: gone at the next log-in, and audited.
    provider.account("bert", groups=["WO-Team"])
    assert browser.sso_login("bert").status_code == 302
    assert roles(user) == {Role.CASEMANAGER}
    change = (
        AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(user.pk))
        .order_by("id")
        .last()
    )
    assert change.changes["rollen"] == {
        "oud": ["casemanager", "teamleider"],
        "nieuw": ["casemanager"],
    }
    assert browser.client.get(reverse("audit:log")).status_code == 403


def test_a_user_without_a_mapped_group_is_refused(browser, provider):
    provider.account("carla", groups=["Iedereen"])
    response = browser.sso_login("carla")
    assert response.status_code == 403
    assert "U kunt niet inloggen bij Woonoverlast" in response.content.decode()
    assert "geen groep die toegang geeft" in response.content.decode()
    assert "_auth_user_id" not in browser.client.session
    assert not User.objects.filter(sso_identity__subject="carla").exists()
    refusal = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert refusal.changes == {
        "via": "SSO",
        "reden": "u hebt geen groep die toegang geeft tot Woonoverlast",
    }


def test_losing_every_group_removes_the_roles_and_refuses(browser, provider):
    provider.account("dirk", groups=["teamleider"])
    browser.sso_login("dirk")
    user = logged_in_user(browser.client)
    browser.client.post("/uitloggen/")
    provider.account("dirk", groups=[])
    assert browser.sso_login("dirk").status_code == 403
    assert roles(user) == set()


def test_matched_on_the_stable_claim_never_on_e_mail(browser, provider):
    local = UserFactory(role=Role.TEAMLEIDER, email="eva@example.org")
    provider.account("eva", groups=["casemanager"], email="eva@example.org")
    browser.sso_login("eva")
    user = logged_in_user(browser.client)
    assert user != local
    assert roles(user) == {Role.CASEMANAGER}


def test_an_employee_number_as_the_stable_claim(browser, provider, settings):
    settings.OIDC_USER_CLAIM = "employee_number"
    provider.account("frank", groups=["rapportage"], employee_number="E1234")
    browser.sso_login("frank")
    assert logged_in_user(browser.client).sso_identity.subject == "E1234"
    provider.account("frank2", groups=["rapportage"])  # no employee number: refused
    browser.client.post("/uitloggen/")
    browser.provider.cookies.clear()
    assert browser.sso_login("frank2").status_code == 403


def test_an_expired_session_logs_in_again_through_the_provider(browser, provider, settings):
    provider.account("gijs", groups=["casemanager"])
    browser.sso_login("gijs")
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(
        hours=settings.SESSION_MAX_AGE.total_seconds() / 3600 + 1
    )
    with time_machine.travel(later, tick=False):
        response = browser.client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # The provider's own session still holds: back in without typing, roles checked again.
    provider.account("gijs", groups=["rapportage"])
    assert browser.sso_login(None).status_code == 302
    assert roles(logged_in_user(browser.client)) == {Role.RAPPORTAGE}


def test_a_deactivated_user_is_out_at_once_and_refused(browser, provider):
    provider.account("ria", groups=["casemanager"])
    browser.sso_login("ria")
    User.objects.filter(sso_identity__subject="ria").update(is_active=False)
    assert browser.client.get(reverse("cases:list")).status_code == 302
    response = browser.sso_login(None)
    assert response.status_code == 403
    assert "uitgeschakeld" in response.content.decode()


def test_log_out_ends_the_providers_session_too(browser, provider):
    provider.account("hanna", groups=["casemanager"])
    browser.sso_login("hanna")
    id_token = browser.client.session[oidc.ID_TOKEN_SESSION]
    response = browser.client.post("/uitloggen/")
    end_session = response["Location"]
    assert end_session.startswith(f"{provider.issuer}/session/end")
    assert query(end_session)["id_token_hint"] == id_token
    assert query(end_session)["post_logout_redirect_uri"] == "http://testserver/inloggen/"
    assert "_auth_user_id" not in browser.client.session
    page = browser.provider.get(end_session, timeout=10)
    import re

    xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text).group(1)
    action = re.search(r'action="([^"]+)"', page.text).group(1)
    done = browser.provider.post(
        provider.issuer + action if action.startswith("/") else action,
        data={"xsrf": xsrf, "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.headers["Location"] == "http://testserver/inloggen/"
    # The provider asks who it is again: its session ended.
    with pytest.raises(AssertionError, match="asked for a log-in"):
        browser.sso_login(None)
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT).count() == 1


def _other_key_pem():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _tampered(token: str, **claims) -> str:
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=="))
    data.update(claims)
    encoded = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def _forged_with_other_key(token: str) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["groups"] = ["teamleider"]
    return jwt.encode(claims, _other_key_pem(), algorithm="RS256", headers={"kid": "test-key"})


def _hs256_with_client_secret(token: str) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode(claims, CLIENT_SECRET, algorithm="HS256", headers={"kid": "test-key"})


def _unsigned(token: str) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode(claims, None, algorithm="none")


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: _tampered(token, groups=["teamleider"]),
        _forged_with_other_key,
        _hs256_with_client_secret,
        _unsigned,
    ],
    ids=["changed-claims", "other-key", "hs256-with-secret", "alg-none"],
)
def test_a_forged_or_wrongly_signed_token_is_refused(browser, provider, forge, monkeypatch):
    provider.account("ivo", groups=["casemanager"])
    real_get_token = oidc.SsoBackend.get_token

    def forged(self, payload):
        answer = real_get_token(self, payload)
        return {**answer, "id_token": forge(answer["id_token"])}

    monkeypatch.setattr(oidc.SsoBackend, "get_token", forged)
    response = browser.sso_login("ivo")
    assert response.status_code == 403
    assert "ongeldig" in response.content.decode()
    assert "_auth_user_id" not in browser.client.session
    assert not User.objects.filter(sso_identity__subject="ivo").exists()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).exists()


def test_a_token_for_another_client_or_expired_is_refused(browser, provider, monkeypatch):
    """The ID token itself is genuine, but not for this app (audience) or too old."""
    provider.account("jan", groups=["casemanager"])
    monkeypatch.setattr(oidc.SsoBackend, "OIDC_RP_CLIENT_ID", property(lambda self: "ander"))
    monkeypatch.setattr(
        oidc.SsoBackend, "get_token", lambda self, payload: _real_token(self, payload)
    )
    assert browser.sso_login("jan").status_code == 403


def _real_token(backend, payload):
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend

    payload["client_id"] = CLIENT_ID
    return OIDCAuthenticationBackend.get_token(backend, payload)


def test_an_expired_id_token_is_refused(browser, provider):
    provider.account("kees", groups=["casemanager"])
    start = browser.client.get("/sso/inloggen/")
    back = browser.follow_provider(start["Location"], "kees")
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        response = browser.client.get(back[len("http://testserver") :])
    assert response.status_code == 403


# -- two-factor ----------------------------------------------------------------------------


def _with_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def test_multi_factor_at_the_provider_skips_the_apps_code(browser, provider, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER = True
    provider.account("lot", groups=["teamleider"], amr=["pwd", "mfa"])
    browser.sso_login("lot")
    assert browser.client.get(reverse("audit:log")).status_code == 200
    login = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert login.changes["meerstapsverificatie bij provider"] is True


def test_an_acr_level_counts_as_multi_factor_when_configured(browser, provider, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER = True
    settings.OIDC_MFA_ACR = ["urn:gemeente:mfa"]
    provider.account("mia", groups=["teamleider"], acr="urn:gemeente:mfa")
    browser.sso_login("mia")
    assert browser.client.get(reverse("audit:log")).status_code == 200


def test_without_multi_factor_the_apps_rule_applies(browser, provider, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER = True
    provider.account("nina", groups=["teamleider"], amr=["pwd"])
    browser.sso_login("nina")
    # A team leader without a device is sent to set one up, as after a password log-in.
    assert browser.client.get(reverse("audit:log"))["Location"] == reverse("accounts:two_factor")


def test_without_multi_factor_a_user_with_a_device_gives_the_code(browser, provider):
    provider.account("otto", groups=["casemanager"], amr=["pwd"])
    browser.sso_login("otto")
    user = logged_in_user(browser.client)
    device = _with_device(user)
    browser.client.post("/uitloggen/")
    browser.sso_login(None)
    response = browser.client.get(reverse("cases:list"))
    assert response["Location"] == reverse("sso:verify")
    wrong = browser.client.post(reverse("sso:verify"), {"otp_token": "000000"})
    assert "klopt niet" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    assert browser.client.post(reverse("sso:verify"), {"otp_token": code}).status_code == 302
    assert browser.client.get(reverse("cases:list")).status_code == 200


# -- local passwords -----------------------------------------------------------------------


def test_local_passwords_off_except_the_break_glass_account(client, settings):
    settings.LOCAL_LOGIN_ENABLED = False
    settings.LOCAL_LOGIN_BREAK_GLASS = "nood"
    UserFactory(username="piet", role=Role.TEAMLEIDER)
    UserFactory(username="nood", role=Role.TEAMLEIDER)
    refused = client.post(reverse("login"), {"username": "piet", "password": "geheim-wachtwoord"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    allowed = client.post(reverse("login"), {"username": "nood", "password": "geheim-wachtwoord"})
    assert allowed.status_code == 302


def test_the_login_page_offers_sso(client):
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met uw account van de gemeente" in page


def test_a_provider_that_is_down_gets_a_dutch_page(client, settings):
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = client.get("/sso/inloggen/")
    assert response.status_code == 503
    assert "niet bereikbaar" in response.content.decode()


def test_sso_is_off_by_default(client, settings):
    settings.OIDC_ENABLED = False
    assert client.get("/sso/inloggen/").status_code == 404
    assert "account van de gemeente" not in client.get(reverse("login")).content.decode()


# -- each role, as the access table says -----------------------------------------------------


def _access_rows():
    from tests.test_access import URLS

    rows = []
    for url in URLS:
        try:
            plain = url.kwargs({}) == {}
        except (KeyError, TypeError):
            plain = False
        # The table's sso: rows say what they answer with SSO off.
        if plain and not url.name.startswith("sso:"):
            rows.append(url)
    return rows


@pytest.mark.parametrize("role", list(Role))
def test_an_sso_user_of_each_role_has_that_roles_access(browser, provider, role):
    from tests.test_access import LOGIN

    # The provider asserts multi-factor, as a municipality's does: a role that must use two
    # factors (a ketenpartner) is then verified, and every role reaches what its table says.
    provider.account(f"rol-{role}", groups=[str(role)], amr=["pwd", "mfa"])
    assert browser.sso_login(f"rol-{role}").status_code == 302
    user = logged_in_user(browser.client)
    assert roles(user) == {role}
    if role == Role.KETENPARTNER:
        # A partner's pages show its own organisation's overleggen: the team leader links the
        # account to a contact person (woonoverlast.overleg), as test_access's world does.
        from tests.overleg_helpers import organisation
        from woonoverlast.overleg.models import Contact

        Contact.objects.create(organisation=organisation("Corporatie", categories=[]), user=user)
    checked = 0
    for url in _access_rows():
        if role not in url.expect:
            continue
        expected = url.expect[role]
        try:
            path = reverse(url.name)
        except Exception:
            continue
        response = browser.client.get(path)
        if expected == LOGIN:
            assert response.status_code == 302, url.name
        else:
            assert response.status_code == expected, (url.name, role)
        checked += 1
    assert checked > 10
    Group.objects.get(name=role)  # the role is a real group


# -- the mapping ---------------------------------------------------------------------------


def test_the_mapping_takes_any_role_value_and_ignores_others(settings):
    settings.OIDC_GROUP_ROLES = {"A": "teamleider", "B": "geen-rol", "C": "casemanager"}
    assert oidc.roles_from_claims({"groups": ["A", "B", "X"]}) == {Role.TEAMLEIDER}
    assert oidc.roles_from_claims({"groups": "C"}) == {Role.CASEMANAGER}
    assert oidc.roles_from_claims({}) == set()
    settings.OIDC_GROUP_ROLES = {}
    # Unset: every role of accounts.roles.Role by its own name, new roles included.
    assert oidc.group_roles() == {role.value: role.value for role in Role}


def test_what_counts_as_multi_factor(settings):
    settings.OIDC_MFA_AMR = ["mfa", "otp"]
    settings.OIDC_MFA_ACR = ["2"]
    assert oidc.mfa_asserted({"amr": ["pwd", "otp"]})
    assert oidc.mfa_asserted({"amr": "mfa"})
    assert oidc.mfa_asserted({"acr": "2"})
    assert not oidc.mfa_asserted({"amr": ["pwd"], "acr": "1"})
    assert not oidc.mfa_asserted({})


def test_refusals_of_others_do_not_lock_sso_for_their_address(browser, provider, settings):
    """django-axes counts failed log-ins per user name and address; a refusal at the SSO
    callback has no user name. Colleagues without a mapped group, refused from the
    municipality's one address, must not lock out the next colleague's SSO log-in."""
    settings.AXES_FAILURE_LIMIT = 2
    provider.account("zonder", groups=["Iedereen"])
    provider.account("met", groups=["casemanager"])
    for _ in range(3):
        assert browser.sso_login("zonder").status_code == 403
        browser.provider.cookies.clear()
    response = browser.sso_login("met")
    assert response.status_code == 302, response.content.decode()[:300]
    assert roles(logged_in_user(browser.client)) == {Role.CASEMANAGER}


@pytest.mark.parametrize("through_sso", [False, True])
def test_the_header_offers_a_password_change_only_to_a_local_log_in(client, through_sso):
    """A user who logged in through the provider has no password here to change."""
    from tests.factories import casemanager
    from woonoverlast.accounts.two_factor import SSO_SESSION

    client.force_login(casemanager())
    if through_sso:
        session = client.session
        session[SSO_SESSION] = True
        session.save()
    html = client.get(reverse("cases:mine")).content.decode()
    assert (reverse("accounts:password_change") in html) is not through_sso
    assert "Uitloggen" in html
