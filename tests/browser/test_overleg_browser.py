"""The casusoverleg end to end in the browser: a casemanager proposes a case, the chair sets
the agenda and records an afspraak for the corporatie, the partner logs in (setting up its
required two-factor verification), sees its agenda and marks the afspraak done, and the chair
sees it at the start of the next overleg. Screenshots of the partner's view at 390 and 1280 px;
axe-core on every page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, database_read
from tests.browser.test_browser import SCREENSHOTS
from woonoverlast.cases.choices import Status
from woonoverlast.cases.demo import DEMO_PASSWORD
from woonoverlast.cases.models import Case


def _today() -> str:
    return datetime.date.today().isoformat()


def _totp(username: str) -> str:
    """The code the partner's authenticator app would show now."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with database_read():
        device = TOTPDevice.objects.filter(user__username=username).latest("pk")
        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.browser
def test_casusoverleg_with_a_partner_end_to_end_and_screenshots(open_page, assert_accessible):
    from django.contrib.auth import get_user_model

    with database_read():
        case = (
            Case.objects.filter(status=Status.OPEN, agenda_items__isnull=True)
            .order_by("-registered_on", "reference")
            .first()
        )
        chair_name = str(get_user_model().objects.get(username="teamleider"))

    # A casemanager plans an overleg today with the corporatie and proposes a case.
    page = open_page("casemanager")
    page.goto("/overleg/")
    assert_accessible(page)
    page.get_by_role("link", name="Overleg plannen").click()
    page.get_by_label("Datum").fill(_today())
    page.get_by_label("Voorzitter").select_option(label=chair_name)
    page.get_by_label("Karin Smit (Vidomes)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Overleg plannen").click()
    expect(page.locator(".messages")).to_contain_text("gepland")
    meeting_url = page.url
    page.get_by_role("link", name="Casus voordragen").click()
    page.get_by_label("Casus (referentie)").fill(case.reference)
    page.get_by_label("Vraag aan de partners").fill("Kan de corporatie een gesprek voeren?")
    page.get_by_role("button", name="Voordragen").click()
    expect(page.locator(".messages")).to_contain_text("voorgedragen")

    # The chair sets the agenda, records the bespreking and an afspraak for the corporatie.
    chair = open_page("teamleider")
    chair.goto(meeting_url)
    chair.get_by_label(re.compile(re.escape(case.reference))).check()
    chair.get_by_role("button", name="Agenda vaststellen").click()
    expect(chair.locator(".messages")).to_contain_text("vastgesteld")
    assert_accessible(chair)
    chair.get_by_role("link", name=re.compile("^Voorbeeld voor Vidomes")).click()
    expect(chair.locator(".partner-case")).to_contain_text(case.reference)
    chair.goto(meeting_url)
    chair.get_by_role("link", name="Bespreking en afspraken").click()
    chair.get_by_role("textbox", name="Bespreking").fill(
        "De corporatie kent de huurder en gaat langs."
    )
    chair.get_by_role("button", name="Bespreking opslaan").click()
    expect(chair.locator(".messages")).to_contain_text("vastgelegd")
    chair.get_by_label("Afspraak", exact=True).fill("Huisbezoek bij de huurder")
    chair.get_by_label("Uiterlijk op").fill(_today())
    chair.get_by_label("Wie voert het uit?").select_option(label="Vidomes: Karin Smit")
    chair.get_by_role("button", name="Afspraak toevoegen").click()
    expect(chair.locator(".messages")).to_contain_text("De afspraak is vastgelegd")
    assert_accessible(chair)

    # The partner logs in; two-factor verification is required, so it sets it up first.
    partner = open_page(None, viewport=DESKTOP)
    partner.goto("/inloggen/")
    partner.get_by_label("Gebruikersnaam").fill("ketenpartner")
    partner.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    partner.get_by_role("button", name="Inloggen").click()
    expect(partner.get_by_role("heading", level=1)).to_contain_text("Tweestapsverificatie")
    partner.get_by_label("Verificatiecode").fill(_totp("ketenpartner"))
    partner.get_by_role("button", name="Inschakelen").click()
    expect(partner.locator(".messages")).to_contain_text("ingeschakeld")
    partner.goto("/partner/")
    assert_accessible(partner)
    expect(partner.get_by_role("navigation", name="Hoofdmenu")).not_to_contain_text("Casussen")
    # Today's overleg (the one planned above) is among its overleggen; it opens it.
    meeting_id = re.search(r"/overleg/(\d+)/", meeting_url)[1]
    expect(partner.locator(f'a[href="/partner/overleg/{meeting_id}/"]')).to_have_count(1)
    partner.goto(f"/partner/overleg/{meeting_id}/")
    expect(partner.get_by_role("heading", level=1)).to_contain_text("Agenda")
    expect(partner.locator(".partner-case").filter(has_text=case.reference)).to_contain_text(
        "Kan de corporatie een gesprek voeren?"
    )
    assert_accessible(partner)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    partner.screenshot(path=SCREENSHOTS / "partner-agenda-1280.png", full_page=True)
    partner.set_viewport_size(PHONE)
    partner.screenshot(path=SCREENSHOTS / "partner-agenda-390.png", full_page=True)
    partner.goto("/partner/")
    partner.screenshot(path=SCREENSHOTS / "partner-start-390.png", full_page=True)
    partner.set_viewport_size(DESKTOP)
    partner.screenshot(path=SCREENSHOTS / "partner-start-1280.png", full_page=True)

    # It marks the afspraak done, with a note.
    card = partner.locator(".card").filter(has_text="Huisbezoek bij de huurder")
    card.get_by_role("link", name="Afmelden").click()
    assert_accessible(partner)
    partner.get_by_label("Toelichting").fill("Huisbezoek gedaan; huurder werkt mee.")
    partner.get_by_role("button", name="Afmelden als uitgevoerd").click()
    expect(partner.locator(".messages")).to_contain_text("afgemeld")

    # The chair opens the next overleg: it starts with the afspraken of this one, done.
    chair.goto("/overleg/")
    chair.get_by_role("region", name="Komende overleggen").get_by_role("link").filter(
        has_not_text=datetime.date.today().strftime("%d-%m-%Y")
    ).first.click()
    carried = chair.get_by_role("region", name="Afspraken uit het vorige overleg").first
    row = carried.get_by_role("row").filter(has_text="Huisbezoek bij de huurder")
    expect(row).to_contain_text("Uitgevoerd")
    expect(row).to_contain_text("huurder werkt mee")
    assert_accessible(chair)
