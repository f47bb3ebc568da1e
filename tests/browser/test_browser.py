"""What a user of each role sees and does, in a real browser (Debian's Chromium), on the demo
data; every page on the way is checked with axe-core against WCAG 2.1 A and AA."""

import csv
import datetime
import io
import os
import re
from pathlib import Path

import pytest
from django.db.models import Count
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, TABLET, database_read
from woonoverlast.cases.choices import Status
from woonoverlast.cases.demo import DEMO_PASSWORD
from woonoverlast.cases.models import Case

PUBLISHED = Path(__file__).parent.parent / "data" / "tabel-5.1-2023.csv"
# The jaarverslag's table truncates the official name of this wijk; we show our names.
PUBLISHED_NAMES = {"Buytenweg": "Buytenwegh"}


def published_rows() -> list[list[str]]:
    """The published Tabel 5.1 2023 with our wijk names: header first, Totaal last."""
    with PUBLISHED.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    return [[PUBLISHED_NAMES.get(row[0], row[0]), *row[1:]] for row in rows]


@pytest.mark.browser
@pytest.mark.django_db
def test_the_published_table_is_at_hand():
    """Also makes pytest-django create the test database when only this module runs (or only
    `-m browser`): it creates it for a run that holds a test asking for the database, and the
    other tests here reach it through the server instead. Keep this test selected with them."""
    assert published_rows()[-1] == ["Totaal", "31", "56", "71", "107", "11", "8", "284"]


# Every run saves the screenshots under test-artifacts/ (ignored by git), so that a test run
# leaves the work tree clean although the pages show today's dates; `make screenshots` writes
# them to docs/screenshots/, where the README shows them.
PROJECT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT / os.environ.get("WOONOVERLAST_SCREENSHOTS", "test-artifacts/screenshots")


@pytest.mark.browser
@pytest.mark.parametrize("width", ["desktop", "tablet", "phone"])
def test_screenshots_of_the_main_pages(open_page, assert_accessible, width):
    """Full-page screenshots for the README, as a team leader sees the pages. First in the
    module, so they show the demo data before the other tests add to it."""
    with database_read():
        case = (
            Case.objects.filter(status=Status.OPEN, registered_on__year__gte=2025)
            .annotate(action_count=Count("actions"))
            .order_by("-action_count", "pk")
            .first()
        )
    pages = {
        "start": "/",
        "casussen": "/casussen/",
        "casus": f"/casussen/{case.reference}/",
        "tabel-5.1": "/rapportages/tabel-5-1/?jaar=2023",
        "overzicht": "/rapportages/overzicht/",
    }
    page = open_page(
        "teamleider", viewport={"desktop": DESKTOP, "tablet": TABLET}.get(width, PHONE)
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in pages.items():
        assert page.goto(url).ok, url
        assert_accessible(page)
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        if width == "desktop":  # on a tablet a wide table may scroll sideways, not here
            clipped = page.locator(".table-wrapper").evaluate_all(
                """wrappers => wrappers.filter(w => w.scrollWidth > w.clientWidth)
                    .map(w => `${w.querySelector("caption")?.textContent.trim()}: `
                        + `${w.scrollWidth} px in ${w.clientWidth} px`)"""
            )
            assert clipped == [], f"{name}: tables scroll sideways at desktop width"


@pytest.mark.browser
def test_log_in(open_page, assert_accessible):
    page = open_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/inloggen/\?next=/$"))
    assert_accessible(page)

    page.get_by_label("Gebruikersnaam").fill("casemanager")
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Gebruikersnaam")).to_have_value("casemanager")
    assert_accessible(page)

    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn casussen")
    expect(page.get_by_role("banner")).to_contain_text("Sanne de Vries")
    assert_accessible(page)


def register_case(page, *, house_number: int, wijk: str = "Centrum", text: str = "") -> str:
    """Registers a case through the form as the logged-in user; returns its reference."""
    page.goto("/casussen/nieuw/")
    page.get_by_label("Wijk").select_option(label=wijk)
    page.get_by_role("radio", name="Corporatie").check()
    page.get_by_label("Straat").fill("Dorpsstraat")
    page.get_by_label("Huisnummer").fill(str(house_number))
    page.get_by_label("Postcode").fill("2711 ZZ")
    page.get_by_role("checkbox", name="Geluidsoverlast").check()
    page.get_by_label("Eerste melding (optioneel)", exact=True).fill(
        text or "Harde muziek tot diep in de nacht."
    )
    page.get_by_role("radio", name="Enkelvoudig").check()
    page.get_by_role("button", name="Casus registreren").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Casus \S+$"))
    return heading.inner_text().removeprefix("Casus ")


def expect_status(page, status: str) -> None:
    """The case file shows this status (waits for the page that follows a submit)."""
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Casus \S+$"))
    expect(page.locator(".case-summary .badge")).to_have_text(status)


@pytest.mark.browser
def test_register_a_new_case(open_page, assert_accessible):
    page = open_page("casemanager")
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Nieuwe casus"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe casus")
    assert_accessible(page)

    reference = register_case(page, house_number=501, text="Bonken op de muren.")
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("dl.facts").first).to_contain_text("Centrum")
    expect(page.locator("dl.facts").first).to_contain_text("Dorpsstraat 501")
    expect(page.get_by_role("region", name="Meldingen")).to_contain_text("Bonken op de muren.")
    expect_status(page, "Lopend")
    assert_accessible(page)

    page.get_by_role("link", name="Mijn casussen").click()
    # Without a deadline it is among "all my open cases", a group that opens with a click.
    expect(page.get_by_role("link", name=reference)).to_be_hidden()
    page.get_by_text("Al mijn lopende casussen").click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_the_open_cases_group_keeps_its_link_when_the_list_cannot_be_loaded(open_page):
    """Mijn casussen loads the list of its folded group when it is opened; after the session
    ended the fetch meets the log-in page: the group says so and keeps its link."""
    page = open_page("casemanager")
    page.goto("/casussen/mijn/")
    page.context.clear_cookies()  # the session ended
    page.get_by_text("Al mijn lopende casussen").click()
    group = page.locator("#groep-lopend")
    expect(group.get_by_text("De lijst kon niet worden geladen.")).to_be_visible()
    expect(group.get_by_role("link", name="Toon mijn lopende casussen")).to_be_visible()
    expect(group.locator("table")).to_have_count(0)


@pytest.mark.browser
def test_add_a_melding(open_page, assert_accessible):
    page = open_page("casemanager")
    register_case(page, house_number=502)
    page.get_by_role("navigation", name="Acties op deze casus").get_by_role(
        "link", name="Melding toevoegen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Melding toevoegen")
    assert_accessible(page)

    page.get_by_label("Melding van").select_option(label="Politie")
    page.get_by_label("Melding", exact=True).fill("Politie meldt geschreeuw in de woning.")
    page.get_by_role("button", name="Melding opslaan").click()
    meldingen = page.get_by_role("region", name="Meldingen")
    expect(meldingen.get_by_role("row")).to_have_count(3)  # header, first melding, this one
    expect(meldingen).to_contain_text("Politie meldt geschreeuw in de woning.")
    assert_accessible(page)


@pytest.mark.browser
def test_log_a_home_visit_with_a_follow_up(open_page, assert_accessible):
    page = open_page("casemanager")
    register_case(page, house_number=503)
    page.get_by_role("link", name="Huisbezoek vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huisbezoek vastleggen")
    assert_accessible(page)

    follow_up = datetime.date.today() + datetime.timedelta(days=14)
    page.get_by_label("Aanwezig").fill("Bewoner en wijkagent")
    page.get_by_label("Bevindingen").fill("Woning rommelig, bewoner staat open voor hulp.")
    page.get_by_label("Vervolgdatum").fill(follow_up.isoformat())
    page.get_by_role("button", name="Huisbezoek opslaan").click()

    timeline = page.get_by_role("region", name="Tijdlijn")
    visit = timeline.get_by_role("listitem").filter(has_text="Bewoner en wijkagent")
    expect(visit).to_contain_text("Huisbezoek")
    expect(visit).to_contain_text("Woning rommelig, bewoner staat open voor hulp.")
    expect(visit).to_contain_text(f"Vervolg op {follow_up:%d-%m-%Y}")
    assert_accessible(page)


@pytest.mark.browser
def test_close_a_case_and_reopen_it(open_page, assert_accessible):
    page = open_page("casemanager")
    register_case(page, house_number=504)
    page.get_by_role("link", name="Afsluiten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casus afsluiten")
    assert_accessible(page)
    page.get_by_role("radio", name="Opgelost").check()
    page.get_by_label("Toelichting").fill("Na gesprek geen overlast meer.")
    page.get_by_role("button", name="Casus afsluiten").click()
    expect_status(page, "Afgerond")
    expect(page.get_by_role("region", name="Tijdlijn")).to_contain_text("Afgerond: opgelost")
    assert_accessible(page)

    page.get_by_role("link", name="Heropenen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casus heropenen")
    assert_accessible(page)
    page.get_by_label("Reden van heropenen").fill("Nieuwe meldingen van de buren.")
    page.get_by_role("button", name="Casus heropenen").click()
    expect_status(page, "Lopend")
    expect(page.get_by_role("region", name="Tijdlijn")).to_contain_text("Heropend")
    assert_accessible(page)


@pytest.mark.browser
def test_filter_the_case_list_by_wijk_and_status_and_open_a_case(open_page, assert_accessible):
    page = open_page("casemanager")
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Casussen", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casussen")
    assert_accessible(page)

    filters = page.get_by_role("search", name="Filters")
    filters.get_by_role("checkbox", name="Meerzicht").check()
    filters.get_by_label("Status", exact=True).select_option(label="Lopend")
    filters.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r"status=open"))

    with database_read():
        expected = Case.objects.filter(district__name="Meerzicht", status=Status.OPEN).count()
    assert expected > 0
    results = page.get_by_role("region", name=re.compile(r"casussen$"))
    expect(results.get_by_role("heading", level=2)).to_have_text(f"{expected} casussen")
    rows = results.locator("tbody tr")
    for index in range(rows.count()):
        cells = rows.nth(index).get_by_role("cell")
        expect(cells.nth(0)).to_have_text("Meerzicht")
        expect(cells.nth(7)).to_have_text("Lopend")  # after the next follow-up
    assert_accessible(page)

    first = rows.first.get_by_role("rowheader").get_by_role("link")
    reference = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Casus {reference}")
    expect(page.locator("dl.facts").first).to_contain_text("Meerzicht")
    assert_accessible(page)


@pytest.mark.browser
def test_tabel_51_for_2023_matches_the_published_table(open_page, assert_accessible):
    page = open_page("rapportage")
    page.goto("/")  # the reports are the start page of this role
    expect(page).to_have_url(re.compile(r"/rapportages/$"))
    assert_accessible(page)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Tabel 5.1").click()
    assert_accessible(page)
    page.get_by_role("spinbutton", name="Jaar").fill("2023")
    page.get_by_role("button", name="Tabel maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tabel 5.1 Woonoverlast aantallen 2023"
    )

    table = page.locator("table.figures").first
    shown = [
        [row.get_by_role("rowheader").inner_text()]
        + [cell.inner_text() for cell in row.get_by_role("cell").all()]
        for row in table.locator("tbody tr, tfoot tr").all()
    ]
    assert shown == published_rows()[1:]
    expect(page.locator("#tekst-jaarverslag")).to_contain_text(
        "In totaal zijn in 2023 284 concrete casussen geregistreerd. Daarvan zijn er 171 afgerond."
    )
    assert_accessible(page)


@pytest.mark.browser
def test_download_the_csv_and_xlsx_exports(open_page):
    page = open_page("rapportage")
    page.goto("/rapportages/tabel-5-1/?jaar=2023")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (formaat jaarverslag)").click()
    assert download.value.suggested_filename.endswith(".csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(text))) == published_rows()

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = io.BytesIO(Path(download.value.path()).read_bytes())
    sheet = load_workbook(workbook)["Tabel 5.1 2023"]
    assert sheet["A1"].value == "Tabel 5.1 Woonoverlast aantallen 2023"
    read = [
        [str(sheet.cell(row, column).value) for column in range(1, 9)]
        for row in range(6, 6 + len(published_rows()) - 1)
    ]
    assert read == published_rows()[1:]


@pytest.mark.browser
def test_a_team_leader_exports_the_filtered_case_list(open_page):
    page = open_page("teamleider")
    page.goto("/casussen/?wijk=&status=closed")
    filters = page.get_by_role("search", name="Filters")
    filters.get_by_role("checkbox", name="Rokkeveen").check()
    filters.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r"wijk=\d+"))
    listed = page.locator("tbody tr").count()
    total = int(
        page.get_by_role("heading", level=2, name=re.compile("casussen")).inner_text().split()[0]
    )

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    # The screen's columns, in its order.
    headers = [
        " ".join(header.inner_text().split(",")[0].replace("▲", "").replace("▼", "").split())
        for header in page.locator(".case-table thead th").all()
    ][1:]  # the first column holds the checkboxes
    assert [header.replace("Geregistreerd", "Geregistreerd op") for header in headers] == rows[0][
        : len(headers)
    ]
    assert len(rows) - 1 == total >= listed > 0
    assert {(row[1], row[8]) for row in rows[1:]} == {("Rokkeveen", "Afgerond")}

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [cell.value for cell in sheet[1]] == rows[0]
    assert sheet.max_row == len(rows)


@pytest.mark.browser
def test_a_team_leader_reassigns_a_case(open_page, assert_accessible):
    reference = register_case(open_page("casemanager"), house_number=505)
    page = open_page("teamleider")
    page.goto(f"/casussen/{reference}/")
    page.get_by_role("link", name="Toewijzen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casus toewijzen")
    assert_accessible(page)
    page.get_by_label("Nieuwe casemanager").select_option(label="Mark Bakker")
    page.get_by_label("Reden").fill("Werkverdeling na verlof")
    page.get_by_role("button", name="Toewijzen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Casus {reference}")
    expect(page.locator(".case-summary")).to_contain_text("casemanager Mark Bakker")
    assert_accessible(page)


@pytest.mark.browser
def test_the_rapportage_role_is_refused_a_case_file(open_page, assert_accessible):
    with database_read():
        reference = Case.objects.order_by("pk").values_list("reference", flat=True).first()
    page = open_page("rapportage")
    response = page.goto(f"/casussen/{reference}/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(page.get_by_role("main")).not_to_contain_text(reference)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Casussen", exact=True)).to_have_count(0)
    expect(menu.get_by_role("link", name="Tabel 5.1")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_a_form_with_an_error_keeps_the_input(open_page, assert_accessible):
    page = open_page("casemanager")
    page.goto("/casussen/nieuw/")
    page.get_by_role("radio", name="Koop").check()
    page.get_by_label("Straat").fill("Stationsplein")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Postcode").fill("27AB")  # not a postcode
    page.get_by_role("checkbox", name="Verzamelwoede").check()
    page.get_by_label("Eerste melding (optioneel)", exact=True).fill(
        "Stank uit de woning, balkon vol spullen."
    )
    page.get_by_role("button", name="Casus registreren").click()  # and no wijk chosen

    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe casus")
    expect(page.get_by_role("radio", name="Koop")).to_be_checked()
    expect(page.get_by_label("Straat")).to_have_value("Stationsplein")
    expect(page.get_by_label("Huisnummer")).to_have_value("12")
    expect(page.get_by_label("Postcode")).to_have_value("27AB")
    expect(page.get_by_role("checkbox", name="Verzamelwoede")).to_be_checked()
    expect(page.get_by_label("Eerste melding (optioneel)", exact=True)).to_have_value(
        "Stank uit de woning, balkon vol spullen."
    )
    wijk = page.get_by_label("Wijk")
    expect(wijk).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


@pytest.mark.browser
def test_the_accessibility_check_finds_violations(open_page, assert_accessible):
    """The check itself: a page without a language, an image without a text alternative and a
    field without a label fails it."""
    page = open_page()
    page.set_content('<main><h1>Test</h1><img src="x.png"><input type="text"></main>')
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    for rule in ("html-has-lang", "image-alt", "label"):
        assert rule in str(failure.value)


def tab_to(page, target, *, limit: int = 150, backwards: bool = False) -> None:
    """Presses Tab (Shift+Tab with `backwards`) until `target` has the focus; every element on
    the way must show it."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = page.evaluate(
            """target => {
                const element = document.activeElement;
                const style = getComputedStyle(element);
                return {
                    reached: element === target,
                    // The body: Tab went past the last link (into the browser) and wraps.
                    visible: element === document.body
                        || style.outlineStyle !== "none" || style.boxShadow !== "none",
                    html: element.outerHTML.slice(0, 120),
                };
            }""",
            handle,
        )
        assert focus["visible"], f"no visible focus on {focus['html']}"
        if focus["reached"]:
            return
    raise AssertionError(f"{target} was not reached with the Tab key")


@pytest.mark.browser
def test_the_main_flow_with_the_keyboard_alone(open_page):
    """New case → huisbezoek with a follow-up → close, with Tab, Space, Enter and typing only."""
    page = open_page("casemanager")
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()

    tab_to(page, page.get_by_role("link", name="Nieuwe casus"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe casus")
    tab_to(page, page.get_by_label("Wijk"))
    page.keyboard.type("Centrum")
    expect(page.get_by_label("Wijk")).to_have_value(re.compile(r"\d+"))
    tab_to(page, page.get_by_role("radio", name="Koop"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Straat"))
    page.keyboard.type("Toetsenbordlaan")
    tab_to(page, page.get_by_label("Huisnummer"))
    page.keyboard.type("7")
    tab_to(page, page.get_by_label("Postcode"))
    page.keyboard.type("2711 ZY")
    tab_to(page, page.get_by_role("checkbox", name="Geluidsoverlast"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Eerste melding (optioneel)", exact=True))
    page.keyboard.type("Buren horen 's nachts geschreeuw.")
    tab_to(page, page.get_by_role("radio", name="Enkelvoudig"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Casus registreren"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Casus \S+$"))
    expect(page.locator("dl.facts").first).to_contain_text("Toetsenbordlaan 7")

    tab_to(page, page.get_by_role("link", name="Huisbezoek vastleggen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huisbezoek vastleggen")
    tab_to(page, page.get_by_label("Aanwezig"))
    page.keyboard.type("Bewoner")
    tab_to(page, page.get_by_label("Bevindingen"))
    page.keyboard.type("Geen bijzonderheden in de woning.")
    follow_up = datetime.date.today() + datetime.timedelta(days=7)
    tab_to(page, page.get_by_label("Vervolgdatum"))
    page.keyboard.type(f"{follow_up:%d%m%Y}")  # day, month, year: the field moves on by itself
    expect(page.get_by_label("Vervolgdatum")).to_have_value(follow_up.isoformat())
    tab_to(page, page.get_by_role("button", name="Huisbezoek opslaan"))
    page.keyboard.press("Enter")
    visit = page.get_by_role("region", name="Tijdlijn").get_by_role("listitem").first
    expect(visit).to_contain_text("Geen bijzonderheden in de woning.")
    expect(visit).to_contain_text(f"Vervolg op {follow_up:%d-%m-%Y}")

    # The saved huisbezoek brings the timeline into view (#tijdlijn), where the focus starts;
    # the case's buttons are above it.
    tab_to(page, page.get_by_role("link", name="Afsluiten"), backwards=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casus afsluiten")
    tab_to(page, page.get_by_role("radio", name="Opgelost"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Toelichting"))
    page.keyboard.type("Overlast gestopt na het huisbezoek.")
    tab_to(page, page.get_by_role("button", name="Casus afsluiten"))
    page.keyboard.press("Enter")
    expect_status(page, "Afgerond")
    expect(page.get_by_role("region", name="Tijdlijn")).to_contain_text("Afgerond: opgelost")


@pytest.mark.browser
def test_a_printed_case_file_shows_no_navigation_or_buttons(open_page):
    with database_read():
        case = Case.objects.filter(status=Status.OPEN).order_by("pk").first()
    page = open_page("casemanager")
    page.goto(f"/casussen/{case.reference}/")
    assert page.locator("nav.main-nav").is_visible()
    page.emulate_media(media="print")
    for selector in ("header.site-header", "nav", "button", "form", ".action-bar", "a.button"):
        visible = [element for element in page.locator(selector).all() if element.is_visible()]
        assert visible == [], selector
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=SCREENSHOTS / "casus-print.pdf", format="A4")


@pytest.mark.browser
def test_the_session_warning_offers_to_stay_logged_in(open_page, assert_accessible):
    page = open_page("casemanager")
    page.clock.install()
    page.goto("/casussen/mijn/")
    dialog = page.get_by_role("dialog", name="Uw sessie verloopt bijna")
    expect(dialog).to_be_hidden()
    # The server counts from the session's last renewal, which activity moves at most once a
    # minute (accounts.middleware): up to a minute less than the 30 minutes.
    seconds = int(page.locator("#sessie-waarschuwing").get_attribute("data-seconds-left"))
    assert 1740 <= seconds <= 1800
    page.clock.run_for((seconds - 300 - 60) * 1000)  # a minute before the warning
    expect(dialog).to_be_hidden()
    page.clock.run_for(120 * 1000)  # a minute after it: four minutes left
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("over 4 minuten")
    expect(dialog.get_by_role("button", name="Ingelogd blijven")).to_be_focused()
    assert_accessible(page)
    with page.expect_response("**/account/sessie-verlengen/") as response:
        dialog.get_by_role("button", name="Ingelogd blijven").click()
    assert response.value.json()["ingelogd"] is True
    expect(dialog).to_be_hidden()


def test_a_melding_saved_twice_is_stored_once(open_page, assert_accessible):
    """A double click, and the browser's Back button with Save again: one melding (the form's
    one-time token and, for a page the browser loads anew, its values: woonoverlast/
    submissions)."""
    page = open_page("casemanager")
    reference = register_case(page, house_number=506)
    text = "Dubbel geklikt: drie keer dezelfde melding?"

    def stored() -> int:
        with database_read():
            return Case.objects.get(reference=reference).meldingen.filter(text=text).count()

    page.goto(f"/casussen/{reference}/meldingen/nieuw/")
    page.get_by_label("Melding", exact=True).fill(text)
    page.get_by_role("button", name="Melding opslaan").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Casus {reference}")
    assert stored() == 1
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Melding toevoegen")
    # Chromium loads the page anew and puts the typed text back (a new token).
    expect(page.get_by_label("Melding", exact=True)).to_have_value(text)
    page.get_by_role("button", name="Melding opslaan").click()
    expect(page.locator(".message")).to_contain_text("Dit formulier was al opgeslagen")
    assert_accessible(page)
    assert stored() == 1
