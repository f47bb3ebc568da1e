"""The OpenAPI schema (drf-spectacular): every operation documents its errors as problem+json
and every POST its Idempotency-Key header, so that clients (and Schemathesis) see them."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from .idempotency import HEADER, MAX_KEY_LENGTH
from .problems import CONTENT_TYPE, TITLES, Problem

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Een eigen sleutel per verzoek (bijvoorbeeld een UUID). Hetzelfde verzoek met "
    "dezelfde sleutel binnen 24 uur geeft het eerste antwoord opnieuw en legt niets "
    f"opnieuw vast. Hoogstens {MAX_KEY_LENGTH} tekens.",
)


class ApiAutoSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "POST":
            parameters = [*parameters, IDEMPOTENCY_PARAMETER]
        return parameters

    def _error_codes(self) -> list[int]:
        codes = [400, 401, 403]
        if "{" in self.path:
            codes.append(404)
        if self.method in ("POST", "PATCH", "PUT"):
            codes.append(409)
        if self.method == "POST":
            codes.append(422)
        codes.append(429)
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if str(code) not in responses:
                response = self._get_response_for_code(
                    Problem, str(code), [CONTENT_TYPE], direction
                )
                response["description"] = TITLES[code]
                responses[str(code)] = response
        return responses
