"""What a file really is, from its bytes: the allow-list of the dossier.

The name a user gives a file says nothing; libmagic (python-magic) reads the bytes, and the
office formats (DOCX, XLSX, ODT), which are all zip files, are opened as zip containers and
must hold the entries of their kind. A zip that would unpack to far more than it weighs (a zip
bomb) is refused before anything reads it.
"""

import zipfile
from dataclasses import dataclass

import magic
from django.core.exceptions import ValidationError

# Limits for the office formats (zip containers).
ZIP_MAX_ENTRIES = 2_000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


PDF = FileKind("application/pdf", "pdf", "PDF")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word"
)
XLSX = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel"
)
ODT = FileKind("application/vnd.oasis.opendocument.text", "odt", "OpenDocument-tekst")
JPEG = FileKind("image/jpeg", "jpg", "JPEG-foto")
PNG = FileKind("image/png", "png", "PNG-afbeelding")
EML = FileKind("message/rfc822", "eml", "e-mail")
MSG = FileKind("application/vnd.ms-outlook", "msg", "Outlook-e-mail")
TEXT = FileKind("text/plain", "txt", "tekst")

ALLOWED = (PDF, DOCX, XLSX, ODT, JPEG, PNG, EML, MSG, TEXT)
ALLOWED_LABELS = (
    "PDF, Word (docx), Excel (xlsx), OpenDocument-tekst (odt), JPEG, PNG, e-mail (eml, msg) "
    "en platte tekst"
)

# How a refused kind is named to the user (the rest by its MIME type).
REFUSED_LABELS = {
    "text/html": "een webpagina (HTML) en niet toegestaan",
    "image/svg+xml": "een SVG-afbeelding (die code kan bevatten) en niet toegestaan",
    "application/x-dosexec": "een programma en niet toegestaan",
    "application/x-executable": "een programma en niet toegestaan",
    "application/x-sharedlib": "een programma en niet toegestaan",
    "text/x-shellscript": "een script en niet toegestaan",
    "application/javascript": "een script en niet toegestaan",
    "text/javascript": "een script en niet toegestaan",
}

_BY_MAGIC = {
    "application/pdf": PDF,
    "image/jpeg": JPEG,
    "image/png": PNG,
    "message/rfc822": EML,
    "application/vnd.ms-outlook": MSG,
    "text/plain": TEXT,
}
_ZIP_TYPES = {
    "application/zip",
    "application/x-zip-compressed",
    DOCX.content_type,
    XLSX.content_type,
    ODT.content_type,
    "application/octet-stream",  # libmagic says so for some zips; checked as zip below
}


def refuse(message: str):
    raise ValidationError(message, code="type")


def sniff(handle) -> FileKind:
    """The kind of the file open as `handle` (a binary file object), or a ValidationError."""
    handle.seek(0)
    head = handle.read(8192)
    handle.seek(0)
    if not head:
        raise ValidationError("Het bestand is leeg (0 bytes).", code="empty")
    detected = magic.from_buffer(head, mime=True)
    if head.startswith(b"PK\x03\x04") and detected in _ZIP_TYPES:
        return _office_kind(handle)
    kind = _BY_MAGIC.get(detected)
    if kind is None and detected == "application/CDFV2" and b"_\x00_\x00s\x00u\x00b\x00s" in head:
        kind = MSG  # an Outlook message whose header libmagic did not name
    if kind is None:
        what = REFUSED_LABELS.get(detected, f"van een soort die niet is toegestaan ({detected})")
        refuse(f"Dit bestand is {what}. Toegestaan zijn: {ALLOWED_LABELS}.")
    if kind is TEXT:
        _check_plain_text(handle)
    return kind


def _check_plain_text(handle):
    data = handle.read(64 * 1024)
    handle.seek(0)
    lowered = data.lower()
    if b"\x00" in data:
        refuse("Dit tekstbestand bevat binaire gegevens en is niet toegestaan.")
    for marker in (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe"):
        if marker in lowered:
            refuse(
                "Dit bestand is een webpagina of opmaakcode (HTML, SVG of XML), geen platte "
                "tekst, en is niet toegestaan."
            )


def _office_kind(handle) -> FileKind:
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile:
        refuse("Dit bestand is een beschadigd zip-bestand en is niet toegestaan.")
    with archive:
        infos = archive.infolist()
        if len(infos) > ZIP_MAX_ENTRIES:
            refuse("Dit bestand bevat te veel onderdelen en is niet toegestaan.")
        unpacked = sum(info.file_size for info in infos)
        packed = max(sum(info.compress_size for info in infos), 1)
        if unpacked > ZIP_MAX_UNCOMPRESSED or unpacked / packed > ZIP_MAX_RATIO:
            refuse(
                "Dit bestand pakt uit tot veel meer dan het weegt (een zogenoemde zip-bom) en "
                "is niet toegestaan."
            )
        names = {info.filename for info in infos}
        if (
            "mimetype" in names
            and "content.xml" in names
            and _read_small(archive, "mimetype").strip() == ODT.content_type.encode()
        ):
            _check_odf_macros(archive, names)
            return ODT
        if "[Content_Types].xml" in names:
            types = _read_small(archive, "[Content_Types].xml")
            if b"macroEnabled" in types or any(n.endswith("vbaProject.bin") for n in names):
                refuse(MACROS_REFUSED)
            _check_external_relationships(archive, names)
            if "word/document.xml" in names and b"wordprocessingml.document.main" in types:
                return DOCX
            if "xl/workbook.xml" in names and b"spreadsheetml.sheet.main" in types:
                return XLSX
    refuse(f"Dit zip-bestand is geen toegestaan document. Toegestaan zijn: {ALLOWED_LABELS}.")


MACROS_REFUSED = "Documenten met macro's zijn niet toegestaan."
# Where an OpenDocument file keeps macros: LibreOffice Basic libraries, scripts (Python,
# JavaScript, BeanShell), and event handlers or links that start a macro.
ODF_MACRO_FOLDERS = ("Basic/", "Scripts/")
ODF_MACRO_URLS = (b"vnd.sun.star.script:", b"macro://")
ODF_XML_PARTS = ("content.xml", "styles.xml", "settings.xml", "META-INF/manifest.xml")


def _check_odf_macros(archive: zipfile.ZipFile, names: set[str]):
    if any(name.startswith(ODF_MACRO_FOLDERS) for name in names):
        refuse(MACROS_REFUSED)
    for part in ODF_XML_PARTS:
        if part in names and _contains(archive, part, ODF_MACRO_URLS):
            refuse(MACROS_REFUSED)


# The one kind of relationship in an Office file that may point outside it: a hyperlink the
# reader clicks. Anything else external (an attached template, a linked image, an OLE object,
# an external workbook) is fetched when the file is opened, from a web or Windows file server
# the sender chose: a tracking beacon, a leak of the reader's Windows credentials, or the
# remote-template route by which malware reaches Word.
EXTERNAL_ALLOWED = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink",
}
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _check_external_relationships(archive: zipfile.ZipFile, names: set[str]):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for name in sorted(names):
        if not name.endswith(".rels"):
            continue
        try:
            root = etree.fromstring(_read_small(archive, name, 16 * 1024 * 1024), parser)
        except etree.XMLSyntaxError:
            refuse("Dit bestand is beschadigd (een onleesbaar onderdeel) en is niet toegestaan.")
        for relation in root.iter(RELATIONSHIPS):
            external = relation.get("TargetMode", "").lower() == "external"
            if external and relation.get("Type") not in EXTERNAL_ALLOWED:
                refuse(
                    "Dit bestand haalt bij het openen iets van buiten het bestand op (zoals een "
                    "sjabloon of afbeelding op een andere computer) en is niet toegestaan. "
                    "Sla het op zonder koppelingen, bijvoorbeeld als nieuw document, en voeg het "
                    "opnieuw toe."
                )


def _contains(archive: zipfile.ZipFile, name: str, markers: tuple[bytes, ...]) -> bool:
    """Does member `name` contain one of `markers` (case-insensitive)? Read in chunks that
    overlap, so a marker across two chunks is found too."""
    overlap = max(len(marker) for marker in markers)
    markers = tuple(marker.lower() for marker in markers)
    tail = b""
    with archive.open(name) as member:
        while chunk := member.read(1024 * 1024):
            window = tail + chunk.lower()
            if any(marker in window for marker in markers):
                return True
            tail = window[-overlap:]
    return False


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 1024 * 1024) -> bytes:
    with archive.open(name) as member:
        return member.read(limit)
