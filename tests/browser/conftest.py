"""Browser tests: the app served on 127.0.0.1 with the demo data, driven by Debian's Chromium
through Playwright, every page checked with axe-core against WCAG 2.1 A and AA.

They need /usr/bin/chromium with its Dutch (`apt-get install chromium chromium-l10n`) and
the `dev` extra (playwright, axe-playwright-python). Without them the tests are skipped with
the reason, and the summary says so; `.ci/run` sets WOONOVERLAST_REQUIRE_BROWSER=1, which
makes that a failure instead.

The server runs in a thread of this process and reads committed data, so the demo data set is
committed once for the module and removed afterwards: the database is flushed and the reference
data of the migrations (wijken, categories, groups) is put back from a snapshot taken before.
Tests that change data each work on a case of their own, so their order does not matter.
"""

import contextlib
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connections
from django.test import override_settings
from django.test.testcases import LiveServerThread

from woonoverlast.cases.demo import load_demo

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's Dutch (package chromium-l10n): with it a date field reads dd-mm-jjjj, as the
# team's browsers show it, in screenshots and when a date is typed part by part.
CHROMIUM_DUTCH = Path("/usr/lib/chromium/locales/nl.pak")
# Without the background-networking flags Chromium keeps calling home on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=nl",
]
REQUIRE_ENV = "WOONOVERLAST_REQUIRE_BROWSER"
SKIP_PREFIX = "Browser tests skipped"

DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}
# Every page the tests visit must work at these widths without sideways scrolling.
WIDTHS = (PHONE, TABLET, DESKTOP)

# WCAG 2.1 level A and AA, as axe-core tags its rules.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (install it with `apt-get install chromium chromium-l10n`)"
    if not CHROMIUM_DUTCH.exists():
        return f"{CHROMIUM_DUTCH} not found (install it with `apt-get install chromium-l10n`)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (`pip install -e '.[dev]'`)"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Skip (or, where required, fail) before any fixture starts a server for nothing."""
    if item.get_closest_marker("browser") is None:
        return
    reason = missing_browser()
    if reason is None:
        return
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"{SKIP_PREFIX}: {reason}")


@contextlib.contextmanager
def async_unsafe_allowed():
    """The Playwright sync API runs an asyncio event loop in the test thread, so Django's
    async-safety check refuses ORM calls made there (the server thread is unaffected). Those
    calls are plain synchronous code between browser steps; allow them for these tests only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@contextlib.contextmanager
def database_read():
    """For a read from the test itself: closes the test thread's connection afterwards.
    Playwright's greenlets run the test with a context of its own, so a connection opened
    there is not the one the fixtures close, and would keep the test database in use."""
    try:
        yield
    finally:
        connections.close_all()


class LiveServer:
    """Django's live-server thread (as LiveServerTestCase and pytest-django use it) on
    127.0.0.1 and a free port, serving static files; an in-memory SQLite test database is
    shared with the server thread, any other database is reached with connections of its own."""

    def __init__(self):
        from django.contrib.staticfiles.handlers import StaticFilesHandler

        self.shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        self.thread = LiveServerThread(
            "127.0.0.1", static_handler=StaticFilesHandler, connections_override=self.shared
        )
        self.thread.daemon = True

    def start(self):
        for conn in self.shared.values():
            conn.inc_thread_sharing()
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            self.stop()
            raise self.thread.error

    def stop(self):
        self.thread.terminate()
        for conn in self.shared.values():
            conn.dec_thread_sharing()

    @property
    def url(self) -> str:
        return f"http://{self.thread.host}:{self.thread.port}"


FAST_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture(scope="module")
def live_demo(django_db_setup, django_db_blocker):
    """The app with the demo data, served on 127.0.0.1 for this module; yields its URL."""
    with (
        django_db_blocker.unblock(),
        async_unsafe_allowed(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
    ):
        connection = connections["default"]
        try:
            snapshot = connection.creation.serialize_db_to_string()
        except DatabaseError as error:
            pytest.fail(
                "The test database was not created: pytest-django creates it only for a run "
                "that holds a test asking for it; select test_the_published_table_is_at_hand "
                f"with the browser tests ({error})",
                pytrace=False,
            )
        try:
            load_demo()
            server = LiveServer()
            server.start()
            try:
                yield server.url
            finally:
                server.stop()
        finally:
            # As TransactionTestCase with serialized_rollback: empty every table, then put back
            # what the migrations had created, for the tests that run after this module. The
            # sequences go on: the rows put back bring their own ids and do not move them, so
            # a reset would make the next new wijk collide with wijk 1.
            connections.close_all()
            call_command(
                "flush",
                interactive=False,
                verbosity=0,
                inhibit_post_migrate=True,
                reset_sequences=False,
            )
            connection.creation.deserialize_db_from_string(snapshot)


@pytest.fixture(scope="module")
def browser(live_demo):
    """One Chromium for the module; each test gets a context of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            env={**os.environ, "LANGUAGE": "nl"},  # Chromium on Linux takes its language here
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def sessions(browser, live_demo):
    """Log-in state per demo user, made once through the log-in form and reused."""
    from woonoverlast.cases.demo import DEMO_PASSWORD

    states = {}

    def state_of(username: str) -> dict:
        if username not in states:
            context = browser.new_context(base_url=live_demo)
            page = context.new_page()
            page.goto("/inloggen/")
            page.get_by_label("Gebruikersnaam").fill(username)
            page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            page.wait_for_url(lambda url: "/inloggen/" not in url)
            states[username] = context.storage_state()
            context.close()
        return states[username]

    return state_of


@pytest.fixture
def open_page(browser, live_demo, sessions):
    """open_page(user=None, viewport=DESKTOP): a new page in a context of its own, logged in
    as that demo user (casemanager, teamleider, rapportage) or not at all."""
    contexts = []

    def open_(user: str | None = None, viewport: dict = DESKTOP):
        context = browser.new_context(
            base_url=live_demo,
            viewport=viewport,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            accept_downloads=True,
            storage_state=sessions(user) if user else None,
        )
        context.set_default_timeout(15_000)
        # The Content-Security-Policy must block nothing the app itself uses (issue 17).
        context.on("console", lambda message: _note_csp_violation(message, violations))
        contexts.append(context)
        return context.new_page()

    violations = []
    yield open_
    for context in contexts:
        context.close()
    assert violations == [], "Content-Security-Policy blocked something:\n" + "\n".join(violations)


def _note_csp_violation(message, violations: list) -> None:
    if "Content Security Policy" in message.text:
        violations.append(f"{message.location.get('url', '')}: {message.text}")


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """assert_accessible(page): axe-core finds no WCAG 2.1 A or AA violation on the page."""

    def check(page):
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_21_AA},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
        assert page_problems(page) == [], page.url

    return check


# The elements that stick out past the right edge of the window, for the failure message.
_TOO_WIDE = """() => {
    const width = window.innerWidth;
    return [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > width + 0.5)
        .filter((element) => !element.closest(".table-wrapper *, dialog:not([open])"))
        .slice(0, 5)
        .map((element) => `${element.tagName.toLowerCase()}.${element.className}`
            + ` (${Math.round(element.getBoundingClientRect().right)} px)`);
}"""


def page_problems(page) -> list[str]:
    """No template syntax shows, and at 390, 768 and 1280 px the page does not scroll
    sideways (a wide table scrolls inside its own .table-wrapper, which is fine)."""
    from tests.test_access import template_syntax_in

    problems = [f"template syntax: {found!r}" for found in template_syntax_in(page.content())]
    original = page.viewport_size
    for viewport in WIDTHS:
        page.set_viewport_size(viewport)
        scroll_width, inner_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            problems.append(
                f"{inner_width} px: the page is {scroll_width} px wide: "
                + ", ".join(page.evaluate(_TOO_WIDE))
            )
    page.set_viewport_size(original)
    return problems
