"""Intake in a real browser: a resident sends the public form (with the keyboard alone, and
with JavaScript switched off), and casemanagers take three meldingen out of the queue: added
to a case, a new case, referred. The melder's messages go out (the test mail backend)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, TABLET, database_read
from tests.browser.test_browser import SCREENSHOTS, tab_to
from woonoverlast.cases.choices import Status
from woonoverlast.cases.models import Case
from woonoverlast.intake.models import IntakeMelding

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db
def test_the_database_is_created_for_this_module():
    """pytest-django creates the test database only for a run holding a test that asks for it
    (see test_browser.test_the_published_table_is_at_hand)."""
    assert Case.objects.count() == 0


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    """All browser requests come from 127.0.0.1; the limit itself is tested elsewhere."""
    settings.INTAKE_RATE_LIMIT = 1000


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    """The terugkoppeling mails are sent by a task: in the server's process, whatever the
    broker."""


def no_sideways_scrolling(page):
    """Nothing of this issue's content sticks out at the side. The header's user bar of a
    logged-in user does at 390 px on main (casework-b makes the pages responsive), so it is
    left out here."""
    wide = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .filter(e => !e.closest(".table-wrapper, .visually-hidden, .site-header__user"))
            .map(e => e.tagName + "." + e.className + ": " + e.textContent.trim().slice(0, 40))"""
    )
    assert wide == [], f"{page.url}: {wide}"


def send_melding(page, *, street, number, postcode, text, email="", name=""):
    """Fills in and sends the public form (mouse and keyboard as a person would)."""
    page.goto("/melden/")
    page.get_by_label("Straat").fill(street)
    page.get_by_label("Huisnummer").fill(str(number))
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_role("checkbox", name="Lawaai").check()
    page.get_by_label("Wat gebeurt er?").fill(text)
    page.get_by_role("radio", name="Nee").check()
    if name:
        page.get_by_label("Uw naam").fill(name)
    if email:
        page.get_by_label("Uw e-mailadres").fill(email)
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw melding")
    return page.locator(".reference").inner_text()


@pytest.mark.browser
def test_a_resident_sends_the_form_with_the_keyboard_alone(open_page, assert_accessible):
    page = open_page()
    page.goto("/melden/")
    assert_accessible(page)
    tab_to(page, page.get_by_label("Straat"))
    page.keyboard.type("Toetsenbordlaan")
    tab_to(page, page.get_by_label("Huisnummer"))
    page.keyboard.type("3")
    tab_to(page, page.get_by_label("Postcode"))
    page.keyboard.type("2711 ZY")
    tab_to(page, page.get_by_role("checkbox", name="Lawaai"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Wat gebeurt er?"))
    page.keyboard.type("Iedere nacht bonken en harde muziek.")
    # A radio group is one Tab stop (the chosen one); the arrow keys choose within it.
    tab_to(page, page.get_by_role("radio", name="Zeg ik liever niet"))
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="Ja")).to_be_checked()
    tab_to(page, page.get_by_label("Uw e-mailadres"))
    page.keyboard.type("buur@example.org")
    tab_to(page, page.get_by_role("button", name="Melding versturen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw melding")
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"MLD-\d{4}-\d{5}", reference)
    expect(page.get_by_role("main")).to_contain_text("binnen 5 werkdagen")
    assert_accessible(page)
    with database_read():
        assert IntakeMelding.objects.get(reference=reference).talked_to_neighbour == "ja"
    assert any(reference in message.subject for message in mail.outbox)


@pytest.mark.browser
def test_the_form_works_without_javascript_and_shows_errors(
    browser, live_demo, open_page, assert_accessible
):
    context = browser.new_context(base_url=live_demo, java_script_enabled=False, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto("/melden/")
        page.get_by_label("Postcode").fill("27AB")
        page.get_by_label("Wat gebeurt er?").fill("Stank uit de woning.")
        page.get_by_role("button", name="Melding versturen").click()
        expect(page.locator(".error-summary")).to_be_visible()
        expect(page.get_by_label("Wat gebeurt er?")).to_have_value("Stank uit de woning.")
        expect(page.get_by_role("main")).to_contain_text("Vul de straat in.")
        page.get_by_label("Straat").fill("Zonder-scriptstraat")
        page.get_by_label("Huisnummer").fill("8")
        page.get_by_label("Postcode").fill("2711 ZY")
        page.get_by_role("button", name="Melding versturen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw melding")
    finally:
        context.close()
    page = open_page()
    page.goto("/melden/")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("tablet", TABLET)])
def test_the_pages_at_every_width(open_page, name, viewport):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(viewport=viewport)
    page.goto("/melden/")
    no_sideways_scrolling(page)
    page.screenshot(path=SCREENSHOTS / f"melden-{name}.png", full_page=True)
    page = open_page("casemanager", viewport=viewport)
    page.goto("/meldingen/")
    no_sideways_scrolling(page)
    page.screenshot(path=SCREENSHOTS / f"meldingen-{name}.png", full_page=True)


def _open_case_with_address():
    with database_read():
        return (
            Case.objects.filter(status=Status.OPEN, registered_on__year__gte=2025)
            .exclude(postcode="")
            .exclude(house_number=None)
            .order_by("pk")
            .first()
        )


@pytest.mark.browser
def test_three_meldingen_three_ways_out(open_page, assert_accessible):
    case = _open_case_with_address()
    resident = open_page()
    added = send_melding(
        resident,
        street=case.street,
        number=case.house_number,
        postcode=case.postcode,
        text="Weer harde muziek, nu ook overdag.",
        email="bewoner.een@example.org",
        name="Bewoner Een",
    )
    new = send_melding(
        resident,
        street="Nieuwelaan",
        number=44,
        postcode="2712 ZZ",
        text="Stank en veel vuilniszakken op het balkon.",
        email="bewoner.twee@example.org",
    )
    referred = send_melding(
        resident, street="Ruzieweg", number=2, postcode="2713 ZZ", text="Ruzie over de heg."
    )

    page = open_page("casemanager", viewport=DESKTOP)
    page.goto("/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name=re.compile("Binnengekomen meldingen"))).to_contain_text(
        re.compile(r"\d+")
    )
    menu.get_by_role("link", name=re.compile("Binnengekomen meldingen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Binnengekomen meldingen")
    assert_accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "meldingen-desktop.png", full_page=True)
    row = page.get_by_role("row").filter(has_text=added)
    expect(row).to_contain_text(case.reference)  # the match at the same address

    # 1. Added to the case at its address.
    row.get_by_role("link", name=added).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Melding {added}")
    assert_accessible(page)
    page.get_by_role("button", name=f"Bij {case.reference} voegen").click()
    expect(page.locator(".messages")).to_contain_text(f"toegevoegd aan casus {case.reference}")
    page.goto(f"/casussen/{case.reference}/")
    expect(page.get_by_role("region", name="Meldingen")).to_contain_text(
        "Weer harde muziek, nu ook overdag."
    )
    expect(page.get_by_role("region", name="Melders en terugkoppeling")).to_contain_text(added)
    assert_accessible(page)

    # 2. A new case, pre-filled from the melding.
    page.goto("/meldingen/")
    page.get_by_role("link", name=new).click()
    page.get_by_role("link", name="Nieuwe casus registreren").click()
    expect(page.get_by_label("Straat")).to_have_value("Nieuwelaan")
    expect(page.get_by_label("Postcode")).to_have_value("2712 ZZ")
    assert_accessible(page)
    page.get_by_label("Wijk").select_option(label="Centrum")
    page.get_by_role("radio", name="Particulier").check()
    page.get_by_role("radio", name="Enkelvoudig").check()
    page.get_by_role("button", name="Casus registreren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Casus \S+$"))
    expect(page.get_by_role("region", name="Meldingen")).to_contain_text("Stank en veel")

    # 3. Referred to a partner.
    page.goto("/meldingen/")
    page.get_by_role("link", name=referred).click()
    page.get_by_role("radio", name="Doorverwezen").check()
    page.get_by_label("Doorverwezen naar").select_option(label="Buurtbemiddeling")
    page.get_by_label("Toelichting").fill("Burenruzie zonder zorgen.")
    page.get_by_role("button", name="Melding afsluiten").click()
    expect(page.locator(".messages")).to_contain_text(f"Melding {referred} is afgesloten.")
    assert_accessible(page)

    with database_read():
        outcomes = dict(
            IntakeMelding.objects.filter(reference__in=[added, new, referred]).values_list(
                "reference", "outcome"
            )
        )
    assert outcomes == {added: "toegevoegd", new: "nieuwe_casus", referred: "doorverwezen"}
    # Confirmation and terugkoppeling to the melders with an e-mail address; none about others.
    sent = [(message.to[0], message.subject) for message in mail.outbox]
    assert ("bewoner.een@example.org", f"Uw melding {added} is in behandeling") in sent
    assert ("bewoner.twee@example.org", f"Uw melding {new} is in behandeling") in sent
    assert all(case.street not in message.body for message in mail.outbox)
