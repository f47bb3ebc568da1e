"""Schemathesis against the live OpenAPI schema: every operation, as every role (with a real
token) and without credentials, through the Django WSGI app. Checks: no 5xx, and every
response conforms to the schema (status, content type and body as documented).

Bounded for two cores: few examples per operation, no deadline (a slow shared machine is not a
failure), no shrinking phase beyond Hypothesis' defaults.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import CaseFactory, UserFactory
from woonoverlast.accounts.roles import Role
from woonoverlast.api.services import token_issue

MAX_EXAMPLES = 4


@pytest.fixture(autouse=True)
def _wsgi_requests_keep_the_test_connection(settings):
    """The WSGI handler closes "old" database connections at the start and end of each
    request; inside a test that would end the test's transaction, so (as Django's test client
    does) that is switched off while these tests run. No throttling in between."""
    settings.API_THROTTLE_RATE = "100000/minute"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _load_schema():
    """The schema as the running app serves it (read at collection; it needs no database)."""
    from woonoverlast.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


schema = _load_schema()


@pytest.fixture
def headers_of(db):
    """headers_of(role): the Authorization header of one user of that role (made once per
    test), or none for None."""
    CaseFactory()  # something for the lists to show
    made = {}

    def headers(role) -> dict:
        if role is None:
            return {}
        if role not in made:
            _, key = token_issue(user=UserFactory(role=role))
            made[role] = {"Authorization": f"Token {key}"}
        return made[role]

    return headers


def _conformance_test(role):
    @schema.parametrize()
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def test(case, headers_of):
        case.call_and_validate(
            headers=headers_of(role), checks=[not_a_server_error, response_schema_conformance]
        )

    return test


test_api_without_token = _conformance_test(None)
test_api_as_casemanager = _conformance_test(Role.CASEMANAGER)
test_api_as_teamleider = _conformance_test(Role.TEAMLEIDER)
test_api_as_rapportage = _conformance_test(Role.RAPPORTAGE)
test_api_as_koppeling = _conformance_test(Role.KOPPELING)
# The vernietigingslijsten answer 200 only to the archivaris: their bodies checked too.
test_api_as_archivaris = _conformance_test(Role.ARCHIVARIS)
