"""Helpers of the API tests: a client per role, with a real token."""

from rest_framework.test import APIClient

from woonoverlast.api.services import token_issue


def token_client(user) -> APIClient:
    """An APIClient that sends `Authorization: Token <key>` of a fresh token of `user`. A user
    who must use two-factor verification (a ketenpartner) gets a device and gives its code, as
    `manage.py api_token --code` asks."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.test_two_factor import current_code
    from woonoverlast.accounts.roles import two_factor_required

    code = None
    if two_factor_required(user):
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        code = current_code(device)
    _, key = token_issue(user=user, otp_token=code)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def problem(response, status: int) -> dict:
    """The problem+json body of an error response, after checking its status and type."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def field_names(body: dict) -> set[str]:
    return {row["name"] for row in body.get("invalid_params", [])}
