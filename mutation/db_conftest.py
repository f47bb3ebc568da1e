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
