"""Errors of the API as `application/problem+json` (RFC 9457), with a Dutch title and detail.

Every refusal goes through `exception_handler` (the DRF setting EXCEPTION_HANDLER): DRF's own
exceptions, and a service's django ValidationError, which becomes a 400 naming the API's
fields (the view's `field_names` maps the service's argument names to them), or a 409 when
the service refused a stale version. Invalid fields are listed in `invalid_params`, shaped as
in the ZGW APIs: `name`, `code`, `reason`.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record

CONTENT_TYPE = "application/problem+json"
GENERAL = "algemeen"  # the name of errors that are about no single field

TITLES = {
    400: "Ongeldige invoer",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Antwoordformaat niet beschikbaar",
    409: "Conflict",
    415: "Mediatype niet ondersteund",
    422: "Idempotency-Key al gebruikt",
    429: "Te veel verzoeken",
}
DETAILS = {
    400: "De invoer bevat fouten; zie invalid_params.",
    401: "Geef een geldig token mee (Authorization: Token <sleutel>) of log in.",
    403: "U hebt geen toegang tot dit onderdeel van de API.",
    404: "Dit bestaat niet, of u mag het niet zien.",
}
# A service refuses a change made from an outdated copy with this code (case_update).
STALE_CODES = {"stale"}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Het verzoek botst met de huidige toestand."
    default_code = "conflict"


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        "Deze Idempotency-Key is de afgelopen 24 uur al gebruikt voor een ander verzoek. "
        "Gebruik een nieuwe sleutel voor een nieuw verzoek."
    )
    default_code = "idempotency_key_reused"


class InvalidParam(serializers.Serializer):
    name = serializers.CharField(help_text="Het veld (of 'algemeen').")
    code = serializers.CharField()
    reason = serializers.CharField(help_text="De melding, in het Nederlands.")


class Problem(serializers.Serializer):
    # The body of every error (RFC 9457).

    type = serializers.CharField(help_text="Altijd 'about:blank': de status zegt genoeg.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    code = serializers.CharField()
    invalid_params = InvalidParam(many=True, required=False)


def _body(status_code: int, *, request, detail: str, code: str) -> dict:
    return {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Fout"),
        "status": status_code,
        "detail": detail or DETAILS.get(status_code, TITLES.get(status_code, "Fout")),
        "instance": request.get_full_path() if request is not None else "",
        "code": code or "error",
    }


def problem(
    status_code: int, *, request, detail: str = "", code: str = "", invalid=(), headers=None
):
    body = _body(status_code, request=request, detail=detail, code=code)
    if invalid:
        body["invalid_params"] = list(invalid)
    return Response(body, status=status_code, headers=headers, content_type=CONTENT_TYPE)


API_PREFIX = "/api/"
TITLES.setdefault(500, "Serverfout")
DETAILS.setdefault(
    500,
    "Er is een fout opgetreden. Probeer het later opnieuw; blijft het misgaan, meld het dan "
    "bij de functioneel beheerder.",
)


def is_api_request(request) -> bool:
    return request is not None and request.path_info.startswith(API_PREFIX)


def problem_response(request, status_code: int, *, detail: str = "", code: str = "error"):
    """A problem+json answer outside DRF's views: Django's own error handlers (400, 403, 404,
    500) answer the API's addresses with it, so an API client never gets an HTML page."""
    from django.http import JsonResponse

    body = _body(status_code, request=request, detail=detail, code=code)
    return JsonResponse(body, status=status_code, content_type=CONTENT_TYPE)


def _flatten(detail, prefix: str = ""):
    """DRF's nested error detail as (name, code, reason) rows; list items as `name.0`."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = GENERAL if key in (NON_FIELD_ERRORS, "non_field_errors") else str(key)
            yield from _flatten(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            for item in detail:
                yield {
                    "name": prefix or GENERAL,
                    "code": getattr(item, "code", "invalid") or "invalid",
                    "reason": str(item),
                }
        else:
            for index, item in enumerate(detail):
                yield from _flatten(item, f"{prefix}.{index}" if prefix else str(index))
    else:
        yield {
            "name": prefix or GENERAL,
            "code": getattr(detail, "code", "invalid") or "invalid",
            "reason": str(detail),
        }


def service_errors(error: DjangoValidationError, field_names: dict[str, str]) -> list[dict]:
    """A service's ValidationError as invalid_params, its argument names in the API's words."""
    rows = []
    errors = (
        error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
    )
    for key, items in errors.items():
        name = GENERAL if key == NON_FIELD_ERRORS else field_names.get(key, key)
        for item in items:
            for message in item.messages:
                rows.append({"name": name, "code": item.code or "invalid", "reason": message})
    return rows


def _service_codes(error: DjangoValidationError) -> set[str]:
    return (
        {item.code for item in error.error_list}
        if not hasattr(error, "error_dict")
        else {item.code for items in error.error_dict.values() for item in items}
    )


def exception_handler(exc, context):
    request = context.get("request")
    view = context.get("view")
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        invalid = service_errors(exc, getattr(view, "field_names", {}))
        if _service_codes(exc) & STALE_CODES:
            return problem(
                409,
                request=request,
                code="stale",
                detail=" ".join(row["reason"] for row in invalid),
                invalid=invalid,
            )
        return problem(400, request=request, code="invalid", invalid=invalid)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django's handler (and the error log) take it

    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{exc.wait:.0f}"
    code = exc.status_code
    invalid = []
    detail = ""
    if isinstance(exc, exceptions.ValidationError):
        invalid = list(_flatten(exc.detail))
    elif isinstance(exc, exceptions.Throttled):
        detail = (
            f"Te veel verzoeken. Probeer het over {exc.wait:.0f} seconden opnieuw."
            if exc.wait
            else ""
        )
    elif isinstance(exc.detail, str) and not (
        code in DETAILS and str(exc.detail) == str(exc.default_detail)
    ):
        detail = str(exc.detail)
    if code == 403 and request is not None:
        record(AuditAction.DENIED, by=request.user)
    default_codes = {400: "invalid", 401: "not_authenticated", 403: "permission_denied"}
    error_code = (
        exc.get_codes() if isinstance(exc.get_codes(), str) else default_codes.get(code, "invalid")
    )
    return problem(
        code, request=request, code=error_code, detail=detail, invalid=invalid, headers=headers
    )
