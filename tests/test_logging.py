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
