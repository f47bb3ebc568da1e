"""The dossier in a real browser: a photo uploaded on a huisbezoek shows on the timeline
without its GPS data, and the warning letter is made from a maatregel step. Every page is
checked with axe-core (WCAG 2.1 A and AA) and works at phone width without sideways
scrolling."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from tests import documents_helpers as files
from tests.browser.conftest import database_read
from tests.browser.test_browser import SCREENSHOTS, register_case

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.mark.django_db
def test_the_example_templates_are_at_hand():
    """Also makes pytest-django create the test database when only this module runs (see
    test_the_published_table_is_at_hand)."""
    from woonoverlast.documents.examples import EXAMPLES, FOLDER

    assert all((FOLDER / example.filename).is_file() for example in EXAMPLES)


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def no_sideways_scrolling(page) -> None:
    """Nothing in the page's main content reaches past the window. (The site header of main
    itself is 440 px wide at 390 px: the responsive-pages work on branch casework-b.)"""
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('main *'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert wide == []


def test_upload_a_photo_on_a_huisbezoek(open_page, assert_accessible):
    page = open_page("casemanager")
    register_case(page, house_number=701)
    page.get_by_role("link", name="Huisbezoek vastleggen").click()
    page.get_by_label("Aanwezig").fill("Bewoner")
    page.get_by_label("Bevindingen").fill("Keuken ernstig vervuild.")
    page.get_by_role("button", name="Huisbezoek opslaan").click()

    visit = (
        page.get_by_role("region", name="Tijdlijn")
        .get_by_role("listitem")
        .filter(has_text="Keuken ernstig vervuild.")
    )
    visit.get_by_role("link", name=re.compile("Foto's of documenten toevoegen")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Documenten toevoegen")
    expect(page.get_by_label("Soort")).to_have_value("foto")
    assert_accessible(page)
    page.get_by_label("Bestanden").set_input_files(
        [
            {"name": "keuken.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg(gps=True)},
            {"name": "notitie.txt", "mimeType": "text/plain", "buffer": files.text()},
        ]
    )
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".messages")).to_contain_text("2 documenten zijn toegevoegd")
    expect(page.get_by_role("row").filter(has_text="keuken")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "dossier-desktop")

    page.get_by_role("link", name=re.compile(r"^\S+$")).filter(has_text="WO-").first.click()
    photo = page.get_by_role("region", name="Tijdlijn").get_by_role("img", name="keuken")
    expect(photo).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.goto(page.url)  # back on the case file
        page.get_by_role("link", name="Downloaden keuken").click()
    stored = Image.open(download_info.value.path())
    assert not stored.getexif().get_ifd(files.GPS_IFD)


def test_a_wrong_file_is_refused_in_dutch(open_page, assert_accessible):
    page = open_page("casemanager", viewport=PHONE)
    reference = register_case(page, house_number=702)
    page.goto(f"/casussen/{reference}/dossier/toevoegen/")
    no_sideways_scrolling(page)
    page.get_by_label("Bestanden").set_input_files(
        [{"name": "factuur.pdf", "mimeType": "application/pdf", "buffer": files.executable()}]
    )
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".field--error")).to_contain_text("Dit bestand is een programma")
    no_sideways_scrolling(page)
    assert_accessible(page)
    screenshot(page, "dossier-fout-telefoon")


def test_make_the_warning_letter_from_a_maatregel_step(open_page, assert_accessible):
    from tests.factories import respondent
    from woonoverlast.accounts.models import User
    from woonoverlast.cases.models import Case
    from woonoverlast.documents.models import Document
    from woonoverlast.measures.choices import Step
    from woonoverlast.measures.services import measure_start, measure_step_record

    page = open_page("casemanager")
    reference = register_case(page, house_number=703)
    with database_read():
        call_command("voorbeeldsjablonen", stdout=io.StringIO())
        cm = User.objects.get(username="casemanager")
        case = Case.objects.get(reference=reference)
        person = respondent(case, name="Piet Overlast")
        today = datetime.date.today()
        measure = measure_start(
            case=case, respondent=person, kind="gedragsaanwijzing_dwangsom", by=cm, on=today
        )
        measure_step_record(measure, step=Step.INVESTIGATION_REPORT, on=today, by=cm)
        step = measure_step_record(measure, step=Step.WARNING_SENT, on=today, by=cm)

    page.goto(f"/casussen/{reference}/dossier/brief/?stap={step.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Brief maken")
    expect(page.get_by_label("Bij maatregelstap")).to_have_value(str(step.pk))
    assert_accessible(page)
    page.get_by_role("radio", name="Schriftelijke waarschuwing").check()
    page.get_by_role("button", name="Brief maken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Schriftelijke waarschuwing")
    expect(page.locator("#export-status")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "brief-desktop")

    with database_read():
        letter = Document.objects.get(case__reference=reference, document_type="brief")
        assert letter.measure_step_id == step.pk and letter.party_id == person.pk
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Downloaden", exact=True).click()
    text = "\n".join(
        p.text for p in __import__("docx").Document(download_info.value.path()).paragraphs
    )
    assert "Piet Overlast" in text and reference in text and "{{" not in text
