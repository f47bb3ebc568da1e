"""Uploading files to a case's dossier, and new versions of a document."""

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from woonoverlast.accounts.roles import can_add_documents, can_see_document
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import describe_changes, describe_new, record

from .. import images, sniffing
from ..models import Document, DocumentType
from .files import StoredFiles, sha256_of, storage_name

MAX_NAME_LENGTH = 120


@dataclass
class Prepared:
    """An upload that passed every check: its bytes as they will be stored."""

    original_name: str
    kind: sniffing.FileKind
    data: bytes
    thumbnail: bytes | None

    @property
    def title(self) -> str:
        stem = self.original_name.rsplit(".", 1)[0] if "." in self.original_name else ""
        return (stem or self.original_name).strip()[:200]


def max_upload_bytes() -> int:
    return settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024


# Unicode's bidirectional controls (embeddings, overrides, isolates, marks): in a name they
# make the text read otherwise than it is stored, e.g. "foto<U+202E>gpj.exe" shows as
# "fotoexe.jpg".
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def check_title(title: str) -> str:
    """A document's title as typed, or a ValidationError: no bidirectional controls nor
    control characters (a tab or newline pasted along is taken out). Other invisible
    formatting characters (a soft hyphen from Word) are dropped."""
    title = unicodedata.normalize("NFC", title or "").strip()
    if any(char in BIDI_CONTROLS for char in title):
        raise ValidationError(
            {
                "title": "De titel bevat een teken dat de leesrichting omdraait, waardoor de "
                "titel anders leest dan hij is. Typ de titel opnieuw."
            }
        )
    title = " ".join(title.split())  # a tab or newline pasted along: one space
    if any(unicodedata.category(char) == "Cc" for char in title):
        raise ValidationError({"title": "De titel bevat onzichtbare tekens. Typ hem opnieuw."})
    return "".join(char for char in title if unicodedata.category(char) != "Cf")


def check_name(name: str) -> str:
    """The file's name as the user gave it, or a ValidationError for a hostile one."""
    name = unicodedata.normalize("NFC", name or "")
    if not name.strip():
        raise ValidationError("Het bestand heeft geen naam.", code="name")
    if "/" in name or "\\" in name or ".." in name or name.startswith("."):
        raise ValidationError(
            "De bestandsnaam bevat een pad (zoals ../ of /). Geef het bestand een gewone naam.",
            code="name",
        )
    if any(char in BIDI_CONTROLS for char in name):
        raise ValidationError(
            "De bestandsnaam bevat een teken dat de leesrichting omdraait; zo kan "
            "'foto\u202egpj.exe' eruitzien als 'fotoexe.jpg'. Geef het bestand een gewone naam.",
            code="name",
        )
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in name):
        raise ValidationError("De bestandsnaam bevat onzichtbare tekens.", code="name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            f"De bestandsnaam is te lang ({len(name)} tekens, hoogstens {MAX_NAME_LENGTH}). "
            "Geef het bestand een kortere naam.",
            code="name",
        )
    return name


def prepare(upload) -> Prepared:
    """Check one uploaded file (name, size, kind) and make the bytes to store.

    Photos lose their EXIF metadata (GPS!) but keep their orientation.
    """
    name = check_name(upload.name)
    if upload.size == 0:
        raise ValidationError("Het bestand is leeg (0 bytes).", code="empty")
    if upload.size > max_upload_bytes():
        raise ValidationError(
            f"Het bestand is te groot ({filesizeformat(upload.size)}); het maximum is "
            f"{settings.DOCUMENT_MAX_UPLOAD_MB} MB.",
            code="size",
        )
    upload.seek(0)
    kind = sniffing.sniff(upload)
    upload.seek(0)
    data = upload.read()
    thumbnail = None
    if kind.is_image:
        data = images.strip_metadata(data, fmt="JPEG" if kind is sniffing.JPEG else "PNG")
        thumbnail = images.thumbnail(data)
    return Prepared(original_name=name, kind=kind, data=data, thumbnail=thumbnail)


def prepare_all(files) -> list[Prepared]:
    """Every file checked first: one bad file refuses the whole upload, with every reason."""
    if not files:
        raise ValidationError({"files": "Kies een of meer bestanden."})
    prepared, errors = [], []
    for upload in files:
        try:
            prepared.append(prepare(upload))
        except ValidationError as error:
            label = (upload.name or "")[:60] or "(zonder naam)"
            errors.extend(f"{label}: {message}" for message in error.messages)
    if errors:
        raise ValidationError({"files": errors})
    return prepared


def _store(prepared: Prepared, stored: StoredFiles, case) -> dict:
    values = {
        "file": stored.save(storage_name(case, prepared.kind.extension), prepared.data),
        "size": len(prepared.data),
        "content_type": prepared.kind.content_type,
        "sha256": sha256_of(prepared.data),
        "original_name": prepared.original_name,
    }
    if prepared.thumbnail:
        values["thumbnail"] = stored.save(
            storage_name(case, "jpg", folder="miniaturen"), prepared.thumbnail
        )
    return values


def _audit_new(document: Document, by):
    record(
        AuditAction.CREATE,
        by=by,
        obj=document,
        case=document.case,
        changes=describe_new(
            {
                "titel": document.title,
                "soort": document.document_type,
                "bestandssoort": document.content_type,
                "grootte": document.size,
                "vertrouwelijk": document.confidential,
                "versie": document.version,
            },
            private=("titel",),
        ),
    )


def derived_type(kind: sniffing.FileKind, chosen: str = "") -> str:
    """The soort of one uploaded file: the one chosen for the upload where it fits the file,
    else what the file is (an image a photo, an e-mail an e-mail, the rest *overig*). One
    choice for a mixed upload no longer stores a PDF as *Foto*, nor a photo as *E-mail*."""
    is_email = kind in (sniffing.EML, sniffing.MSG)
    if chosen == DocumentType.PHOTO and kind.is_image:
        return chosen
    if chosen == DocumentType.EMAIL and is_email:
        return chosen
    if chosen and chosen not in (DocumentType.PHOTO, DocumentType.EMAIL):
        return chosen
    if kind.is_image:
        return DocumentType.PHOTO
    return DocumentType.EMAIL if is_email else DocumentType.OTHER


def documents_upload(
    *,
    case,
    files,
    document_type: str = "",
    title: str = "",
    confidential: bool = False,
    action=None,
    melding=None,
    by,
) -> list[Document]:
    """Add one or more files to the dossier of `case`, all or nothing. Each file gets its own
    soort (derived_type): `document_type` where it fits the file; "" derives it from each
    file. A file's soort can be corrected afterwards (document_set_type)."""
    if not can_add_documents(by, case):
        raise PermissionDenied
    if document_type and document_type not in DocumentType.values:
        raise ValidationError({"document_type": "Kies een soort document."})
    for linked, name in ((action, "action"), (melding, "melding")):
        if linked is not None and linked.case_id != case.pk:
            raise ValidationError({name: "Dit hoort niet bij deze casus."})
    title = check_title(title)
    prepared = prepare_all(files)
    documents = []
    with StoredFiles() as stored, transaction.atomic():
        for item in prepared:
            document = Document.objects.create(
                case=case,
                action=action,
                melding=melding,
                title=(title if title and len(prepared) == 1 else item.title),
                document_type=derived_type(item.kind, document_type),
                confidential=confidential,
                uploaded_by=by,
                **_store(item, stored, case),
            )
            _audit_new(document, by)
            documents.append(document)
    return documents


def document_add_version(*, document: Document, file, by) -> Document:
    """A new version of `document`; the old one and its file stay in the chain."""
    if not (can_see_document(by, document) and can_add_documents(by, document.case)):
        raise PermissionDenied
    (item,) = prepare_all([file])
    with StoredFiles() as stored, transaction.atomic():
        previous = Document.objects.select_for_update().get(pk=document.pk)
        if not previous.is_current:
            raise ValidationError("Van dit document bestaat al een nieuwere versie.")
        previous.is_current = False
        previous.save(update_fields=["is_current"])
        new = Document.objects.create(
            case=previous.case,
            action=previous.action,
            melding=previous.melding,
            party=previous.party,
            title=previous.title,
            document_type=previous.document_type,
            confidential=previous.confidential,
            previous_version=previous,
            version=previous.version + 1,
            uploaded_by=by,
            **_store(item, stored, previous.case),
        )
        _audit_new(new, by)
    return new


@transaction.atomic
def document_set_type(*, document: Document, document_type: str, by) -> Document:
    """Correct the soort of one document (each file of an upload has its own); audited."""
    if not (can_see_document(by, document) and can_add_documents(by, document.case)):
        raise PermissionDenied
    if document_type not in DocumentType.values:
        raise ValidationError({"document_type": "Kies een soort document."})
    if document_type == DocumentType.PHOTO and not document.content_type.startswith("image/"):
        raise ValidationError(
            {"document_type": "Alleen een afbeelding (JPEG of PNG) kan de soort Foto hebben."}
        )
    document = Document.objects.select_for_update().get(pk=document.pk)
    before = document.document_type
    if before == document_type:
        return document
    document.document_type = document_type
    document.save(update_fields=["document_type"])
    record(
        AuditAction.UPDATE,
        by=by,
        obj=document,
        case=document.case,
        changes=describe_changes({"soort": before}, {"soort": document_type}),
    )
    return document
