"""The dossier on an S3-compatible object store: moto's server mode on a local port stands in
for the municipality's store (DOSSIER_S3_* in production). The same services and views, only
STORAGES["dossier"] differs."""

import datetime

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from tests import documents_helpers as files
from tests.factories import CaseFactory, casemanager
from woonoverlast.cases import services as case_services
from woonoverlast.documents.services import documents_upload

pytestmark = pytest.mark.django_db
BUCKET = "woonoverlast-dossier"
CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "dossier": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "location": "dossier",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    yield client
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    for key in keys:
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_upload_download_and_retention_on_s3(bucket, client, django_capture_on_commit_callbacks):
    cm = casemanager()
    case = CaseFactory(registered_on=datetime.date(2022, 3, 1), casemanager=cm)
    photo, report = documents_upload(
        case=case,
        files=[
            SimpleUploadedFile("keuken.jpg", files.jpeg(gps=True)),
            SimpleUploadedFile("verslag.pdf", files.pdf()),
        ],
        document_type="overig",
        by=cm,
    )
    stored = keys(bucket)
    assert stored == {
        f"dossier/{photo.file.name}",
        f"dossier/{photo.thumbnail.name}",
        f"dossier/{report.file.name}",
    }
    body = bucket.get_object(Bucket=BUCKET, Key=f"dossier/{report.file.name}")["Body"].read()
    assert body == files.pdf()

    client.force_login(cm)
    response = client.get(
        reverse("documents:download", kwargs={"reference": case.reference, "pk": report.pk})
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf()
    assert response["Content-Disposition"].startswith("attachment")

    case_services.case_close(case, on=datetime.date(2023, 6, 1), reason="opgelost", by=None)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.cases_anonymise(case_ids=[case.pk])
    assert keys(bucket) == set()


def test_a_refused_upload_leaves_nothing_in_the_bucket(bucket):
    from django.core.exceptions import ValidationError

    cm = casemanager()
    case = CaseFactory(casemanager=cm)
    with pytest.raises(ValidationError):
        documents_upload(
            case=case,
            files=[
                SimpleUploadedFile("goed.pdf", files.pdf()),
                SimpleUploadedFile("virus.pdf", files.executable()),
            ],
            document_type="overig",
            by=cm,
        )
    assert keys(bucket) == set()
