import importlib
import os

import pytest
from django.db import transaction

from woonoverlast.cases.demo import load_demo


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data set, loaded once per test module and rolled back after it.

    Tests that use it also take `db`, which wraps each test in a savepoint on top.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


# The data migrations that fill a new database with what every test expects, each with its
# function: role groups, wijken, categories, partners, the termijnbewaking settings row, the
# koppeling group and the terugkoppeling texts, the archivaris and ketenpartner groups, the
# Atw's equated days and the Selectielijst's resultaten (in migration order: 0004 updates rows
# that 0002 made).
REFERENCE_DATA_MIGRATIONS = (
    ("woonoverlast.accounts.migrations.0002_role_groups", "create"),
    ("woonoverlast.accounts.migrations.0004_archivaris_group", "create"),
    ("woonoverlast.accounts.migrations.0006_ketenpartner_role", "create"),
    ("woonoverlast.cases.migrations.0002_reference_data", "create"),
    ("woonoverlast.followups.migrations.0002_settings_row", "create"),
    ("woonoverlast.intake.migrations.0002_koppeling_role_and_texts", "create"),
    ("woonoverlast.measures.migrations.0003_atw_equated_days_2023_2028", "add_days"),
    ("woonoverlast.archiving.migrations.0002_selectielijst_2020_result_types", "load"),
    ("woonoverlast.archiving.migrations.0004_request_results_for_measures", "forwards"),
)


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by flushing the test database, the migrations' reference data
    included. With --dist loadscope the worker's next module may well be an ordinary one, so
    put that data back before it runs: the rows Django serialized after migrating (on an empty
    database: the flush's post_migrate made role groups with new ids, which would clash with
    them), or else the data migrations' own functions and post_migrate."""
    result = yield
    # nextitem None: the session's end, the test database is gone already.
    if nextitem is None or not _transactional(item):
        return result
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    from woonoverlast.cases.models import District

    with item.config.stash[blocking_manager_key].unblock():
        if District.objects.exists():
            return result
        serialized = getattr(connection, "_test_serialized_contents", None)
        if serialized:
            # Sequences go on (the serialized rows bring their own ids and do not move them).
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                inhibit_post_migrate=True,
                reset_sequences=False,
            )
            connection.creation.deserialize_db_from_string(serialized)
        else:
            for module, function in REFERENCE_DATA_MIGRATIONS:
                getattr(importlib.import_module(module), function)(apps, None)
            emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    return result


@pytest.fixture
def cm():
    """A casemanager (a test module that needs another kind defines its own `cm`)."""
    from tests.factories import casemanager

    return casemanager()


@pytest.fixture
def tl():
    """A team leader (a test module may define its own `tl`)."""
    from tests.factories import teamleider

    return teamleider()


@pytest.fixture
def eager_celery():
    """Tasks run in this process, also where a broker is configured (CI's Redis run): for
    tests of what a task does, not of the worker."""
    from woonoverlast.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the stored Tabel 5.1 (reports/stored.py) is keyed
    by a version row that the test's rollback puts back, and the intake's rate limit counts
    in it too."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests make many users; the production hasher is slow on purpose (by design: 1M rounds)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # Still checks passwords set before the test, e.g. by the demo_data fixture.
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(scope="session", autouse=True)
def celery_queue_of_this_run(worker_id):
    """Tests that start a real worker against Redis get a queue of their own, so that two
    test processes (pytest-xdist) or an earlier run never take each other's tasks."""
    from woonoverlast.celery import app

    app.conf.task_default_queue = f"woonoverlast-test-{worker_id}-{os.getpid()}"


# What reaches the database or the broker: a test without any of these cannot touch either
# (pytest-django refuses database access without them).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)
BROKER_MARKERS = ("redis", "rabbitmq")


def _reaches_database_or_broker(item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    if any(item.get_closest_marker(name) is not None for name in BROKER_MARKERS):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """WOONOVERLAST_DATABASE_TESTS_ONLY=1 (CI's second pass, on PostgreSQL with Redis) leaves out
    the tests that reach neither the database nor the broker: they ran in the first pass and
    cannot behave differently on another database, so running them twice only costs time."""
    if os.environ.get("WOONOVERLAST_DATABASE_TESTS_ONLY") != "1":
        return
    kept, left_out = [], []
    for item in items:
        (kept if _reaches_database_or_broker(item) else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def pytest_terminal_summary(terminalreporter):
    """Say plainly when the browser tests did not run (they need /usr/bin/chromium), so that a
    green `make test` is not mistaken for one that drove the browser. Read from the skip
    reports, which also reach the main process under pytest-xdist."""
    from tests.browser.conftest import SKIP_PREFIX

    reasons = set()
    count = 0
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        message = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        if SKIP_PREFIX in message:
            count += 1
            reasons.add(message.split(f"{SKIP_PREFIX}: ", 1)[-1])
    if count:
        terminalreporter.write_sep("=", f"{SKIP_PREFIX}: {count}", yellow=True, bold=True)
        for reason in sorted(reasons):
            terminalreporter.write_line(f"{reason}. `.ci/run` installs Chromium and runs them.")


# PostgreSQL refuses TRUNCATE of the audit log (audit migration 0003) unless this is set in
# the same transaction; the test runner empties its own test database with TRUNCATE between
# transactional tests (live_server, the browser tests), so its flush sets it.
ALLOW_AUDIT_TRUNCATE = "SET LOCAL woonoverlast.audit_truncate = 'allow'"


@pytest.fixture(scope="session", autouse=True)
def test_runner_may_flush_the_audit_log():
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver: nothing to allow
        yield None
        return
    refusing = DatabaseOperations.sql_flush

    def sql_flush(self, *args, **kwargs):
        statements = refusing(self, *args, **kwargs)
        return [ALLOW_AUDIT_TRUNCATE, *statements] if statements else statements

    DatabaseOperations.sql_flush = sql_flush
    yield refusing
    DatabaseOperations.sql_flush = refusing
