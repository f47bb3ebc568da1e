"""The case file as PDF (offered for AVG inzage): it holds the maatregelen with their steps,
and its document table stays on the page."""

import datetime
import os
import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from tests import documents_helpers as files
from tests.factories import CaseFactory, casemanager, measure, teamleider
from tests.test_documents_letters import needs_libreoffice, needs_libreoffice_fixture
from woonoverlast.documents import conversion
from woonoverlast.documents.services import documents_upload, dossier_export_request
from woonoverlast.documents.services.pdf import dossier_html
from woonoverlast.measures.choices import Step
from woonoverlast.measures.services import measure_step_record

__all__ = ["needs_libreoffice_fixture"]

pytestmark = pytest.mark.django_db
D = datetime.date
LONG_TITLE = "Onderzoeksverslag" * 8  # 136 characters without a space


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def case_with_a_measure_and_documents():
    cm = casemanager()
    case = CaseFactory(casemanager=cm, registered_on=D(2026, 1, 5))
    m = measure(case, by=cm, on=D(2026, 1, 5))
    measure_step_record(
        m, step=Step.INVESTIGATION_REPORT, on=D(2026, 1, 5), by=cm, note="Vervuiling gezien."
    )
    measure_step_record(m, step=Step.WEIGHING, on=D(2026, 1, 5), by=cm, note="Afweging.")
    measure_step_record(m, step=Step.WARNING_SENT, on=D(2026, 1, 6), by=cm)
    measure_step_record(m, step=Step.INTENTION_SENT, on=D(2026, 1, 7), by=cm, zienswijze_days=14)
    documents_upload(
        case=case,
        files=[SimpleUploadedFile("a.pdf", files.pdf())],
        title=LONG_TITLE,
        document_type="onderzoeksverslag",
        by=cm,
    )
    documents_upload(
        case=case, files=[SimpleUploadedFile("b.jpg", files.jpeg())], document_type="foto", by=cm
    )
    return case, m


def test_the_dossier_pdf_has_the_maatregelen_with_their_steps():
    case, m = case_with_a_measure_and_documents()
    html = dossier_html(dossier_export_request(case=case, by=teamleider()))
    section = html[html.index("<h2>Maatregelen</h2>") : html.index("<h2>Documenten</h2>")]
    assert m.get_kind_display() in section and m.respondent.name in section
    for label in ("Onderzoeksverslag opgesteld", "Waarschuwing verzonden", "Voornemen verzonden"):
        assert label in section
    assert "Zienswijzetermijn: 14 dagen" in section and "Vervuiling gezien." in section
    assert "21 januari 2026" in section  # the zienswijze term computed: 7 January + 14 days


def test_without_the_parties_the_maatregelen_keep_their_steps_not_the_names():
    case, m = case_with_a_measure_and_documents()
    export = dossier_export_request(case=case, by=teamleider())
    export.with_parties = False
    html = dossier_html(export)
    assert "Voornemen verzonden" in html
    assert escape(m.respondent.name) not in html and "Vervuiling gezien." not in html


def test_long_words_in_the_document_table_can_break():
    case, _ = case_with_a_measure_and_documents()
    html = dossier_html(dossier_export_request(case=case, by=teamleider()))
    table = html[html.index("<h2>Documenten</h2>") :]
    assert LONG_TITLE not in table and LONG_TITLE[:16] + "\u200b" in table
    assert 'width="100%"' in table


@needs_libreoffice
def test_the_document_table_stays_on_the_page(tmp_path):
    """Printed by LibreOffice, every word is inside the page: pdftotext's word boxes end
    before the right edge (the long title and the SHA-256 wrap inside their cells)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    case, _ = case_with_a_measure_and_documents()
    html = dossier_html(dossier_export_request(case=case, by=teamleider()))
    pdf = tmp_path / "dossier.pdf"
    pdf.write_bytes(conversion.to_pdf(html.encode(), suffix="html"))
    if os.environ.get("WOONOVERLAST_KEEP_PDF"):  # to look at it: pdftoppm -png
        shutil.copy(pdf, os.environ["WOONOVERLAST_KEEP_PDF"])
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    (width,) = set(re.findall(r'<page width="([\d.]+)"', boxes))
    words = re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', boxes)
    assert any("Onderzoeksvers" in word for _, word in words)
    outside = [word for x_max, word in words if float(x_max) > float(width)]
    assert outside == []
    text = "".join(word for _, word in words)
    assert "Voornemen" in text and "Maatregelen" in text
