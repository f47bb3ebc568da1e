"""/gezondheid/ (liveness and readiness) and the structured logs with their request id."""

import io
import json
import logging
import logging.config
import os
import re

import pytest
from django.urls import reverse

from tests.factories import CaseFactory, casemanager
from woonoverlast import celery_app, db_router
from woonoverlast.db_router import ReplicaState
from woonoverlast.logs import logging_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_ready_says_ok_and_nothing_more(client, media):
    response = client.get(reverse("gezondheid"))
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert "no-store" in response["Cache-Control"]
    assert not list(media.rglob("*.txt"))  # the storage probe cleans up after itself


def test_ready_writes_no_file(client, media, monkeypatch):
    """Probed every few seconds by every balancer: it looks at MEDIA_ROOT without writing a
    file on every call (issue 27)."""
    from django.core.files.storage import FileSystemStorage

    def refuse(*args, **kwargs):
        raise AssertionError("the health check wrote a file")

    monkeypatch.setattr(FileSystemStorage, "save", refuse)
    monkeypatch.setattr(FileSystemStorage, "_save", refuse)
    response = client.get(reverse("gezondheid"))
    assert response.status_code == 200
    assert list(media.iterdir()) == []


def test_a_full_media_root_is_not_ready(client, media, monkeypatch):
    import collections
    import shutil

    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 100, 100))
    assert client.get(reverse("gezondheid")).status_code == 503


def test_live_checks_nothing(client):
    _broker("redis://127.0.0.1:1/0")  # nothing listens there
    response = client.get(reverse("gezondheid_live"))
    assert (response.status_code, response.content) == (200, b"ok\n")


def _broker(url):
    """Point the Celery app at `url` for this test (the fixture below puts it back).
    Celery reads CELERY_BROKER_URL from the environment before its configuration."""
    os.environ["CELERY_BROKER_URL"] = url
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def celery_conf_restored(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", os.environ.get("CELERY_BROKER_URL", ""))
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    yield
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved


@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param(lambda settings, media: _broker("redis://127.0.0.1:1/0"), id="broker"),
        pytest.param(
            lambda settings, media: setattr(settings, "MEDIA_ROOT", str(media / "bestand")),
            id="storage",
        ),
    ],
)
def test_not_ready_is_a_503_that_names_nothing(client, settings, media, break_it, caplog):
    (media / "bestand").write_text("geen map")  # MEDIA_ROOT pointing at a file cannot store
    break_it(settings, media)
    with caplog.at_level(logging.WARNING, logger="health_check"):
        response = client.get(reverse("gezondheid"))
    assert (response.status_code, response.content) == (503, b"niet gereed\n")
    assert "health check" in caplog.text.lower()  # what failed is in the log, not the answer


def test_a_replica_down_is_logged_but_the_app_stays_ready(client, media, monkeypatch, caplog):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(
        db_router, "replica_state", lambda fresh=False: ReplicaState(up=False, problem="Oops")
    )
    monkeypatch.setattr(db_router, "close_replica", lambda: None)
    with caplog.at_level(logging.WARNING, logger="health_check"):
        response = client.get(reverse("gezondheid"))
    assert response.status_code == 200
    assert "Replica unavailable" in caplog.text


# -- logs --------------------------------------------------------------------------------------


@pytest.fixture
def json_log():
    """Every log line of the test as the production JSON formatter writes it."""
    config = logging_config(level="INFO", log_format="json")
    formatter = logging.config.dictConfigClass(config).configure_custom(
        dict(config["formatters"]["structured"])
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_every_line_of_a_request_carries_its_id_and_the_id_is_returned(client, json_log):
    client.force_login(casemanager())
    response = client.get(reverse("cases:list"), headers={"X-Request-ID": "a1b2c3d4e5f6a7b8"})
    assert response["X-Request-ID"] == "a1b2c3d4e5f6a7b8"
    lines = json_log()
    assert {line["event"] for line in lines} >= {"request_started", "request_finished"}
    assert {line.get("request_id") for line in lines} == {"a1b2c3d4e5f6a7b8"}
    assert all(line["level"] and line["timestamp"] for line in lines)


def test_a_forged_request_id_is_replaced(client):
    response = client.get(reverse("login"), headers={"X-Request-ID": 'x"\n{"event": "nep'})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_no_search_text_or_form_data_in_the_log(client, json_log):
    kase = CaseFactory()
    client.force_login(casemanager())
    client.get(reverse("cases:list"), {"q": "Koenweg 12"})
    client.post(
        reverse("cases:close", args=[kase.reference]),
        {"on": "31-02-2024", "reason": "", "note": "Kees de Vries verhuisd"},
    )
    text = json.dumps(json_log())
    assert "request_finished" in text
    assert "Koenweg" not in text
    assert "Kees" not in text
    assert "127.0.0.1" not in text  # no client addresses either
