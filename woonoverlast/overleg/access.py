"""Where a ketenpartner account may go: /partner/, its own account pages and logging out."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from woonoverlast.accounts.roles import is_partner_account

# The log-in and the account pages (two-factor set-up, which is required for partners, and the
# password) hold nothing of any case.
PARTNER_ACCOUNT_PATHS = ("/partner/", "/inloggen/", "/uitloggen/", "/account/")


class PartnerAccountMiddleware:
    """A ketenpartner gets 403 on every page outside /partner/, including pages added later by
    apps that never heard of partners, the admin and the API (a token of a partner account is
    refused by the API's own permissions, which ask the same roles)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_partner_account(user):
            if request.path == "/":
                return redirect("partner:home")  # where the log-in sends everyone
            if not request.path.startswith(PARTNER_ACCOUNT_PATHS):
                raise PermissionDenied
        return self.get_response(request)
