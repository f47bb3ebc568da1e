"""The database settings read from the environment (woonoverlast/settings.py)."""

import json
import os
import subprocess
import sys

import pytest


def database_settings(**environment) -> dict:
    """settings.DATABASES["default"] of a new process with this environment."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "woonoverlast.settings", **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@db/w", "-c jit=off -c max_parallel_workers_per_gather=0"),
        # Options already in the URL are kept.
        (
            "postgres://u@db/w?options=-c%20work_mem%3D8MB",
            "-c work_mem=8MB -c jit=off -c max_parallel_workers_per_gather=0",
        ),
    ],
)
def test_the_web_turns_parallel_query_off(url, expected):
    options = database_settings(DATABASE_URL=url, DATABASE_PARALLEL_WORKERS="0")
    assert options["options"] == expected


def test_unset_leaves_the_server_setting():
    """Parallel query: the server's own; JIT is off for every connection of the app."""
    assert database_settings(DATABASE_URL="postgres://u@db/w")["options"] == "-c jit=off"
    # SQLite has no such setting.
    assert "options" not in database_settings(
        DATABASE_URL="sqlite:///tmp.sqlite3", DATABASE_PARALLEL_WORKERS="0"
    )
