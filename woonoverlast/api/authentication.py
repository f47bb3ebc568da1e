"""`Authorization: Token <key>`: a user's API token (see models.ApiToken and `api_token`)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from woonoverlast.accounts.roles import two_factor_required

from .models import ApiToken, hash_key

KEYWORD = "Token"


class TokenAuthentication(authentication.BaseAuthentication):
    """Authenticates by the hash of the key; refuses revoked tokens and inactive users.

    First in the list of authentication classes so that a request without credentials gets
    401 with `WWW-Authenticate: Token` (a session-only API would answer 403).
    """

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Ongeldige Authorization-header: gebruik 'Token <sleutel>'.")
            )
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Ongeldig token.")) from None
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=hash_key(key), user__is_active=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Ongeldig of ingetrokken token."))
        if not token.second_factor and two_factor_required(token.user):
            # Made before the rule, or without the code: the log-in's second factor is missing.
            raise exceptions.AuthenticationFailed(
                _(
                    "Dit token is gemaakt zonder verificatiecode; maak een nieuw met "
                    "`manage.py api_token GEBRUIKERSNAAM --code CODE`."
                )
            )
        request.api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <sleutel>`; een sleutel maakt u met "
            "`python manage.py api_token GEBRUIKERSNAAM`.",
        }
