"""For the runs of mutation/run.py only: it is linked into each block's scratch folder as
conftest.py, which mutmut copies beside the tests it runs.

On PostgreSQL every pytest session of the run (mutmut starts one per mutant) uses the test
database that run.py made from the current migrations at its start, as it is. Without this,
each session has Django check every migration and run every app's post_migrate again (about
5 s of a mutant's 8 s). The tests' own data never stays: each test runs in a transaction that
is rolled back, and a transactional test's flush is followed by the reference data coming back
(tests/conftest.py). On SQLite (an in-memory database) nothing changes."""

import os

import pytest

if os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgis")):

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_blocker):
        from django.conf import settings
        from django.db import connections

        for alias in connections:
            connection = connections[alias]
            name = connection.settings_dict["NAME"]
            # mutmut runs pytest several times in one process: name the test database once.
            if not name.startswith("test_"):
                name = connection.creation._get_test_db_name()
            connection.close()
            settings.DATABASES[alias]["NAME"] = name
            connection.settings_dict["NAME"] = name
        # tests/conftest.py puts the reference data back after a transactional test's flush
        # only when another test follows in the same session (at a session's end the test
        # database is normally dropped). Here it stays: bring the data back for this session.
        with django_db_blocker.unblock():
            _reference_data_back()


def _reference_data_back() -> None:
    import importlib

    from django.apps import apps
    from django.core.management.sql import emit_post_migrate_signal

    from tests.conftest import REFERENCE_DATA_MIGRATIONS
    from woonoverlast.cases.models import District

    if District.objects.exists():
        return
    for module, function in REFERENCE_DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
