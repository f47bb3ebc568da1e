"""Log-in throttling, session limits, CSRF and the production settings."""

import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import casemanager
from woonoverlast.accounts.middleware import LOGGED_IN_AT

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parent.parent
PASSWORD = "een-goed-wachtwoord-9"


def log_in(client, user, password=PASSWORD):
    return client.post(reverse("login"), {"username": user.username, "password": password})


class TestThrottling:
    def test_locks_a_user_name_after_repeated_failures(self, client):
        worker = casemanager(password=PASSWORD)
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert log_in(client, worker, "fout").status_code == 200  # form again, with error
        locked = log_in(client, worker, "fout")
        assert locked.status_code == 429
        assert "Inloggen tijdelijk geblokkeerd" in locked.content.decode()
        # Even the right password is refused while locked ...
        assert log_in(client, worker).status_code == 429
        # ... until the cool-off has passed.
        later = datetime.datetime.now(tz=datetime.UTC) + settings.AXES_COOLOFF_TIME
        with time_machine.travel(later + datetime.timedelta(minutes=1)):
            assert log_in(client, worker).status_code == 302

    def test_a_wrong_password_shows_a_dutch_error_and_keeps_the_user_name(self, client):
        worker = casemanager(password=PASSWORD)
        response = log_in(client, worker, "fout")
        html = response.content.decode()
        assert "Voer een juiste gebruikersnaam en wachtwoord in" in html
        assert f'value="{worker.username}"' in html


class TestSessions:
    def test_ends_after_thirty_idle_minutes(self, client):
        worker = casemanager(password=PASSWORD)
        start = datetime.datetime(2024, 6, 3, 9, 0, tzinfo=datetime.UTC)
        with time_machine.travel(start, tick=False):
            log_in(client, worker)
            assert client.get(reverse("home")).status_code == 200
        with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
            assert client.get(reverse("home")).status_code == 200  # activity renews it
        with time_machine.travel(start + datetime.timedelta(minutes=60), tick=False):
            response = client.get(reverse("home"))
            assert response.status_code == 302 and response.url.startswith(reverse("login"))

    def test_ends_at_the_maximum_however_active(self, client):
        worker = casemanager(password=PASSWORD)
        start = datetime.datetime(2024, 6, 3, 7, 0, tzinfo=datetime.UTC)
        with time_machine.travel(start, tick=False) as traveller:
            log_in(client, worker)
            for _ in range(int(settings.SESSION_MAX_AGE.total_seconds() // 1200)):
                traveller.shift(datetime.timedelta(minutes=20))
                assert client.get(reverse("home")).status_code == 200
            traveller.shift(datetime.timedelta(minutes=20))
            response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert LOGGED_IN_AT not in client.session

    def test_settings(self):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        assert settings.SESSION_COOKIE_HTTPONLY


def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    worker = casemanager(password=PASSWORD)
    response = client.post(reverse("login"), {"username": worker.username, "password": PASSWORD})
    assert response.status_code == 403


def production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="woonoverlast.zoetermeer.nl",
        DATABASE_URL="sqlite:////tmp/woonoverlast-deploy-check.sqlite3",
    )
    env.update(overrides)
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_the_development_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY when DEBUG is off" in result.stderr


def test_a_filemail_url_names_an_absolute_folder():
    """Issue 17, finding 12: filemail:///srv/woonoverlast/mail wrote to srv/woonoverlast/mail
    under the working directory."""
    env = {**production_env(DEBUG="true"), "EMAIL_URL": "filemail:///srv/woonoverlast/mail"}
    code = "from django.conf import settings; print(settings.EMAIL_FILE_PATH)"
    result = manage("shell", "-c", code, env=env)
    assert result.stdout.strip().splitlines()[-1] == "/srv/woonoverlast/mail", result.stderr
