"""What a user of each role sees and does, in a real browser (Debian's Chromium), on the demo
data; every page on the way is checked with axe-core against WCAG 2.1 A and AA."""

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from woonoverlast.cases.demo import DEMO_PASSWORD

PUBLISHED = Path(__file__).parent.parent / "data" / "tabel-5.1-2023.csv"
# The jaarverslag's table truncates the official name of this wijk; we show our names.
PUBLISHED_NAMES = {"Buytenweg": "Buytenwegh"}


def published_rows() -> list[list[str]]:
    """The published Tabel 5.1 2023 with our wijk names: header first, Totaal last."""
    with PUBLISHED.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    return [[PUBLISHED_NAMES.get(row[0], row[0]), *row[1:]] for row in rows]


@pytest.mark.django_db
def test_the_published_table_is_at_hand():
    """Also makes pytest-django create the test database when only this module runs: it does
    so for a run that holds a test asking for the database, and the browser tests reach it
    through the server instead."""
    assert published_rows()[-1] == ["Totaal", "31", "56", "71", "107", "11", "8", "284"]


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
