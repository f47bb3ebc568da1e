"""A last onder dwangsom from besluit to dwangbevel in the browser, as the team works it: the
team leader records the besluit and its bekendmaking; on the begunstigingstermijn's last day
Termijnen shows it due today and a breach is refused; the next day (time-machine) the
casemanager's Termijnen has the task Controle uitvoeren (not "te laat") and its link records
the controle overtreden, then the dwangsom verbeurd; six weeks later the invorderingsbeschikking
is due with its verjaring date, recorded by the team leader; then the aanmaning and, two weeks
on, the dwangbevel. Screenshots at 390 and 1280 px (measure-enforcement-*.png).

The server runs in this process, so time-machine moves its clock too; each moved day starts
with a fresh log-in (a session from another day has ended)."""

import datetime
import re

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, database_read
from tests.browser.test_browser import SCREENSHOTS
from tests.browser.test_measures_browser import record_step

DAY = datetime.timedelta(days=1)


def day_at(day: datetime.date):
    """Travel to 10:00 on `day`, the clock running on from there."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10)), tick=True)


def log_in(open_page, username: str, viewport=DESKTOP):
    from woonoverlast.cases.demo import DEMO_PASSWORD

    page = open_page(None, viewport)
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)
    return page


def screenshots(page, name: str):
    """The page at phone and desktop width, full length."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, viewport in (("390", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(
            path=SCREENSHOTS / f"measure-enforcement-{name}-{width}.png", full_page=True
        )
    page.set_viewport_size(DESKTOP)


def prepared_measure(today: datetime.date) -> tuple[str, int]:
    """A case of the demo casemanager with a last onder dwangsom prepared up to the besluit
    (onderzoeksverslag, waarschuwing, voornemen, zienswijze afgezien)."""
    from tests.factories import respondent
    from woonoverlast.accounts.models import User
    from woonoverlast.cases.models import District
    from woonoverlast.cases.services import case_register
    from woonoverlast.measures.choices import Step
    from woonoverlast.measures.services import measure_start, measure_step_record

    with database_read():
        cm = User.objects.get(username="casemanager")
        case = case_register(
            district=District.objects.get(name="Centrum"),
            housing_type="koop",
            street="Dwangsomstraat",
            house_number=12,
            registered_on=today - 60 * DAY,
            casemanager=cm,
            by=cm,
        )
        person = respondent(case, name="Piet Overlast")
        m = measure_start(
            case=case,
            respondent=person,
            kind="gedragsaanwijzing_dwangsom",
            by=cm,
            on=today - 50 * DAY,
        )
        for step, days_ago in (
            (Step.INVESTIGATION_REPORT, 40),
            (Step.WEIGHING, 38),
            (Step.WARNING_SENT, 35),
            (Step.INTENTION_SENT, 30),
            (Step.VIEW_WAIVED, 25),
        ):
            data = {
                Step.INTENTION_SENT: {"zienswijze_days": 14},
                Step.WEIGHING: {"note": "Lichtere middelen hielpen niet; de overlast duurt."},
            }.get(step, {})
            measure_step_record(m, step=step, on=today - days_ago * DAY, by=cm, **data)
        return case.reference, m.pk


def termijnen_row(page, reference: str, text: str):
    page.goto("/termijnen/")
    return page.get_by_role("row").filter(has_text=reference).filter(has_text=text)


@pytest.mark.browser
def test_a_dwangsom_from_besluit_to_dwangbevel_with_screenshots(open_page, assert_accessible):
    today = datetime.date.today()
    reference, measure_pk = prepared_measure(today)
    case_url = f"/casussen/{reference}/"

    # The team leader records the besluit (seven days to comply) and its bekendmaking a week
    # ago: the begunstigingstermijn ends today.
    leader = open_page("teamleider")
    leader.goto(case_url)

    def decision(p):
        p.get_by_label("Begunstigingstermijn (dagen)").fill("7")
        p.get_by_label("Looptijd (maanden)").fill("12")
        p.get_by_label("Dwangsom per overtreding").fill("250")
        p.get_by_label("Maximum dwangsom").fill("2.500")

    record_step(leader, "Besluit genomen", days_ago=8, fill=decision)
    record_step(leader, "Besluit bekendgemaakt", days_ago=7)
    expect(leader.locator("article.measure")).to_contain_text("Begunstigingstermijn eindigt")

    # On its last day it is the person's term, due today; no breach can be found yet.
    casemanager = open_page("casemanager")
    row = termijnen_row(casemanager, reference, "Begunstigingstermijn eindigt")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Vandaag")
    casemanager.goto(case_url)
    casemanager.get_by_role("navigation", name="Volgende stap van deze maatregel").get_by_role(
        "link", name="Controle"
    ).click()
    casemanager.get_by_label("Datum", exact=True).fill(today.isoformat())
    casemanager.get_by_role("radio", name="Overtreden").check()
    casemanager.get_by_role("button", name="Stap vastleggen").click()
    expect(casemanager.locator("main")).to_contain_text(f"Kan vanaf {today + DAY:%d-%m-%Y}")

    # The next day the term has passed: the task Controle uitvoeren, not "Te laat".
    with day_at(today + DAY):
        page = log_in(open_page, "casemanager")
        row = termijnen_row(page, reference, "Controle uitvoeren")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Vandaag")
        expect(row).to_contain_text(f"de begunstigingstermijn eindigde op {today:%d-%m-%Y}")
        expect(row.locator(".badge--overdue")).to_have_count(0)
        expect(
            page.get_by_role("row").filter(has_text=reference).filter(has_text="Te laat")
        ).to_have_count(0)
        assert_accessible(page)
        screenshots(page, "termijnen-controle")
        page.goto("/casussen/mijn/")
        expect(
            page.locator("table").first.get_by_role("row").filter(has_text=reference)
        ).to_contain_text("Controle uitvoeren")

        page.goto("/termijnen/")
        row = page.get_by_role("row").filter(has_text=reference)
        vastleggen = re.compile("^Vastleggen")
        row.filter(has_text="Controle uitvoeren").get_by_role("link", name=vastleggen).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Controle")
        page.get_by_label("Datum", exact=True).fill((today + DAY).isoformat())
        page.get_by_role("radio", name="Overtreden").check()
        page.get_by_role("button", name="Stap vastleggen").click()
        expect(page.locator(".messages")).to_contain_text("Controle")
        article = page.locator(f"#maatregel-{measure_pk}")
        expect(article).to_contain_text("Verbeurde dwangsom vastleggen")
        record_step(page, "Dwangsom verbeurd", days_ago=0)
        expect(article).to_contain_text("Verjaring dwangsom verbeurd op")
        assert_accessible(page)
        page.locator(f"#maatregel-{measure_pk}").scroll_into_view_if_needed()
        screenshots(page, "casus-verbeurd")

    forfeited_on = today + DAY
    verjaring = forfeited_on.replace(year=forfeited_on.year + 1)
    collect_on = forfeited_on + datetime.timedelta(weeks=6) + DAY

    # Six weeks (art. 5:33 Awb) on, unpaid: the invorderingsbeschikking, by a team leader,
    # before the verjaring a year after the forfeiture.
    with day_at(collect_on):
        page = log_in(open_page, "casemanager")
        row = termijnen_row(page, reference, "Invorderingsbeschikking nemen")
        expect(row).to_contain_text(f"uiterlijk {verjaring:%d-%m-%Y} invorderen")
        expect(row).to_contain_text("door een teamleider")
        screenshots(page, "termijnen-invordering")

        # The team leader finds it in the team's Termijnen by its kind, and records it from
        # the task on the case file.
        leader = log_in(open_page, "teamleider")
        leader.goto("/termijnen/?soort=maatregel_invorderingsbeschikking_nemen")
        expect(
            leader.get_by_role("row").filter(has_text=reference).filter(has_text="Invordering")
        ).not_to_have_count(0)
        leader.goto(case_url)
        leader.locator(f"#maatregel-{measure_pk}").get_by_role(
            "link", name="Invorderingsbeschikking nemen"
        ).click()
        expect(leader.get_by_role("heading", level=1)).to_contain_text("Invorderingsbeschikking")
        leader.get_by_label("Datum", exact=True).fill(collect_on.isoformat())
        leader.get_by_label("Bedrag").fill("250")
        leader.get_by_role("button", name="Stap vastleggen").click()
        expect(leader.locator(".messages")).to_contain_text("Invorderingsbeschikking")
        record_step(leader, "Besluit bekendgemaakt", days_ago=0)
        expect(leader.locator(f"#maatregel-{measure_pk}")).to_contain_text(
            "Bezwaartermijn invorderingsbeschikking eindigt"
        )

    # The day after its bekendmaking: the aanmaning (art. 4:112 Awb).
    with day_at(collect_on + DAY):
        page = log_in(open_page, "casemanager")
        termijnen_row(page, reference, "Aanmaning sturen").first.get_by_role(
            "link", name=re.compile("^Vastleggen")
        ).click()
        page.get_by_label("Datum", exact=True).fill((collect_on + DAY).isoformat())
        page.get_by_role("button", name="Stap vastleggen").click()
        expect(page.locator(".messages")).to_contain_text("Aanmaning")

    # Two weeks after the aanmaning, still unpaid: the dwangbevel (art. 4:114 Awb).
    writ_on = collect_on + DAY + 15 * DAY
    with day_at(writ_on):
        page = log_in(open_page, "casemanager")
        row = termijnen_row(page, reference, "Dwangbevel uitvaardigen")
        expect(row).to_contain_text("niet betaald binnen twee weken na de aanmaning")
        screenshots(page, "termijnen-dwangbevel")
        row.first.get_by_role("link", name=re.compile("^Vastleggen")).click()
        page.get_by_label("Datum", exact=True).fill(writ_on.isoformat())
        page.get_by_role("button", name="Stap vastleggen").click()
        expect(page.locator(".messages")).to_contain_text("Dwangbevel")
        article = page.locator(f"#maatregel-{measure_pk}")
        expect(article).to_contain_text("Dwangbevel uitgevaardigd")
        assert_accessible(page)
        screenshots(page, "casus-dwangbevel")
        # Nothing of the maatregel is due any more; the verjaring is a year off.
        page.goto("/termijnen/")
        rows = page.get_by_role("row").filter(has_text=reference)
        expect(rows.filter(has_text="Gedragsaanwijzing")).to_have_count(0)
