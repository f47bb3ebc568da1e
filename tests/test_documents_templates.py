"""Letter templates hold for resources too, not only for code: what cannot make a letter, or
would spend a gigabyte or minutes on one, is refused on upload with a Dutch reason, and a
version stored before that check makes a clear error instead of a 500."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import CaseFactory, casemanager, respondent
from tests.test_documents_letters import docx_with, full_context, letter_text
from woonoverlast.documents import merge_fields
from woonoverlast.documents.models import Document, LetterTemplate, LetterTemplateVersion
from woonoverlast.documents.services import letter_make, letter_template_upload
from woonoverlast.documents.services.letters import render_letter
from woonoverlast.documents.storage import dossier_storage

pytestmark = pytest.mark.django_db

NESTED_LOOPS = (
    "".join(f"{{% for v{i} in casus.adres %}}" for i in range(6)) + "x" + ("{% endfor %}" * 6)
)


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.LIBREOFFICE_BINARY = ""


def upload(*paragraphs):
    return letter_template_upload(
        name="Sjabloon", file=SimpleUploadedFile("s.docx", docx_with(*paragraphs)), by=None
    )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("{{ 'x' * 10 ** 9 }}", "rekenen"),
        ("{{ casus.adres * 100000000 }}", "rekenen"),
        ("{{ 'x' | center(1000000000) }}", "|center"),
        (NESTED_LOOPS, "for-lussen"),
        ("{% include 'kop.docx' %}", "include"),
        ("{% extends 'basis' %}", "extends"),
        ("{% import 'm' as m %}", "import"),
        ("{{ casus | attr('referentie') }}", "|attr"),
        ("{% set naam = casus.referentie %}{{ naam }}", "set"),
        ("{% macro m() %}x{% endmacro %}", "macro"),
        ("{{ [casus.adres] }}", "lijsten"),
    ],
)
def test_what_cannot_make_a_letter_is_refused_on_upload_naming_it(text, named):
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        upload("Beste {{ betrokkene.naam }},", text)
    message = refused.value.messages[0]
    assert named in message and "in een brief niet kan" in message
    assert time.monotonic() - started < 5  # nothing evaluated: no gigabyte, no minutes
    assert not LetterTemplate.objects.exists()


def test_fields_if_and_case_filters_are_allowed():
    version = upload(
        "{% if betrokkene.naam %}Beste {{ betrokkene.naam | title }},{% else %}Geachte heer, "
        "mevrouw,{% endif %}",
        "Kenmerk {{ casus.referentie | upper }} {{ 'WO' ~ casus.postcode }}",
        "{% if casus.wijk == 'Centrum' and not betrokkene.email %}Centrum{% endif %}",
    )
    text = letter_text(render_letter(version, full_context()))
    assert "Beste Betrokkene-Naam-1," in text and "CASUS-REFERENTIE-1" in text


def stored_unchecked(text: str) -> LetterTemplateVersion:
    """A version stored before uploads were checked for what cannot render."""
    template = LetterTemplate.objects.create(name="Oud sjabloon")
    name = dossier_storage.save("sjablonen/oud.docx", ContentFile(docx_with(text)))
    return LetterTemplateVersion.objects.create(
        template=template, number=1, file=name, fields_used=["casus.referentie"]
    )


@pytest.mark.parametrize("text", ["{% include 'kop.docx' %}", NESTED_LOOPS])
def test_an_old_version_that_cannot_render_gives_a_dutch_error_not_a_500(client, text):
    version = stored_unchecked("{{ casus.referentie }}" + text)
    cm = casemanager()
    case = CaseFactory(casemanager=cm)
    with pytest.raises(ValidationError, match="Met dit sjabloon kan geen brief"):
        letter_make(case=case, template=version.template, party=respondent(case), by=cm)
    client.force_login(cm)
    response = client.post(
        reverse("documents:letter", kwargs={"reference": case.reference}),
        {"template": version.template.pk, "party": case.parties.get().pk},
    )
    assert response.status_code == 200
    assert "Met dit sjabloon kan geen brief" in response.content.decode()
    assert not Document.objects.exists()


def test_the_letter_is_bounded_in_size_and_time(monkeypatch):
    version = upload("{{ casus.adres }} " * 20)
    monkeypatch.setattr(merge_fields, "MAX_OUTPUT_CHARS", 100)
    with pytest.raises(ValidationError, match="te lang"):
        render_letter(version, full_context())
    monkeypatch.setattr(merge_fields, "MAX_OUTPUT_CHARS", 1_000_000)
    monkeypatch.setattr(merge_fields, "MAX_RENDER_SECONDS", -1)
    with pytest.raises(ValidationError, match="te veel tijd"):
        render_letter(version, full_context())
