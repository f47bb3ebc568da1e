"""Issue 27 in the browser: the work tables at 390 px (nothing important out of sight), a
message where the user lands after a jump to part of a page, the header search, the bulk
reassignment's choice of all matching cases, and screenshots of the changed pages at 390, 768
and 1280 px."""

import pytest
from django.db.models import Count
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, TABLET, database_read
from tests.browser.test_browser import SCREENSHOTS
from woonoverlast.cases.choices import Status
from woonoverlast.cases.models import Case
from woonoverlast.measures.models import Measure

WIDTHS = {"phone": PHONE, "tablet": TABLET, "desktop": DESKTOP}

# Whether each table of the page shows its key column inside the window: a card table (class
# table--cards) every cell of its first rows; a table that scrolls sideways its row names, also
# when scrolled to the far right (sticky first column), and the scroll cue above it.
_TABLES = """() => {
    const width = window.innerWidth;
    const inside = (cell) => {
        const box = cell.getBoundingClientRect();
        return box.width === 0 || (box.left >= -0.5 && box.right <= width + 0.5);
    };
    const problems = [];
    for (const table of document.querySelectorAll("main table")) {
        const name = (table.querySelector("caption")?.textContent || table.className).trim();
        const rows = [...table.querySelectorAll("tbody tr")].slice(0, 5);
        if (table.classList.contains("table--cards")
                || (width <= 800 && table.classList.contains("table--cards-tablet"))) {
            for (const cell of rows.flatMap((row) => [...row.children])) {
                if (!inside(cell)) problems.push(`${name}: ${cell.textContent.trim()}`);
            }
            continue;
        }
        const wrapper = table.closest(".table-wrapper");
        if (wrapper && wrapper.scrollWidth > wrapper.clientWidth + 1) {
            const cue = wrapper.previousElementSibling;
            if (!cue || !cue.classList.contains("table-scroll-cue--shown")) {
                problems.push(`${name}: no scroll cue`);
            }
            wrapper.scrollLeft = wrapper.scrollWidth;
        }
        for (const row of rows) {
            if (!inside(row.children[0])) problems.push(`${name}: row name out of sight`);
        }
        if (wrapper) wrapper.scrollLeft = 0;
    }
    return problems;
}"""


def case_with_parties() -> Case:
    with database_read():
        return Case.objects.filter(status=Status.OPEN, parties__phone__gt="").order_by("pk").first()


@pytest.mark.browser
@pytest.mark.django_db
def test_the_database_is_at_hand():
    """Makes pytest-django create the test database when only this module runs."""


@pytest.mark.browser
@pytest.mark.parametrize("user", ["casemanager", "teamleider"])
def test_the_key_columns_of_every_work_table_at_390_px(open_page, user):
    case = case_with_parties()
    pages = {
        "start": "/",
        "termijnen": "/termijnen/",
        "casussen": "/casussen/",
        "casus": case.get_absolute_url(),
        "tabel-5.1": "/rapportages/tabel-5-1/?jaar=2023",
        "overzicht": "/rapportages/overzicht/",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, viewport in WIDTHS.items():
        page = open_page(user, viewport=viewport)
        for name, url in pages.items():
            assert page.goto(url).ok, url
            page.wait_for_load_state("load")
            page.screenshot(path=SCREENSHOTS / f"issue27-{user}-{name}-{width}.png", full_page=True)
            if width == "phone":
                assert page.evaluate(_TABLES) == [], f"{url} at {viewport['width']} px"
        page.context.close()


@pytest.mark.browser
def test_a_parties_phone_number_is_in_sight_at_390_and_768_px(open_page):
    case = case_with_parties()
    phone = case.parties.exclude(phone="").first().phone
    for viewport in (PHONE, TABLET):
        page = open_page("casemanager", viewport=viewport)
        page.goto(case.get_absolute_url())
        link = page.locator(f'a[href="tel:{phone}"]').first
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]


@pytest.mark.browser
def test_a_refused_step_says_so_where_the_user_lands(open_page):
    """Issue 27, item 11: the page jumped to the maatregel and the only message (why the step
    was refused) was above the window."""
    with database_read():
        measure = (
            Measure.objects.filter(ended_on__isnull=True, case__status=Status.OPEN)
            .exclude(steps__step="bezwaar_ontvangen")
            .order_by("pk")
            .first()
        )
    assert measure is not None, "the demo data has a running maatregel without bezwaar"
    for viewport in (PHONE, DESKTOP):
        page = open_page("teamleider", viewport=viewport)
        # The beslissing op bezwaar before any bezwaar: refused, back to the maatregel.
        page.goto(f"/maatregelen/{measure.pk}/stap/beslissing_op_bezwaar/")
        assert page.url.endswith(f"#maatregel-{measure.pk}"), page.url
        message = page.locator(".messages")
        expect(message).to_contain_text("kan nu niet worden vastgelegd")
        expect(message).to_be_in_viewport()
        expect(page.locator(f"#maatregel-{measure.pk} h3")).to_be_in_viewport()
        page.screenshot(
            path=SCREENSHOTS / f"issue27-stap-geweigerd-{viewport['width']}.png", full_page=False
        )


@pytest.mark.browser
def test_the_header_search(open_page):
    """Issue 27, item 14: the printed address finds its case and opens it; more hits are not
    below an open filter panel at 1280 px."""
    with database_read():
        case = Case.objects.filter(status=Status.OPEN).exclude(postcode="").order_by("pk").first()
        # Open cases: a casemanager finds a closed case of someone else's by its address no
        # more (the closed-case rule in every branch of the search), so two open ones.
        street = (
            Case.objects.filter(status=Status.OPEN)
            .values("street")
            .annotate(n=Count("pk"))
            .filter(n__gte=2)
            .order_by("-n")
            .first()["street"]
        )
    page = open_page("casemanager", viewport=DESKTOP)
    page.goto("/")
    page.get_by_label("Zoek een casus").fill(case.address)
    page.get_by_label("Zoek een casus").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Casus {case.reference}")
    page.get_by_label("Zoek een casus").fill(street)
    page.get_by_label("Zoek een casus").press("Enter")
    expect(page.locator("details.filters-panel")).not_to_have_attribute("open", "")
    expect(page.locator(".case-table tbody tr").first).to_be_in_viewport()
    page.screenshot(path=SCREENSHOTS / "issue27-zoeken-desktop.png")


@pytest.mark.browser
def test_the_team_leader_can_choose_all_matching_cases(open_page):
    """Issue 27, item 12: nothing ticked gives the error at the top; all matching is offered."""
    page = open_page("teamleider", viewport=DESKTOP)
    page.goto("/casussen/?status=open")
    expect(page.get_by_label("Alle", exact=False).first).to_be_visible()
    page.get_by_label("Nieuwe casemanager").select_option(index=1)
    page.get_by_label("Reden").fill("Werkverdeling")
    page.get_by_role("button", name="Gekozen casussen toewijzen").click()
    summary = page.locator(".error-summary", has_text="De casussen zijn niet toegewezen")
    expect(summary).to_contain_text("Kies een of meer casussen")
    expect(summary).to_be_in_viewport()
    page.screenshot(path=SCREENSHOTS / "issue27-toewijzen-fout-desktop.png")
