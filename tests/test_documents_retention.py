"""The bewaartermijn removes the dossier's files of the cases it anonymises; the rows keep
type, date and size, and every Tabel 5.1 stays the same."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import documents_helpers as files
from tests.factories import CaseFactory, casemanager
from woonoverlast.cases import services as case_services
from woonoverlast.documents.models import Document, DocumentType
from woonoverlast.documents.services import documents_upload

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 28)  # limit with the default 24 months: 28-11-2024


@pytest.fixture
def root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path / "dossier"


def add_files(case, by):
    return documents_upload(
        case=case,
        files=[
            SimpleUploadedFile("keuken.jpg", files.jpeg(gps=True)),
            SimpleUploadedFile("verslag.pdf", files.pdf()),
        ],
        document_type=DocumentType.OTHER,
        by=by,
    )


def tables():
    from reports import tabel51
    from reports.exports import csv_text

    return {
        (year, as_of): (
            csv_text(tabel51.compute(year, as_of)),
            csv_text(tabel51.carried_over(year, as_of)),
        )
        for year in (2022, 2023, 2024)
        for as_of in (D(year, 6, 30), D(year, 12, 31))
    }


def test_the_files_of_anonymised_cases_leave_the_storage(root, django_capture_on_commit_callbacks):
    cm = casemanager()
    old = CaseFactory(registered_on=D(2022, 3, 1), closed_on=D(2023, 6, 1), casemanager=cm)
    recent = CaseFactory(registered_on=D(2024, 3, 1), closed_on=D(2025, 6, 1), casemanager=cm)
    old_documents = add_files(old, cm)
    add_files(recent, cm)
    old_names = {
        name
        for document in old_documents
        for name in (document.file.name, document.thumbnail.name)
        if name
    }
    assert len(old_names) == 3  # two files and the photo's thumbnail
    before = tables()
    sizes = sorted(document.size for document in old_documents)

    with django_capture_on_commit_callbacks(execute=True):
        assert case_services.cases_anonymise(case_ids=[old.pk]) == [old.reference]

    remaining = {path.relative_to(root).as_posix() for path in files.stored_files(root)}
    assert not remaining & old_names
    assert not any(name.startswith(f"casussen/{old.pk}/") for name in remaining)
    assert len(remaining) == 3  # the recent case keeps its files
    rows = Document.objects.filter(case=old)
    assert sorted(rows.values_list("size", flat=True)) == sizes
    assert set(rows.values_list("document_type", flat=True)) == {DocumentType.OTHER}
    assert all(row.uploaded_at and row.files_removed_at for row in rows)
    assert set(rows.values_list("file", "thumbnail", "sha256", "original_name").distinct()) == {
        ("", "", "", "")
    }
    assert tables() == before


def test_a_rolled_back_run_keeps_the_files(root, django_capture_on_commit_callbacks):
    from django.db import transaction

    cm = casemanager()
    old = CaseFactory(registered_on=D(2022, 3, 1), closed_on=D(2023, 6, 1), casemanager=cm)
    add_files(old, cm)
    stored = files.stored_files(root)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        case_services.cases_anonymise(case_ids=[old.pk])
        transaction.set_rollback(True)
    assert files.stored_files(root) == stored
