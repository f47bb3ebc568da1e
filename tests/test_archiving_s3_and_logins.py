"""Destruction on the object store (moto, as tests/test_documents_s3.py), versions included;
and the purge of log-in events older than six months by an approved list."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import documents_helpers as files
from tests.factories import CaseFactory, UserFactory, casemanager, teamleider
from tests.test_documents_s3 import BUCKET, bucket, s3_server  # noqa: F401  (fixtures)
from woonoverlast.accounts.roles import Role
from woonoverlast.archiving import services
from woonoverlast.archiving.choices import ListKind
from woonoverlast.audit.models import AuditAction, AuditEvent
from woonoverlast.documents.services import document_add_version, documents_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    """The approved list is destroyed by a background job: here in this process, also on
    CI's run with Redis as the broker."""


D = datetime.date


def keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def approve(destruction_list, django_capture_on_commit_callbacks):
    services.destruction_list_review(destruction_list, by=teamleider())
    with django_capture_on_commit_callbacks(execute=True):
        services.destruction_list_approve(destruction_list, by=UserFactory(role=Role.ARCHIVARIS))
    destruction_list.refresh_from_db()
    return destruction_list


def test_destruction_deletes_the_files_and_their_versions_from_s3(
    bucket,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    cm = casemanager()
    case = CaseFactory(registered_on=D(2019, 1, 2), casemanager=cm)
    (report,) = documents_upload(
        case=case,
        files=[SimpleUploadedFile("verslag.pdf", files.pdf())],
        document_type="overig",
        by=cm,
    )
    document_add_version(
        document=report, file=SimpleUploadedFile("verslag-2.pdf", files.pdf()), by=cm
    )
    kept = CaseFactory(registered_on=D(2023, 1, 2), casemanager=cm)
    documents_upload(
        case=kept,
        files=[SimpleUploadedFile("ander.pdf", files.pdf())],
        document_type="overig",
        by=cm,
    )
    from woonoverlast.cases import services as case_services

    case_services.case_close(case, on=D(2019, 3, 1), reason="opgelost", by=None)
    assert len(keys(bucket)) == 3
    proposal = services.destruction_list_propose(on=D(2025, 1, 1))
    done = approve(proposal, django_capture_on_commit_callbacks)
    assert done.statement.content["bestanden"] == 2  # the document and its new version
    assert len(keys(bucket)) == 1  # only the other case's file is left


def test_login_events_older_than_six_months_go_by_an_approved_list_and_nothing_else(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(password="geheim-wachtwoord", role=Role.CASEMANAGER)
    with time_machine.travel(datetime.datetime(2025, 1, 10, 12, 0), tick=False):
        client = Client()
        client.post("/inloggen/", {"username": user.username, "password": "geheim-wachtwoord"})
        client.post("/uitloggen/")
        CaseFactory()  # a case's events stay whatever their age
    with time_machine.travel(datetime.datetime(2025, 7, 9, 12, 0), tick=False):
        Client().force_login(user)  # a recent log-in
        assert services.login_events_list_propose(on=D(2025, 7, 9)) is None  # 10-1 is kept
    old_logins = AuditEvent.objects.filter(
        action__in=[AuditAction.LOGIN, AuditAction.LOGOUT],
        at__lt=datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC),
    )
    assert old_logins.count() == 2
    others = AuditEvent.objects.exclude(action__in=[AuditAction.LOGIN, AuditAction.LOGOUT]).count()
    with time_machine.travel(datetime.datetime(2025, 7, 11, 12, 0), tick=False):
        proposal = services.login_events_list_propose(on=D(2025, 7, 11))
        assert proposal.kind == ListKind.LOGINS
        assert old_logins.count() == 2  # nothing goes before the approval
        done = approve(proposal, django_capture_on_commit_callbacks)
    assert old_logins.count() == 0
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN).count() == 1  # the recent one
    # Nothing else left the log; the run itself is in it.
    assert (
        AuditEvent.objects.exclude(action__in=[AuditAction.LOGIN, AuditAction.LOGOUT]).count()
        > others
    )
    assert done.statement.content == {
        "soort": "inloggegevens",
        "selectielijst": "19.1.24",
        "grens": done.cutoff_at.isoformat(),
        "aantal": 2,
    }


def test_the_purge_refuses_a_limit_within_six_months():
    from django.utils import timezone

    from woonoverlast.audit.services import login_events_purge

    with pytest.raises(ValueError):
        login_events_purge(before=timezone.now() - datetime.timedelta(days=30))
