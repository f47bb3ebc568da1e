"""A real OpenID provider for the SSO tests: panva's certified `oidc-provider` (npm), run with
node on 127.0.0.1 (tests/oidc/provider.mjs), installed into test-artifacts/oidc-provider/ the
first time. Skipped with the reason where node or the npm registry is missing; required (a
failure) where WOONOVERLAST_REQUIRE_OIDC=1. The stack test (deploy/stack_test.py) starts the
same provider for the app behind nginx: Provider itself needs no pytest."""

import fcntl
import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

HERE = Path(__file__).parent / "oidc"
FOLDER = Path(__file__).parent.parent / "test-artifacts" / "oidc-provider"
CLIENT_ID = "woonoverlast"
CLIENT_SECRET = "een-geheim-van-de-test-dat-lang-genoeg-is-voor-hs256"
APP = "http://testserver"


class ProviderUnavailable(Exception):
    """node, npm or the npm registry is missing, or the provider did not start."""


def _unavailable(reason: str):
    raise ProviderUnavailable(reason)


def start_for_tests(tmp: Path, *, apps=(APP,)) -> "Provider":
    """The provider for a pytest fixture: skipped where it cannot run, unless required."""
    import pytest

    try:
        return Provider(tmp, apps=apps)
    except ProviderUnavailable as error:
        if os.environ.get("WOONOVERLAST_REQUIRE_OIDC") == "1":
            pytest.fail(f"WOONOVERLAST_REQUIRE_OIDC=1, but {error}")
        pytest.skip(str(error))


def _install() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _unavailable("node and npm are needed for the OpenID provider of the SSO tests")
    FOLDER.mkdir(parents=True, exist_ok=True)
    # Two test processes (pytest-xdist) must not run npm in the same folder at once.
    with open(FOLDER / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _install_locked(npm)
    return Path(node)


def _install_locked(npm: str) -> None:
    for name in ("package.json", "package-lock.json", "provider.mjs"):
        shutil.copyfile(HERE / name, FOLDER / name)
    wanted = json.loads((HERE / "package.json").read_text())["dependencies"]["oidc-provider"]
    installed = FOLDER / "node_modules" / "oidc-provider" / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != wanted:
        result = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=FOLDER,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            _unavailable(f"npm install oidc-provider failed: {result.stderr[-500:]}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    """The provider, with the client `woonoverlast` registered for the app at each address
    of `apps` (its redirect URI /sso/callback/ and post-logout redirect URI /inloggen/)."""

    def __init__(self, tmp: Path, *, apps=(APP,)):
        node = _install()
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.accounts_file = tmp / "accounts.json"
        self.accounts = {}
        self.save()
        env = {
            **os.environ,
            "PORT": str(self.port),
            "ACCOUNTS_FILE": str(self.accounts_file),
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "REDIRECT_URIS": ",".join(f"{app}/sso/callback/" for app in apps),
            "LOGOUT_URIS": ",".join(f"{app}/inloggen/" for app in apps),
        }
        self.log = open(tmp / "provider.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [str(node), "provider.mjs"], cwd=FOLDER, env=env, stdout=self.log, stderr=self.log
        )
        # node takes a second to start, far longer on a busy machine (two cores, a stack test).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.discovery_url, timeout=2).raise_for_status()
                return
            except requests.RequestException:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        _unavailable(f"the OpenID provider did not start: {(tmp / 'provider.log').read_text()}")

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def account(self, login: str, **values):
        self.accounts[login] = values
        self.save()

    def save(self):
        self.accounts_file.write_text(json.dumps(self.accounts))

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


class Browser:
    """The person's browser: the app through Django's test client, the provider over HTTP
    (with its own cookies: the provider's session)."""

    def __init__(self, client):
        self.client = client
        self.provider = requests.Session()

    def follow_provider(self, url: str, login: str | None, *, app: str = APP) -> str:
        """Follow the provider's redirects (logging in on its page when it asks) until it
        sends the browser back to the app at `app`; returns that address."""
        for _ in range(10):
            if url.startswith(app):
                return url
            response = self.provider.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and "/interaction/" in url:
                assert login is not None, "the provider asked for a log-in"
                response = self.provider.post(
                    url, data={"login": login}, allow_redirects=False, timeout=10
                )
            assert response.status_code in (302, 303), response.text[:500]
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("too many redirects")

    def sso_login(self, login: str | None, *, next_url: str = ""):
        """The whole log-in; returns the app's answer to the callback."""
        start = self.client.get("/sso/inloggen/" + (f"?next={next_url}" if next_url else ""))
        assert start.status_code == 302
        back = self.follow_provider(start["Location"], login)
        return self.client.get(back[len(APP) :])

    def logout(self):
        """Log out in the app, and through the provider's own log-out page."""
        response = self.client.post("/uitloggen/")
        assert response.status_code == 302
        url = response["Location"]
        if not url.startswith(self.issuer_prefix):
            return url
        page = self.provider.get(url, timeout=10)
        form = re.search(r'action="([^"]+)".*?name="xsrf" value="([^"]+)"', page.text, re.S)
        done = self.provider.post(
            urljoin(url, form.group(1)),
            data={"xsrf": form.group(2), "logout": "yes"},
            allow_redirects=False,
            timeout=10,
        )
        return done.headers["Location"]

    issuer_prefix = "http://127.0.0.1:"


def query(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
