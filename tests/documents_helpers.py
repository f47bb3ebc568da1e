"""Files of every kind for the dossier tests, made here (nothing downloaded)."""

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf() -> bytes:
    return PDF_BYTES


def docx_bytes(text: str = "Onderzoeksverslag") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Meldingen"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'office:version="1.2"><office:body><office:text/></office:body>'
            "</office:document-content>",
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return out.getvalue()


GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg(*, gps: bool = False, orientation: int | None = None, size=(40, 20)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"  # Make
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (52.0, 3.0, 40.0), 3: "E", 4: (4.0, 29.0, 30.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(out, format="PNG")
    return out.getvalue()


def eml() -> bytes:
    return (
        b"Return-Path: <melder@example.org>\nFrom: melder@example.org\nTo: team@example.org\n"
        b"Subject: Overlast\nDate: Mon, 1 Jan 2024 10:00:00 +0100\n\nHet is weer raak.\n"
    )


def text() -> bytes:
    return "Gespreksnotitie: één afspraak gemaakt.\n".encode()


def executable() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"PE\x00\x00"


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def zip_bomb_docx() -> bytes:
    """A DOCX-shaped zip whose one member unpacks to 300 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        )
        archive.writestr("word/document.xml", "<w:document/>")
        chunk = b"\x00" * (1024 * 1024)
        with archive.open("word/media/bom.bin", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(chunk)
    return out.getvalue()


ALLOWED = {
    "verslag.pdf": (pdf, "application/pdf"),
    "verslag.docx": (
        docx_bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "lijst.xlsx": (xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "brief.odt": (odt, "application/vnd.oasis.opendocument.text"),
    "foto.jpg": (jpeg, "image/jpeg"),
    "schets.png": (png, "image/png"),
    "mail.eml": (eml, "message/rfc822"),
    "notitie.txt": (text, "text/plain"),
}


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def stored_files(root) -> list[Path]:
    root = Path(root)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def png_header(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes that claims `width` x `height` pixels (a decompression bomb's
    header): signature, IHDR, an empty IDAT and IEND, with their checksums."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def odt_with(extra: dict[str, str], content: str = "") -> bytes:
    """An ODT with extra entries (e.g. a Basic library) or with `content` as its content.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(odt())) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "content.xml" and content:
                data = content.encode()
            archive.writestr(info, data)
        for name, data in extra.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_with_relationship(part: str, relation_type: str, target: str) -> bytes:
    """A DOCX whose `part` (e.g. word/_rels/settings.xml.rels) has one external relationship."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source, zipfile.ZipFile(out, "w") as zipped:
        for info in source.infolist():
            if info.filename != part:
                zipped.writestr(info, source.read(info))
        zipped.writestr(
            part,
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId99" Type="{relation_type}" Target="{target}" '
            'TargetMode="External"/></Relationships>',
        )
    return out.getvalue()


RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
