"""The read replica: which queries may go there, and when the reports fall back to the primary.

The real replica is exercised by `make stack-test` (deploy/stack_test.py); here the router's
rules are tested with the replica's state given, and the views and the export task are checked
to ask for the replica (or not) by the context they run in.
"""

import time

import pytest
from django.db import transaction
from django.urls import reverse

from reports import services as report_services
from reports import tabel51
from reports.models import ExportJob
from tests.factories import CaseFactory, casemanager, rapportage
from woonoverlast import db_router
from woonoverlast.cases.models import Case
from woonoverlast.db_router import PRIMARY, REPLICA, ReplicaRouter, ReplicaState, use_replica


@pytest.fixture
def replica(monkeypatch, settings):
    """A configured replica whose state the test sets: `replica.state = ReplicaState(...)`."""
    settings.REPLICA_MAX_LAG_SECONDS = 30
    settings.REPLICA_CHECK_SECONDS = 5

    class Fake:
        state = ReplicaState(up=True, lag_seconds=0.5, replay_lsn=1000)
        checks = 0

    def check():
        Fake.checks += 1
        return ReplicaState(**{**Fake.state.__dict__, "checked_at": time.monotonic()})

    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "check_replica", check)
    db_router.forget_replica_state()
    yield Fake
    db_router.forget_replica_state()


router = ReplicaRouter()


def test_reads_go_to_the_primary_unless_a_report_asks(replica):
    assert router.db_for_read(Case) == PRIMARY
    with use_replica():
        assert router.db_for_read(Case) == REPLICA
    assert router.db_for_read(Case) == PRIMARY


def test_writes_and_migrations_always_go_to_the_primary(replica):
    with use_replica():
        assert router.db_for_write(Case) == PRIMARY
    assert router.allow_migrate(PRIMARY, "cases")
    assert not router.allow_migrate(REPLICA, "cases")


@pytest.mark.django_db
def test_inside_a_transaction_reads_stay_on_the_primary(replica):
    with use_replica(), transaction.atomic():
        assert router.db_for_read(Case) == PRIMARY


@pytest.mark.parametrize(
    "state",
    [
        ReplicaState(up=False, problem="OperationalError"),
        ReplicaState(up=True, lag_seconds=31, replay_lsn=1000),
    ],
    ids=["down", "lagging"],
)
def test_a_replica_that_is_down_or_behind_is_not_used(replica, state):
    replica.state = state
    with use_replica():
        assert router.db_for_read(Case) == PRIMARY


def test_the_lag_limit_itself_is_still_used(replica):
    replica.state = ReplicaState(up=True, lag_seconds=30, replay_lsn=1000)
    with use_replica():
        assert router.db_for_read(Case) == REPLICA


def test_the_state_is_checked_once_per_interval(replica):
    with use_replica():
        for _ in range(5):
            router.db_for_read(Case)
    assert replica.checks == 1


def test_a_user_never_reads_the_replica_before_it_has_their_own_write(replica):
    replica.state = ReplicaState(up=True, lag_seconds=0, replay_lsn=1000)
    with use_replica(min_lsn=1001):
        assert router.db_for_read(Case) == PRIMARY
    assert replica.checks == 2  # it looked again before giving up
    replica.state = ReplicaState(up=True, lag_seconds=0, replay_lsn=1001)
    with use_replica(min_lsn=1001):
        assert router.db_for_read(Case) == REPLICA


def test_without_a_replica_everything_reads_the_primary():
    assert not db_router.replica_configured()
    with use_replica():
        assert router.db_for_read(Case) == PRIMARY


def test_wal_positions_order_as_postgresql_does():
    assert db_router.parse_lsn("0/16B3748") < db_router.parse_lsn("1/0")
    assert db_router.parse_lsn("16/B374D848") == (0x16 << 32) + 0xB374D848
    assert db_router.parse_lsn(None) == 0


# -- which code asks for the replica -----------------------------------------------------------


@pytest.fixture
def contexts(monkeypatch):
    """The replica context each Tabel 5.1 computation ran in (None: not asked for)."""
    seen = []
    compute = tabel51.compute

    def recording(*args, **kwargs):
        seen.append(db_router._min_lsn.get())
        return compute(*args, **kwargs)

    monkeypatch.setattr(tabel51, "compute", recording)
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["reports:tabel51", "reports:tabel51_csv", "reports:tabel51_xlsx", "reports:overview"]
)
def test_the_report_pages_read_from_the_replica(client, contexts, name):
    CaseFactory()
    client.force_login(rapportage())
    asked = []
    original = db_router._replica_context

    def spy(min_lsn=0):
        asked.append(min_lsn)
        return original(min_lsn)

    db_router._replica_context, saved = spy, original
    try:
        assert client.get(reverse(name), {"jaar": 2023}).status_code == 200
    finally:
        db_router._replica_context = saved
    assert asked == [0]
    assert all(context == 0 for context in contexts)


@pytest.mark.django_db
def test_the_export_task_computes_on_the_replica_and_writes_the_primary(
    contexts, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    user = rapportage()
    job = report_services.export_request(by=user, year_from=2022, year_to=2023, file_format="csv")
    job = report_services.export_run(job_id=job.pk)
    assert job.state == ExportJob.State.DONE
    assert contexts == [0, 0]


@pytest.mark.django_db
def test_casework_pages_do_not_use_the_replica(client, contexts, monkeypatch):
    kase = CaseFactory()
    client.force_login(casemanager())
    seen = []
    monkeypatch.setattr(
        ReplicaRouter,
        "db_for_read",
        lambda self, model, **hints: seen.append(db_router._min_lsn.get()) or PRIMARY,
    )
    assert client.get(reverse("cases:detail", args=[kase.reference])).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 200
    assert seen and set(seen) == {None}


@pytest.mark.django_db
def test_after_a_write_the_session_waits_for_the_replica(client, monkeypatch, settings, tmp_path):
    """A POST keeps the primary's WAL position; the next report needs at least that."""
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "replica_usable", lambda min_lsn=0: False)
    monkeypatch.setattr(db_router, "primary_wal_lsn", lambda: 123456)
    client.force_login(rapportage())
    response = client.post(
        reverse("reports:exports"), {"van_jaar": 2023, "tot_jaar": 2023, "formaat": "csv"}
    )
    assert response.status_code == 302
    assert client.session[db_router.SESSION_KEY] == 123456

    needed = []
    original = db_router._replica_context
    monkeypatch.setattr(
        db_router, "_replica_context", lambda min_lsn=0: needed.append(min_lsn) or original(min_lsn)
    )
    assert client.get(reverse("reports:tabel51"), {"jaar": 2023}).status_code == 200
    assert needed == [123456]
