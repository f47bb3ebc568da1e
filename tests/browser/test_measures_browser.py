"""A gedragsaanwijzing end to end in the browser: onderzoeksverslag, waarschuwing, voornemen,
the zienswijze term passing, besluit, bekendmaking, bezwaar, beslissing op bezwaar, controle,
afgelopen; its deadlines on Termijnen; axe-core on every new page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WCAG_21_AA, database_read
from tests.browser.test_browser import SCREENSHOTS
from woonoverlast.measures.models import Measure

DAY = datetime.timedelta(days=1)


def iso(days_ago: int) -> str:
    return (datetime.date.today() - days_ago * DAY).isoformat()


def record_step(page, link: str, *, days_ago: int, fill=None, axe=None):
    """Follow the step's link on the case file, fill the date (and more), save."""
    page.get_by_role("navigation", name="Volgende stap van deze maatregel").get_by_role(
        "link", name=re.compile(rf"^{re.escape(link)}( \(afwijking\))?$")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(link)
    if axe:
        axe(page)
    page.get_by_label("Datum", exact=True).fill(iso(days_ago))
    if fill:
        fill(page)
    page.get_by_role("button", name="Stap vastleggen").click()
    expect(page.locator(".messages")).to_contain_text(link)


@pytest.mark.browser
def test_a_gedragsaanwijzing_end_to_end(open_page, assert_accessible):
    casemanager = open_page("casemanager")
    page = casemanager
    # A case registered 100 days ago, with its veroorzaker.
    page.goto("/casussen/nieuw/")
    page.get_by_label("Wijk").select_option(label="Centrum")
    page.get_by_role("radio", name="Koop").check()
    page.get_by_label("Straat").fill("Maatregelstraat")
    page.get_by_label("Huisnummer").fill("7")
    page.get_by_label("Geregistreerd op").fill(iso(100))
    page.get_by_role("radio", name="Enkelvoudig").check()
    page.get_by_role("button", name="Casus registreren").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Casus \S+$"))
    reference = heading.inner_text().removeprefix("Casus ")
    page.get_by_role("navigation", name="Acties op deze casus").get_by_role(
        "link", name="Betrokkene toevoegen"
    ).click()
    page.get_by_role("radio", name="Veroorzaker").check()
    page.get_by_label("Naam").fill("Piet Overlast")
    page.get_by_role("button", name="Betrokkene opslaan").click()

    # Start the maatregel.
    measures = page.get_by_role("region", name="Maatregelen")
    measures.get_by_role("link", name="Maatregel starten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maatregel starten")
    assert_accessible(page)
    page.get_by_role("radio", name="Piet Overlast").check()
    page.get_by_role("radio", name="Gedragsaanwijzing (last onder dwangsom)").check()
    page.get_by_label("Gestart op").fill(iso(90))
    page.get_by_role("button", name="Maatregel starten").click()
    expect(page.locator(".messages")).to_contain_text("is gestart")
    assert_accessible(page)

    record_step(page, "Onderzoeksverslag opgesteld", days_ago=80, axe=assert_accessible)
    # The belangenafweging, written down: no besluit without it (art. 3:4 lid 2 Awb).
    record_step(
        page,
        "Belangenafweging vastgelegd",
        days_ago=75,
        fill=lambda p: p.get_by_label("Afweging").fill("Lichtere middelen hielpen niet."),
    )
    record_step(page, "Waarschuwing verzonden", days_ago=70)
    record_step(
        page,
        "Voornemen verzonden",
        days_ago=60,
        fill=lambda p: p.get_by_label("Zienswijzetermijn (dagen)").fill("14"),
    )
    # The zienswijze term (14 days) has passed: the case file says when it ended.
    article = page.locator("article.measure")
    expect(article).to_contain_text("Zienswijzetermijn eindigt")
    # A casemanager is not offered the besluit: the team leader records it.
    expect(
        page.get_by_role("navigation", name="Volgende stap van deze maatregel").get_by_role(
            "link", name="Besluit genomen"
        )
    ).to_have_count(0)
    case_url = page.url.split("#")[0]

    leader = open_page("teamleider")
    leader.goto(case_url)

    def decision(p):
        p.get_by_label("Begunstigingstermijn (dagen)").fill("7")
        p.get_by_label("Looptijd (maanden)").fill("6")
        p.get_by_label("Dwangsom per overtreding").fill("250")
        p.get_by_label("Maximum dwangsom").fill("2.500")

    record_step(leader, "Besluit genomen", days_ago=45, fill=decision, axe=assert_accessible)

    today = datetime.date.today().isoformat()
    record_step(
        leader,
        "Besluit bekendgemaakt",
        days_ago=44,
        fill=lambda p: p.get_by_label("Volgende controle").fill(today),
    )
    expect(leader.locator("article.measure")).to_contain_text("Bezwaartermijn eindigt")

    # Termijnen shows today's planned controle; the begunstigingstermijn that passed is the
    # person's, not a deadline the team missed (the planned controle is the task).
    leader.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Termijnen").click()
    row = leader.get_by_role("row").filter(has_text=reference)
    expect(row.filter(has_text="Begunstigingstermijn eindigt")).to_have_count(0)
    expect(row.filter(has_text="Controle gepland")).to_have_count(1)
    assert_accessible(leader)

    # The team's Maatregelen page lists it.
    leader.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Maatregelen"
    ).click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Maatregelen")
    expect(leader.get_by_role("link", name=reference)).to_be_visible()
    assert_accessible(leader)
    leader.get_by_role("link", name=reference).click()

    record_step(
        leader,
        "Bezwaar ontvangen",
        days_ago=30,
        fill=lambda p: p.get_by_label("Een adviescommissie (art. 7:13 Awb) adviseert").check(),
    )
    expect(leader.locator("article.measure")).to_contain_text("Beslistermijn op bezwaar")
    record_step(
        leader,
        "Hoorzitting (of afgezien van horen)",
        days_ago=10,
        fill=lambda p: p.get_by_role("radio", name="Gehoord", exact=True).check(),
    )
    record_step(
        leader,
        "Beslissing op bezwaar",
        days_ago=5,
        fill=lambda p: p.get_by_role("radio", name="Ongegrond").check(),
    )
    record_step(
        leader,
        "Controle",
        days_ago=0,
        fill=lambda p: p.get_by_role("radio", name="Nageleefd").check(),
    )
    record_step(leader, "Afgelopen", days_ago=0)
    expect(leader.locator("article.measure")).to_contain_text("Afgesloten op")
    assert_accessible(leader)

    # Nothing of it is due any more.
    leader.goto("/termijnen/")
    expect(leader.get_by_role("row").filter(has_text=reference)).to_have_count(0)

    # The reports page counts it.
    leader.goto(f"/rapportages/maatregelen/?jaar={datetime.date.today().year}")
    expect(leader.get_by_role("heading", level=1)).to_contain_text("Maatregelen")
    assert_accessible(leader)


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 768, 1280])
def test_the_maatregelen_pages_fit_every_width(open_page, assert_accessible, axe, width):
    """The team list, a case file with a demo maatregel and the report, without sideways
    scrolling of the page, axe-clean, with screenshots."""
    with database_read():
        measure = Measure.objects.running().select_related("case").order_by("pk").first()
    pages = {
        "maatregelen": "/maatregelen/",
        "maatregel-casus": measure.case.get_absolute_url(),
        "maatregelen-rapport": "/rapportages/maatregelen/?jaar=2023&indeling=wijk",
    }
    page = open_page("teamleider", viewport={"width": width, "height": 900})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in pages.items():
        assert page.goto(url).ok, url
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        if name == "maatregel-casus" and width == 390:
            # At phone width the case file's older tables (meldingen) scroll without being
            # focusable; that is the case file's, so check the Maatregelen section here.
            results = axe.run(
                page,
                context="#maatregelen",
                options={"runOnly": {"type": "tag", "values": WCAG_21_AA}},
            )
            assert results.violations_count == 0, results.generate_report()
        else:
            assert_accessible(page)
        # The page's own content (main); the site header is the base template's.
        overflow = page.evaluate(
            """() => { const main = document.querySelector("main");
                return Math.max(...[main, ...main.querySelectorAll("*")]
                    .filter(el => !el.closest(".table-wrapper"))
                    .map(el => el.getBoundingClientRect().right))
                    - document.documentElement.clientWidth; }"""
        )
        assert overflow <= 0, f"{name} scrolls sideways at {width} px"
