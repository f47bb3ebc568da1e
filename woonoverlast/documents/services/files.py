"""Storing, opening and removing the dossier's bytes."""

import hashlib
import uuid

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from woonoverlast.accounts.roles import can_see_document
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record

from ..models import Document, DossierExport
from ..storage import dossier_storage

VARIANTS = ("file", "thumbnail", "pdf")


def storage_name(case, extension: str, *, folder: str = "documenten") -> str:
    """A name that says nothing about the content: the user's file name is never a path."""
    return f"casussen/{case.pk}/{folder}/{uuid.uuid4().hex}.{extension}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class StoredFiles:
    """Bytes written while a service runs, removed again when it fails (nothing half-stored).

    with StoredFiles() as stored:
        name = stored.save(path, data)
        ...  # the database work; an exception removes what was saved
    """

    def __init__(self):
        self.names: list[str] = []

    def save(self, name: str, data: bytes) -> str:
        saved = dossier_storage.save(name, ContentFile(data))
        self.names.append(saved)
        return saved

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None:
            for name in self.names:
                dossier_storage.delete(name)
        return False


def document_download(document: Document, *, variant: str = "file", by) -> str:
    """The storage name of `document`'s file (or its thumbnail or PDF) for `by`, after the
    access rule. Every one is audited, the thumbnail too: its URL can be opened on its own,
    and a photo is personal data whichever size it is shown at."""
    if variant not in VARIANTS:
        raise ValueError(variant)
    if not can_see_document(by, document):
        raise PermissionDenied
    name = getattr(document, "pdf_file" if variant == "pdf" else variant).name
    if not name:
        raise FileNotFoundError(variant)
    shown = {"pdf": "pdf", "thumbnail": "miniatuur"}.get(variant, "document")
    record(AuditAction.VIEW, by=by, obj=document, case=document.case, changes={"gedownload": shown})
    return name


@transaction.atomic
def documents_remove_files(*, case_ids: list[int], by=None) -> int:
    """Bewaartermijn: remove every file of these cases from the storage.

    The rows stay with their type, date and size (the dossier's shape); the title, the name
    and the hash, which may say something about a person, go. The bytes are deleted after the
    commit, so a rolled-back run loses nothing.
    """
    documents = Document.objects.filter(case_id__in=case_ids, files_removed_at__isnull=True)
    names = []
    for row in documents.values_list("file", "thumbnail", "pdf_file"):
        names.extend(name for name in row if name)
    exports = DossierExport.objects.filter(case_id__in=case_ids).exclude(file="")
    names.extend(exports.values_list("file", flat=True))
    count = documents.update(
        title="[verwijderd na bewaartermijn]",
        original_name="",
        sha256="",
        file="",
        thumbnail="",
        pdf_file="",
        files_removed_at=timezone.now(),
    )
    exports.update(file="")
    transaction.on_commit(lambda: _delete_names(names))
    return count


def _delete_names(names):
    for name in names:
        dossier_storage.delete(name)


def documents_remove_if_rolled_back(documents: list[Document]) -> list[str]:
    """After a caller's transaction: delete the files of `documents` whose rows were rolled
    back (a service cannot see the rollback of a transaction around it; Django has no
    on-rollback hook). Returns the names removed."""
    kept = set(
        Document.objects.filter(pk__in=[d.pk for d in documents]).values_list("pk", flat=True)
    )
    removed = []
    for document in documents:
        if document.pk in kept:
            continue
        for name in (document.file.name, document.thumbnail.name, document.pdf_file.name):
            if name:
                dossier_storage.delete(name)
                removed.append(name)
    return removed
