"""An expected refusal is one line in the log, printed once."""

import io
import logging

import pytest
from django.urls import reverse

from tests.factories import rapportage

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_output():
    """What the root's console handler prints, at the level the app runs with."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def test_a_refusal_is_one_line_without_a_traceback(client, log_output):
    client.force_login(rapportage())
    response = client.get(reverse("cases:list"))
    assert response.status_code == 403
    lines = log_output.getvalue().splitlines()
    # Besides django-structlog's own request_started and request_finished (a line each).
    refusal = [line for line in lines if line and " django_structlog." not in line]
    assert refusal == ["WARNING django.request Forbidden (Permission denied): /casussen/"]
    assert len(lines) == 3 and "Traceback" not in log_output.getvalue()


def test_django_does_not_print_request_errors_a_second_time():
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django.request").handlers == []


@pytest.fixture
def console_output():
    """What the app's own console handler (settings.LOGGING) prints: its formatter and its
    filters, writing to a string."""
    configured = next(
        handler
        for handler in logging.getLogger().handlers
        if type(handler) is logging.StreamHandler and handler.filters
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured.formatter)
    for log_filter in configured.filters:
        handler.addFilter(log_filter)
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def test_a_request_error_logs_the_path_without_the_query_and_with_the_request_id(
    client, console_output
):
    """Django logs a refusal with the request object, whose repr has the query string (a
    searched street, an SSO authorization code): the line has the method and path only, and
    the request's id, which Django's line would otherwise lack."""
    client.force_login(rapportage())
    response = client.get(
        reverse("cases:list") + "?q=Geheimstraat&code=autorisatiecode",
        HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef",
    )
    assert response.status_code == 403
    lines = [
        line
        for line in console_output.getvalue().splitlines()
        if "Forbidden" in line or "django.request" in line
    ]
    assert lines, console_output.getvalue()
    output = console_output.getvalue()
    assert "Geheimstraat" not in output and "autorisatiecode" not in output
    assert "GET /casussen/" in lines[0]
    assert "0123456789abcdef0123456789abcdef" in lines[0]
