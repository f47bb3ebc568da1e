"""Single sign-on with the municipality's identity provider (OpenID Connect).

Built on mozilla-django-oidc (as Signalen and Open Zaak are): the authorization code flow with
PKCE, state and nonce, the ID token's signature checked against the provider's JWKS. Added
here, because the library leaves them out or to the project:

- the redirect URI is SITE_URL's, the address registered at the provider, never one made
  from the request's Host header (behind nginx it has no port, and a proxy may rewrite it);
- the endpoints come from the provider's discovery document (OIDC_DISCOVERY_URL), fetched
  when first needed, not at start-up (a provider that is down must not stop the app, nor the
  break-glass account's log-in);
- the ID token's issuer, audience and expiry are checked (the library skips the audience);
- users are found by a stable claim of the issuer (SsoIdentity), never by e-mail address;
- the roles follow the provider's groups at every log-in (OIDC_GROUP_ROLES), and a user
  without a mapped group is refused with a Dutch page;
- multi-factor asserted by the provider (`amr`/`acr`) stands in for the app's own TOTP step;
- RP-initiated log-out: log-out ends the provider's session too;
- every log-in, refusal and change of roles goes into the audit log.

Off unless OIDC_ENABLED: `make run` keeps the local demo log-ins.
"""

import logging
import time

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record

from .models import SsoIdentity
from .roles import Role

# Session keys: this session was opened through the provider; and it asserted multi-factor.
from .two_factor import SSO_MFA_SESSION, SSO_SESSION

logger = logging.getLogger(__name__)

ID_TOKEN_SESSION = "oidc_id_token"  # mozilla-django-oidc's key (OIDC_STORE_ID_TOKEN)

# Who changes a user's roles and name at an SSO log-in, in the audit log.
PROVIDER = "identiteitsprovider"

_metadata: dict[str, tuple[float, dict]] = {}
METADATA_SECONDS = 3600


def provider_metadata() -> dict:
    """The provider's discovery document, cached per process for an hour."""
    url = settings.OIDC_DISCOVERY_URL
    cached = _metadata.get(url)
    if cached and time.monotonic() - cached[0] < METADATA_SECONDS:
        return cached[1]
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    _metadata[url] = (time.monotonic(), document)
    return document


def callback_url() -> str:
    """The redirect URI sent to the provider (both in the authorization request and in the
    token request, which must match): SITE_URL + /sso/callback/, exactly what is registered
    at the provider. mozilla-django-oidc builds it from the request instead, which behind a
    proxy depends on the Host and X-Forwarded-Proto the proxy passes on."""
    return settings.SITE_URL.rstrip("/") + reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL)


def group_roles() -> dict[str, str]:
    """Group (as the provider names it) -> role. Unset: a group named like a role is that
    role. Any Role value is accepted, so a role added to accounts.roles works at once."""
    mapping = settings.OIDC_GROUP_ROLES or {role: role for role in Role.values}
    return {group: role for group, role in mapping.items() if role in Role.values}


def roles_from_claims(claims: dict) -> set[str]:
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    mapping = group_roles()
    return {mapping[group] for group in groups if group in mapping}


def mfa_asserted(claims: dict) -> bool:
    """Did the provider log the user in with more than one factor? `amr` (RFC 8176 values such
    as `mfa`, `otp`, `hwk`) or `acr` (a level the provider defines), as configured."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if set(amr) & set(settings.OIDC_MFA_AMR):
        return True
    return bool(claims.get("acr")) and claims.get("acr") in settings.OIDC_MFA_ACR


class SsoRefused(Exception):
    """The provider vouched for the person, but the app does not let them in."""

    def __init__(self, reason: str, *, who: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.who = who


def _username(claims: dict, subject: str) -> str:
    User = get_user_model()
    base = (claims.get("preferred_username") or f"sso-{subject}")[:140]
    name, number = base, 1
    while User.objects.filter(username=name).exists():
        number += 1
        name = f"{base}-{number}"
    return name


def sso_user_accept(claims: dict, *, issuer: str):
    """The user the verified claims stand for, with the roles their groups give now.

    Found by issuer and the stable claim OIDC_USER_CLAIM; created the first time. A user
    without a mapped group (any more) is refused, and loses the roles they had (that part is
    kept: the refusal is raised after the transaction).
    """
    subject = str(claims.get(settings.OIDC_USER_CLAIM) or "")
    if not subject:
        raise SsoRefused(f"het kenmerk {settings.OIDC_USER_CLAIM} ontbreekt")
    roles = roles_from_claims(claims)
    refusal = None
    with transaction.atomic():
        identity = (
            SsoIdentity.objects.select_related("user")
            .select_for_update()
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        user = identity.user if identity else None
        if user is not None:
            _set_roles(user, roles)
        if user is not None and not user.is_active:
            refusal = SsoRefused("uw account is uitgeschakeld", who=user.username)
        elif not roles:
            refusal = SsoRefused(
                "u hebt geen groep die toegang geeft tot Woonoverlast",
                who=user.username if user else subject,
            )
        else:
            user = user or _user_create(claims, issuer=issuer, subject=subject, roles=roles)
            _user_update(user, claims)
            SsoIdentity.objects.filter(user=user).update(last_login_at=timezone.now())
    if refusal is not None:
        raise refusal
    return user


def _user_create(claims: dict, *, issuer: str, subject: str, roles: set[str]):
    user = get_user_model().objects.create_user(_username(claims, subject))
    user.set_unusable_password()  # they log in through the provider only
    user.save(update_fields=["password"])
    SsoIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    record(AuditAction.CREATE, obj=user, actor_name=PROVIDER, changes={"via": "SSO"})
    _set_roles(user, roles)
    return user


def _user_update(user, claims: dict) -> None:
    """Name and e-mail address as the provider knows them now (never used to find users)."""
    for field, claim in (
        ("first_name", "given_name"),
        ("last_name", "family_name"),
        ("email", "email"),
    ):
        value = str(claims.get(claim) or "")[:150]
        if value and getattr(user, field) != value:
            setattr(user, field, value)
    user.save()


def _set_roles(user, roles: set[str]) -> None:
    """The user's role groups become exactly `roles`; other groups stay as they are."""
    current = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    if current == roles:
        return
    user.groups.remove(*Group.objects.filter(name__in=current - roles))
    user.groups.add(*Group.objects.filter(name__in=roles - current))
    user.__dict__.pop("_woonoverlast_roles", None)
    record(
        AuditAction.UPDATE,
        obj=user,
        actor_name=PROVIDER,
        changes={"rollen": {"oud": sorted(current), "nieuw": sorted(roles)}, "via": "SSO"},
    )


class SsoBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, with the endpoints from discovery, a full check of the
    ID token, its claims as the source of groups, and the app's own user matching."""

    def __init__(self, *args, **kwargs):
        # Nothing from the provider here: Django makes a backend for every log-in attempt,
        # the break-glass account's password log-in included.
        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: provider_metadata()["token_endpoint"])
    OIDC_OP_USER_ENDPOINT = property(lambda self: provider_metadata().get("userinfo_endpoint"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: provider_metadata()["jwks_uri"])
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (
            SuspiciousOperation,
            requests.RequestException,
            jwt.PyJWTError,
            KeyError,
            ValueError,
        ) as error:
            # A forged or wrongly signed token, a wrong nonce, a provider that refused the
            # code: logged for the administrator, audited, and the person sees the page.
            logger.warning("sso_refused", extra={"reason": str(error)})
            _refuse(request, SsoRefused("het antwoord van de identiteitsprovider is ongeldig"))
            return None

    def get_user(self, user_id):
        # Django's, which refuses a user who was deactivated since (the library's does not).
        return ModelBackend.get_user(self, user_id)

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("unexpected signing algorithm")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_metadata()["issuer"],
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=30,
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def get_token(self, payload):
        return super().get_token({**payload, "redirect_uri": callback_url()})

    def get_userinfo(self, access_token, id_token, payload):
        # The verified ID token is the source: Entra ID puts the groups there and not in its
        # userinfo answer; Keycloak's mappers can put them in both.
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            user = sso_user_accept(payload, issuer=payload["iss"])
        except SsoRefused as refusal:
            _refuse(self.request, refusal)
            return None
        self.request.session[SSO_SESSION] = True
        self.request.session[SSO_MFA_SESSION] = mfa_asserted(payload)
        return user


def _refuse(request, refusal: SsoRefused) -> None:
    request.sso_refusal = refusal.reason
    record(
        AuditAction.LOGIN_FAILED,
        actor_name=refusal.who[:150],
        changes={"via": "SSO", "reden": refusal.reason},
    )


def _enabled():
    if not settings.OIDC_ENABLED:
        raise Http404


class SsoLoginView(OIDCAuthenticationRequestView):
    """To the provider (authorization code flow with PKCE)."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        _enabled()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except (requests.RequestException, ValueError, KeyError):
            logger.exception("sso_discovery_failed")
            reason = "de identiteitsprovider van de gemeente is nu niet bereikbaar"
            return render(request, "registration/sso_refused.html", {"reason": reason}, status=503)
        return super().get(request)

    def get_extra_params(self, request):
        # Applied after the library's own parameters: replaces its request-made redirect URI.
        return {**super().get_extra_params(request), "redirect_uri": callback_url()}


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider: logged in, or the Dutch page that says why not."""

    def get(self, request):
        _enabled()
        return super().get(request)

    def login_failure(self):
        reason = getattr(self.request, "sso_refusal", "") or "het inloggen is afgebroken"
        return render(self.request, "registration/sso_refused.html", {"reason": reason}, status=403)


def logout_view(request):
    """Log out; after an SSO log-in, at the provider too (RP-initiated log-out)."""
    if request.method != "POST":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["POST"])
    target = reverse(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get(ID_TOKEN_SESSION)
    if settings.OIDC_ENABLED and request.session.get(SSO_SESSION) and id_token:
        end_session = provider_metadata().get("end_session_endpoint")
        if end_session:
            query = urlencode(
                {
                    "id_token_hint": id_token,
                    "client_id": settings.OIDC_RP_CLIENT_ID,
                    "post_logout_redirect_uri": settings.SITE_URL + target,
                }
            )
            target = f"{end_session}?{query}"
    auth.logout(request)
    return redirect(target)


def sso_enabled(request):
    """Context processor: the log-in page offers the provider when SSO is on; a user who
    logged in through it has no password here to change (the header leaves the link out)."""
    session = getattr(request, "session", None)
    return {
        "sso_enabled": settings.OIDC_ENABLED,
        "local_login_enabled": settings.LOCAL_LOGIN_ENABLED,
        "sso_session": bool(session is not None and session.get(SSO_SESSION)),
    }


def sso_verify(request):
    """The app's own second step after an SSO log-in without multi-factor at the provider,
    for a user who uses two-factor verification (the app's rule applies)."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .forms import ConfirmDeviceForm
    from .two_factor import UNVERIFIED_SESSION

    _enabled()
    if not request.user.is_authenticated or not request.session.get(UNVERIFIED_SESSION):
        return redirect(settings.LOGIN_REDIRECT_URL)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    form = ConfirmDeviceForm(request.POST or None)
    form.fields["otp_token"].help_text = "De 6 cijfers die uw authenticator-app nu toont."
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("otp_token", "Te veel verkeerde codes. Wacht even en probeer opnieuw.")
        elif device.verify_token(form.cleaned_data["otp_token"]):
            otp_login(request, device)
            request.session.pop(UNVERIFIED_SESSION, None)
            return redirect(request.session.pop("oidc_login_next", None) or "home")
        else:
            form.add_error("otp_token", "Deze code klopt niet. Vul de code in die de app nu toont.")
    return render(request, "registration/sso_verify.html", {"form": form})


def axes_whitelisted(request, credentials) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: attempts at the SSO callback are neither counted
    nor locked. django-axes locks a user name from an address; a refusal there (no mapped
    group, a deactivated account, a forged token) has no user name, so a few colleagues
    refused from the municipality's shared address would lock the callback for all of them.
    The guessing axes guards against cannot happen there: a log-in needs a code from the
    provider, whose own log-in is throttled. Every refusal is still in the audit log."""
    return request is not None and request.path == reverse(
        settings.OIDC_AUTHENTICATION_CALLBACK_URL
    )


class LocalPasswordBackend(ModelBackend):
    """Django's password log-in, unless local passwords are switched off
    (LOCAL_LOGIN_ENABLED=false): then only the break-glass account (LOCAL_LOGIN_BREAK_GLASS)
    may log in with a password, for when the provider is down."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED and (
            not settings.LOCAL_LOGIN_BREAK_GLASS or username != settings.LOCAL_LOGIN_BREAK_GLASS
        ):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
