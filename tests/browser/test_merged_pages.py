"""The pages of the merged branches (maatregelen, dossier, intake, corrections) as their users
see them: what a look at 390, 768 and 1280 px found, kept from coming back."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, database_read, page_problems
from tests.browser.test_browser import register_case

pytestmark = pytest.mark.browser

# What a user pastes: a link, a file path, or a key held down. No space to wrap at.
LONG_WORD = "W" * 2000


@pytest.mark.django_db
def test_the_database_is_at_hand():
    """Makes pytest-django create the test database when only this module runs (see
    test_the_published_table_is_at_hand)."""


def test_a_long_word_does_not_push_the_case_file_sideways(open_page, assert_accessible):
    from tests.factories import action, respondent
    from woonoverlast.accounts.models import User
    from woonoverlast.cases import services
    from woonoverlast.cases.models import Case
    from woonoverlast.measures.choices import Step
    from woonoverlast.measures.services import measure_start, measure_step_record

    page = open_page("casemanager", viewport=PHONE)
    reference = register_case(page, house_number=801, text=LONG_WORD)
    with database_read():
        cm = User.objects.get(username="casemanager")
        case = Case.objects.get(reference=reference)
        today = datetime.date.today()
        person = respondent(case, name="N" * 200, address="A" * 200, notes=LONG_WORD)
        services.party_add(case, role="betrokkene", name="Kees", notes=LONG_WORD, by=cm)
        action(case, notes=LONG_WORD, by=cm, performed_on=today)
        measure = measure_start(
            case=case, respondent=person, kind="gedragsaanwijzing_dwangsom", by=cm, on=today
        )
        measure_step_record(
            measure, step=Step.INVESTIGATION_REPORT, on=today, by=cm, note=LONG_WORD
        )

    page.goto(f"/casussen/{reference}/")
    expect(page.get_by_role("heading", level=2, name="Maatregelen")).to_be_visible()
    assert page_problems(page) == []
    # The tables wrap the text too, rather than scroll 20,000 px inside their wrapper.
    page.set_viewport_size({"width": 1280, "height": 800})
    widths = page.locator(".table-wrapper").evaluate_all(
        "wrappers => wrappers.map(w => w.scrollWidth - w.clientWidth)"
    )
    assert widths and max(widths) <= 1, widths
    assert_accessible(page)


def test_a_long_word_does_not_push_a_melding_sideways(open_page):
    from tests.factories import intake_melding

    with database_read():
        melding = intake_melding(text=LONG_WORD, since=LONG_WORD[:200])
    page = open_page("casemanager", viewport=PHONE)
    page.goto(f"/meldingen/{melding.reference}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(melding.reference)
    assert page_problems(page) == []
