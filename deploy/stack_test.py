"""The whole production stack on this machine, with faults (`make stack-test`).

nginx (deploy/nginx/woonoverlast.conf, TLS with a self-signed certificate) on 127.0.0.1:18443
-> two gunicorn instances (deploy/gunicorn.conf.py, DEBUG=false) on 18001 and 18002
-> a PostgreSQL primary on 5434 and a streaming replica (pg_basebackup -R) on 5435, both
   created here in a work folder, Redis (the machine's, database 7), a Celery worker and beat.

Through nginx it logs in, registers a case, closes it, reads Tabel 5.1 from the replica (proved
with pg_stat_statements on the replica) and runs an export. It logs in through single sign-on
too: a real OpenID provider (npm's oidc-provider with node, as tests/test_sso.py starts it) on
127.0.0.1, the app behind nginx over HTTPS (authorization code + PKCE, roles from groups,
log-out at the provider, the redirect URIs and X-Forwarded-Proto). Then the faults, each with
nothing lost: one gunicorn instance killed mid-run, the worker killed during an export and while it
delivers events to a subscriber, the primary restarted, the replica stopped. At the end the
restore drill (deploy/restore_drill.py) dumps the primary, drops it and restores it into a
new database, and compares every Tabel 5.1 and the audit log. Every step prints PASS or FAIL;
the exit status is 1 when any failed.

Run as root (CI) or as a user who may run PostgreSQL's initdb and nginx; as root the clusters
run as the `postgres` user. Only loopback addresses. STACK_KEEP=1 keeps the work folder; the
logs are copied to test-artifacts/stack/ either way.
"""

import contextlib
import csv
import datetime
import glob
import html.parser
import io
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
NGINX_CONF = ROOT / "deploy" / "nginx" / "woonoverlast.conf"
ARTIFACTS = ROOT / "test-artifacts" / "stack"

PRIMARY_PORT, REPLICA_PORT = 5434, 5435
WEB_PORTS = (18001, 18002)
HTTPS_PORT, HTTP_PORT = 18443, 18080
DATABASE = "wo_stack"
BASE_URL = f"https://localhost:{HTTPS_PORT}"
PASSWORD = "woonoverlast-demo"
SEARCH_SECRET = "Geheimstraat"  # a search text that must not reach any log
BROKER_URL = os.environ.get("STACK_BROKER_URL", "redis://127.0.0.1:6379/7")
# Single sign-on: the provider's groups as a municipality names them, mapped to roles.
SSO_GROUP_ROLES = "WO-Teamleiders=teamleider,WO-Rapportage=rapportage"

results: list[tuple[bool, str]] = []


def step(ok: bool, text: str) -> bool:
    results.append((bool(ok), text))
    print(f"{'PASS' if ok else 'FAIL'}  {text}", flush=True)
    return bool(ok)


def note(text: str) -> None:
    print(f"      {text}", flush=True)


class StackError(Exception):
    """A step that the rest cannot go on without."""


# -- helpers ---------------------------------------------------------------------------------


def is_root() -> bool:
    return os.geteuid() == 0


def pg_bin(name: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if candidates:
        return candidates[-1]
    found = shutil.which(name)
    if not found:
        raise StackError(f"{name} not found: install PostgreSQL (postgresql-15)")
    return found


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if is_root() else command


def run(command, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("check", True)
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    try:
        return subprocess.run(command, **kwargs)
    except subprocess.CalledProcessError as error:
        raise StackError(
            f"{' '.join(map(str, command))} failed: {error.stderr or error.stdout}"
        ) from error


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def wait_for(condition, seconds: float, interval: float = 0.2):
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = condition()
        except Exception:
            value = None
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def sql(port: int, query: str, database: str = DATABASE) -> str:
    result = run(
        [
            pg_bin("psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            database,
            "-tAX",
            "-c",
            query,
        ]
    )
    return result.stdout.strip()


class FormParser(html.parser.HTMLParser):
    """The POST forms of a page with the values a browser would send unchanged."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action", ""), "method": attrs.get("method", "get")}
            self._form["fields"] = {}
            self._form["radios"] = set()
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            name, kind = attrs["name"], attrs.get("type", "text")
            fields = self._form["fields"]
            if kind in ("checkbox",):
                if "checked" in attrs:
                    fields.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind == "radio":
                if "checked" in attrs or name not in self._form["radios"]:
                    fields[name] = attrs.get("value", "on")  # the checked one, else the first
                self._form["radios"].add(name)
            elif kind not in ("submit", "button", "file"):
                fields[name] = attrs.get("value", "")
        elif tag == "select" and attrs.get("name"):
            self._select = {"name": attrs["name"], "required": "required" in attrs, "chosen": None}
            self._form["fields"][attrs["name"]] = ""
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            select = self._select
            if "selected" in attrs and (value or not select["required"]):
                select["chosen"] = value
            elif not select["chosen"] and select["required"] and value:
                select["chosen"] = value  # a required choice: the first real option
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._form["fields"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            self._form["fields"][self._select["name"]] = self._select["chosen"] or ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def post_form(client: httpx.Client, path: str, needs: str, **values) -> httpx.Response:
    """GET `path`, fill the POST form holding the field `needs` as a browser would, POST it."""
    page = client.get(path)
    if page.status_code != 200:
        raise StackError(f"GET {path}: {page.status_code}")
    parser = FormParser()
    parser.feed(page.text)
    form = next(
        (f for f in parser.forms if f["method"].lower() == "post" and needs in f["fields"]), None
    )
    if form is None:
        raise StackError(f"no form with {needs} on {path}")
    data = {**form["fields"], **values}
    action = form["action"] or path
    response = client.post(
        action, data=data, headers={"Referer": f"{BASE_URL}{path}", "Origin": BASE_URL}
    )
    if response.status_code != 302:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS.parent / "stack-last-refused-form.html").write_text(response.text)
        note(f"POST {action} answered {response.status_code} with {data}")
    return response


# -- the stack -------------------------------------------------------------------------------


class Stack:
    def __init__(self):
        self.work = Path(tempfile.mkdtemp(prefix="wo-stack-"))
        self.work.chmod(0o755)
        self.logs = self.work / "logs"
        self.logs.mkdir()
        self.logs.chmod(0o777)
        self.processes: dict[str, subprocess.Popen] = {}
        self.pg = self.work / "pg"
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "stack-test-"
            + "".join(random.choices("abcdefghijkmnopqrstuvwxyz", k=40)),
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": BASE_URL,
            "BEHIND_TLS_PROXY": "true",
            "SECURE_HSTS_SECONDS": "0",
            "SITE_URL": BASE_URL,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/{DATABASE}",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DATABASE}",
            "REPLICA_CHECK_SECONDS": "1",
            "CELERY_BROKER_URL": BROKER_URL,
            "CELERY_VISIBILITY_TIMEOUT": "10",
            "STATIC_ROOT": str(self.work / "static"),
            "MEDIA_ROOT": str(self.work / "media"),
            "EMAIL_URL": f"filemail://{self.work / 'mail'}",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_TIMEOUT": "30",
        }
        (self.work / "media").mkdir()

    # processes

    def start(self, name: str, command: list[str], **env) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (kept open by the child)
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def start_web(self, port: int) -> None:
        self.start(
            f"web-{port}",
            [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "woonoverlast.wsgi"],
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_PROC_NAME=f"woonoverlast-stack-{port}",
        )

    def web_alive(self, port: int) -> bool:
        response = httpx.get(
            f"http://127.0.0.1:{port}/gezondheid/live/", headers={"Host": "localhost"}, timeout=2
        )
        return response.status_code == 200

    def start_worker(self) -> None:
        self.start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "woonoverlast",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--hostname=stack@%h",
                "--without-mingle",
                "--without-gossip",
            ],
        )

    # PostgreSQL

    def pg_ctl(self, cluster: str, *args: str) -> None:
        run(
            as_postgres(
                [
                    pg_bin("pg_ctl"),
                    "-D",
                    str(self.pg / cluster),
                    "-l",
                    str(self.logs / f"postgres-{cluster}.log"),
                    "-w",
                    "-t",
                    "60",
                    *args,
                ]
            )
        )

    def create_clusters(self) -> None:
        self.pg.mkdir()
        if is_root():
            shutil.chown(self.pg, "postgres", "postgres")
        run(
            as_postgres(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(self.pg / "primary"),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-locale",
                ]
            )
        )
        settings = f"""
port = {PRIMARY_PORT}
listen_addresses = '127.0.0.1'
unix_socket_directories = '{self.pg}'
wal_level = replica
max_wal_senders = 5
hot_standby = on
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
fsync = off
"""
        with open(self.pg / "primary" / "postgresql.conf", "a") as conf:
            conf.write(settings)
        self.pg_ctl("primary", "start")
        sql(PRIMARY_PORT, f"CREATE DATABASE {DATABASE}", database="postgres")
        sql(PRIMARY_PORT, "CREATE EXTENSION pg_stat_statements")
        run(
            as_postgres(
                [
                    pg_bin("pg_basebackup"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(PRIMARY_PORT),
                    "-U",
                    "postgres",
                    "-D",
                    str(self.pg / "replica"),
                    "-R",
                    "-X",
                    "stream",
                    "-c",
                    "fast",
                ]
            )
        )
        with open(self.pg / "replica" / "postgresql.conf", "a") as conf:
            conf.write(f"port = {REPLICA_PORT}\n")
        self.pg_ctl("replica", "start")

    def streaming(self) -> bool:
        return sql(PRIMARY_PORT, "SELECT state FROM pg_stat_replication", "postgres") == "streaming"

    def replica_caught_up(self) -> bool:
        position = sql(PRIMARY_PORT, "SELECT pg_current_wal_lsn()", "postgres")
        return (
            sql(
                REPLICA_PORT,
                f"SELECT pg_last_wal_replay_lsn() >= '{position}'::pg_lsn",
                "postgres",
            )
            == "t"
        )

    # nginx

    def nginx_config(self) -> Path:
        site = NGINX_CONF.read_text()
        replacements = {
            "listen 80;": f"listen 127.0.0.1:{HTTP_PORT};",
            "listen [::]:80;": "",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{HTTPS_PORT} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "server_name woonoverlast.example.nl;": "server_name localhost;",
            "/etc/ssl/woonoverlast/": f"{self.work}/tls/",
            "/var/log/nginx/": f"{self.logs}/nginx-",
            "/srv/woonoverlast/static/": f"{self.work}/static/",
            "/srv/woonoverlast/media/": f"{self.work}/media/",
            "127.0.0.1:8001": f"127.0.0.1:{WEB_PORTS[0]}",
            "127.0.0.1:8002": f"127.0.0.1:{WEB_PORTS[1]}",
        }
        for old, new in replacements.items():
            if old not in site:
                raise StackError(f"deploy/nginx/woonoverlast.conf no longer has {old!r}")
            site = site.replace(old, new)
        folder = self.work / "nginx"
        folder.mkdir()
        config = folder / "nginx.conf"
        temp = "\n".join(
            f"    {kind}_temp_path {folder}/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        config.write_text(
            f"""worker_processes 1;
pid {folder}/nginx.pid;
error_log {self.logs}/nginx-main-error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
{temp}
{site}
}}
"""
        )
        return config

    def start_nginx(self) -> None:
        tls = self.work / "tls"
        tls.mkdir()
        run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-keyout",
                str(tls / "privkey.pem"),
                "-out",
                str(tls / "fullchain.pem"),
            ]
        )
        config = self.nginx_config()
        self.nginx = ["nginx", "-p", str(config.parent), "-c", str(config)]
        self.nginx += ["-e", str(self.logs / "nginx-main-error.log")]
        run([*self.nginx, "-t"])
        run(self.nginx)

    # teardown

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)
        if getattr(self, "provider", None) is not None:
            self.provider.stop()
        if hasattr(self, "nginx"):
            run([*self.nginx, "-s", "stop"], check=False)
        for cluster in ("replica", "primary"):
            if (self.pg / cluster / "postmaster.pid").exists():
                run(
                    as_postgres(
                        [pg_bin("pg_ctl"), "-D", str(self.pg / cluster), "-m", "immediate", "stop"]
                    ),
                    check=False,
                )

    def keep_logs(self) -> None:
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
        ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(self.logs, ARTIFACTS)


# -- the client ------------------------------------------------------------------------------


def client() -> httpx.Client:
    return httpx.Client(base_url=BASE_URL, verify=False, timeout=60, follow_redirects=False)


def log_in(web: httpx.Client, username: str) -> bool:
    response = post_form(web, "/inloggen/", "username", username=username, password=PASSWORD)
    return response.status_code == 302 and "sessionid" in web.cookies


retries = {"count": 0}


def get_with_retry(web: httpx.Client, path: str) -> httpx.Response | None:
    """One retry, as a user pressing reload would (counted in `retries`)."""
    for attempt in range(2):
        retries["count"] += attempt
        try:
            response = web.get(path)
        except httpx.TransportError:
            continue
        if response.status_code < 500:
            return response
    return None


def tabel51_totals(web: httpx.Client, year: int) -> list[str]:
    response = web.get(f"/rapportages/tabel-5-1/csv/?jaar={year}")
    if response.status_code != 200:
        raise StackError(f"Tabel 5.1 CSV: {response.status_code}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return next(row for row in rows if row and row[0] == "Totaal")


def statements(port: int) -> int:
    """Calls of queries on the status history (Tabel 5.1 reads it) on one server."""
    return int(
        sql(
            port,
            "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
            "WHERE query LIKE '%cases_statuschange%' AND query NOT LIKE '%pg_stat_statements%'",
        )
    )


def export(web: httpx.Client, first: int, last: int) -> int:
    response = post_form(
        web,
        "/rapportages/exports/",
        "van_jaar",
        van_jaar=str(first),
        tot_jaar=str(last),
        formaat="csv",
        doorlopend="on",
    )
    if response.status_code != 302:
        raise StackError(f"export request: {response.status_code}")
    return int(response.headers["location"].rstrip("/").split("/")[-1])


def export_state(web: httpx.Client, pk: int) -> dict:
    return web.get(f"/rapportages/exports/{pk}/status/").json()


def seed_csv(path: Path, districts: list[str]) -> int:
    """Cases of the last few years for the import: every Tabel 5.1 has figures."""
    rng = random.Random(17)
    today = datetime.date.today()
    rows = []
    for year in range(today.year - 3, today.year + 1):
        last_day = min(datetime.date(year, 12, 31), today)
        for _ in range(60):
            registered = datetime.date(year, 1, 1) + datetime.timedelta(
                days=rng.randrange((last_day - datetime.date(year, 1, 1)).days + 1)
            )
            closed = ""
            if rng.random() < 0.6:
                closing = registered + datetime.timedelta(days=rng.randrange(1, 200))
                closed = closing.isoformat() if closing <= today else ""
            rows.append(
                [
                    rng.choice(districts),
                    rng.choice(["koop", "corporatie", "particulier"]),
                    registered.isoformat(),
                    closed,
                ]
            )
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["wijk", "woningtype", "geregistreerd_op", "afgerond_op"])
        writer.writerows(rows)
    return len(rows)


# -- the test --------------------------------------------------------------------------------


def install_nginx() -> None:
    if shutil.which("nginx"):
        return
    if not is_root():
        raise StackError("nginx is missing: apt-get install nginx-light (as root)")
    note("installing nginx")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=environment)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx"], env=environment)
    # Debian starts the packaged nginx on port 80; the stack test runs its own.
    run(["service", "nginx", "stop"], check=False)


def manage(stack: Stack, *args: str, **env) -> str:
    return run([PYTHON, "manage.py", *args], cwd=ROOT, env={**stack.env, **env}).stdout


def test(stack: Stack) -> None:
    started = time.monotonic()
    busy = [
        p
        for p in (PRIMARY_PORT, REPLICA_PORT, *WEB_PORTS, HTTPS_PORT, HTTP_PORT)
        if not port_free(p)
    ]
    if busy:
        raise StackError(f"ports in use: {busy}")
    install_nginx()

    # 1. databases
    stack.create_clusters()
    step(wait_for(stack.streaming, 30), "PostgreSQL primary :5434 and streaming replica :5435")
    manage(stack, "migrate", "--noinput", "-v0")
    manage(stack, "collectstatic", "--noinput", "-v0")
    manage(
        stack,
        "shell",
        "-c",
        "from woonoverlast.cases.demo import DemoBuilder; DemoBuilder().users()",
    )
    districts = sql(PRIMARY_PORT, "SELECT name FROM cases_district WHERE is_active").splitlines()
    seed = stack.work / "seed.csv"
    count = seed_csv(seed, districts)
    manage(stack, "casussen_importeren", str(seed), "--gebruiker", "teamleider")
    step(
        int(sql(PRIMARY_PORT, "SELECT count(*) FROM cases_case")) == count,
        f"migrated, static files collected, {count} cases imported",
    )

    # 2. processes (the OpenID provider first: the app's settings name it)
    start_provider(stack)
    for port in WEB_PORTS:
        stack.start_web(port)
    stack.start_worker()
    stack.start(
        "beat",
        [
            str(BIN / "celery"),
            "-A",
            "woonoverlast",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(stack.work / "celerybeat-schedule"),
        ],
    )
    stack.start_nginx()
    up = all(wait_for(lambda p=port: stack.web_alive(p), 60) for port in WEB_PORTS)
    step(up, f"two gunicorn instances ({WEB_PORTS[0]}, {WEB_PORTS[1]}), worker, beat, nginx")
    if not up:
        raise StackError("the app did not start")

    web = client()
    health = web.get("/gezondheid/")
    step(
        health.status_code == 200 and health.text.strip() == "ok",
        f"/gezondheid/ through nginx: {health.status_code} {health.text.strip()!r}",
    )
    request_id = health.headers.get("x-request-id", "")
    step(len(request_id) == 32, f"X-Request-ID from nginx returned: {request_id}")

    # 3. the main flow
    step(log_in(web, "teamleider"), "log in as teamleider (CSRF, secure cookies over TLS)")
    year = datetime.date.today().year
    before = tabel51_totals(web, year)
    response = post_form(
        web, "/casussen/nieuw/", "district", description="Stacktest: geluidsoverlast"
    )
    location = response.headers.get("location", "")
    reference = location.rstrip("/").split("/")[-1]
    if not step(
        response.status_code == 302 and reference.startswith("WO-"),
        f"register a case: {reference or response.status_code}",
    ):
        raise StackError("the case was not registered")
    response = post_form(web, f"/casussen/{reference}/afsluiten/", "reason")
    step(response.status_code == 302, f"close {reference}: {response.status_code}")
    web.get(f"/casussen/?q={SEARCH_SECRET}")

    wait_for(stack.replica_caught_up, 10)
    replica_before = statements(REPLICA_PORT)
    after = tabel51_totals(web, year)
    replica_after = statements(REPLICA_PORT)
    step(
        int(after[-1]) == int(before[-1]) + 1,
        f"Tabel 5.1 {year} counts the new, closed case: total {before[-1]} -> {after[-1]}",
    )
    step(
        replica_after > replica_before,
        f"Tabel 5.1 was read from the replica (pg_stat_statements on :5435: "
        f"{replica_before} -> {replica_after} calls)",
    )
    page = web.get(f"/rapportages/tabel-5-1/?jaar={year}")
    step(page.status_code == 200, f"Tabel 5.1 page: {page.status_code}")

    job = export(web, year - 3, year)
    finished = wait_for(lambda: export_state(web, job)["finished"] and export_state(web, job), 60)
    download = web.get(f"/rapportages/exports/{job}/download/") if finished else None
    step(
        bool(finished) and finished["state"] == "klaar" and download.status_code == 200,
        f"export {job} by the worker: {finished and finished['state']}, "
        f"{len(download.content) if download else 0} bytes",
    )

    sso_secrets = sso_through_nginx(stack) if stack.provider else []

    # 4. logs
    lines = []
    for port in WEB_PORTS:
        lines += (stack.logs / f"web-{port}.log").read_text(errors="replace").splitlines()
    app_lines = [json.loads(line) for line in lines if line.startswith("{")]
    plain = [line for line in lines if line.strip() and not line.startswith("{")]
    requests_logged = [line for line in app_lines if line.get("event") == "request_finished"]
    step(
        requests_logged
        and not plain
        and all(line.get("request_id") for line in app_lines if "request" in line)
        and any(line["request_id"] == request_id for line in requests_logged),
        f"JSON logs: all {len(app_lines)} lines of the web instances are JSON, every request "
        f"line with its request id (the id nginx sent)"
        + (f"; not JSON: {plain[:3]}" if plain else ""),
    )
    everything = "\n".join(path.read_text(errors="replace") for path in stack.logs.glob("*.log"))
    step(
        SEARCH_SECRET not in everything
        and "Stacktest" not in everything
        and not any(secret in everything for secret in sso_secrets),
        "no search text, form data, SSO authorization code or ID token in any log "
        "(app, nginx, worker)",
    )

    # 5. faults
    fault_gunicorn(stack, web)
    fault_worker(stack, web, year)
    fault_primary_restart(stack, web, reference)
    fault_replica_down(stack, web, year, after)
    # Last: it registers and closes cases, which changes the figures the faults above compare.
    fault_events_worker(stack, web)

    # 6. the restore drill (the app stopped first: the database is dropped)
    for name in [n for n in stack.processes if n.startswith(("web", "worker", "beat"))]:
        stack.kill(name, signal.SIGTERM)
    drill = subprocess.run(
        [PYTHON, "deploy/restore_drill.py", "--drop-original"],
        cwd=ROOT,
        env={**stack.env},
        capture_output=True,
        text=True,
    )
    for line in drill.stdout.splitlines():
        note(line)
    step(
        drill.returncode == 0,
        "restore drill: dump, drop, restore, every Tabel 5.1 and the "
        "audit log identical" + ("" if drill.returncode == 0 else f": {drill.stderr[-500:]}"),
    )
    note(f"stack test took {time.monotonic() - started:.0f} s")


# -- single sign-on behind nginx ---------------------------------------------------------------


def start_provider(stack: Stack) -> None:
    """The OpenID provider of tests/test_sso.py (npm's oidc-provider, run with node), with the
    client registered for the app at BASE_URL; the app's OIDC_* settings point at it."""
    sys.path.insert(0, str(ROOT))
    from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, ProviderUnavailable

    stack.provider = None
    try:
        stack.provider = Provider(stack.logs, apps=(BASE_URL,))
    except ProviderUnavailable as error:
        step(False, f"the OpenID provider did not start (node, npm's oidc-provider): {error}")
        return
    stack.env.update(
        {
            "OIDC_ENABLED": "true",
            "OIDC_DISCOVERY_URL": stack.provider.discovery_url,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_SCOPES": "openid profile email groups",
            "OIDC_GROUP_ROLES": SSO_GROUP_ROLES,
        }
    )


def at_provider(idp: httpx.Client, url: str, login: str | None) -> tuple[str, bool]:
    """The browser at the provider: follow its redirects, logging in on its page when it asks,
    until it sends the browser back to the app. Returns that address and whether it asked."""
    asked = False
    for _ in range(10):
        if url.startswith(BASE_URL):
            return url, asked
        response = idp.get(url)
        if response.status_code == 200 and "/interaction/" in url:
            if login is None:
                raise StackError("the provider asked for a log-in")
            asked = True
            response = idp.post(url, data={"login": login})
        if response.status_code not in (302, 303):
            raise StackError(f"provider answered {response.status_code}: {response.text[:300]}")
        url = urljoin(url, response.headers["location"])
    raise StackError("too many redirects at the provider")


def sso_log_in(idp: httpx.Client, login: str) -> tuple[httpx.Client, dict, httpx.Response, bool]:
    """The whole log-in through nginx; returns the browser, the authorization request's
    parameters, the app's answer to the callback and whether the provider asked who it is."""
    web = client()
    # A client's own X-Forwarded-Proto is replaced by nginx's (proxy_set_header): ignored.
    start = web.get("/sso/inloggen/", headers={"X-Forwarded-Proto": "http"})
    if start.status_code != 302:
        raise StackError(f"/sso/inloggen/ answered {start.status_code}")
    location = start.headers["location"]
    params = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    params["secure_cookie"] = "secure" in start.headers.get("set-cookie", "").lower()
    back, asked = at_provider(idp, location, login)
    params["code"] = parse_qs(urlsplit(back).query).get("code", [""])[0]
    return web, params, web.get(back[len(BASE_URL) :]), asked


def log_out(web: httpx.Client) -> httpx.Response:
    page = web.get("/")
    parser = FormParser()
    parser.feed(page.text)
    form = next(f for f in parser.forms if f["action"] == "/uitloggen/")
    headers = {"Referer": f"{BASE_URL}/", "Origin": BASE_URL}
    return web.post("/uitloggen/", data=form["fields"], headers=headers)


def sso_through_nginx(stack: Stack) -> list[str]:
    """Log in through the provider with the app behind nginx over HTTPS: authorization code
    with PKCE, the redirect URIs the provider has registered (https, nginx's port), roles from
    the provider's groups (and their change), a person without a mapped group refused, log-out
    at the provider. Returns the codes and ID token used, which no log may hold."""
    provider = stack.provider
    started = time.monotonic()
    idp = httpx.Client(timeout=10, follow_redirects=False)  # the browser's provider cookies
    secrets = []
    try:
        provider.account("sso-anna", groups=["WO-Teamleiders", "Iedereen"], amr=["pwd", "mfa"])
        web, params, callback, _ = sso_log_in(idp, "sso-anna")
        secrets.append(params["code"])
        cookie = callback.headers.get("set-cookie", "").lower()
        cases = web.get("/casussen/").status_code
        step(
            params.get("redirect_uri") == f"{BASE_URL}/sso/callback/"
            and params.get("code_challenge_method") == "S256"
            and params.get("code_challenge")
            and params.get("nonce")
            and params["secure_cookie"]
            and callback.status_code == 302
            and callback.headers.get("location") == "/"
            and "secure" in cookie
            and "httponly" in cookie
            and cases == 200,
            f"SSO log-in through nginx: code + PKCE S256, redirect URI "
            f"{params.get('redirect_uri')} (registered at the provider; the client's own "
            f"X-Forwarded-Proto ignored), callback {callback.status_code} to "
            f"{callback.headers.get('location')}, secure session cookie, group WO-Teamleiders "
            f"-> teamleider (/casussen/ {cases})",
        )

        logout = log_out(web)
        end_session = logout.headers.get("location", "")
        query = {k: v[0] for k, v in parse_qs(urlsplit(end_session).query).items()}
        secrets.append(query.get("id_token_hint", ""))
        page = idp.get(end_session)
        form = FormParser()
        form.feed(page.text)
        confirm = form.forms[0] if form.forms else {"action": "", "fields": {}}
        done = idp.post(
            urljoin(end_session, confirm["action"]), data={**confirm["fields"], "logout": "yes"}
        )
        after = web.get("/casussen/")
        step(
            end_session.startswith(provider.issuer)
            and query.get("post_logout_redirect_uri") == f"{BASE_URL}/inloggen/"
            and query.get("id_token_hint")
            and done.headers.get("location") == f"{BASE_URL}/inloggen/"
            and after.status_code == 302
            and after.headers.get("location", "").startswith("/inloggen/"),
            f"log-out ends the app's session and the provider's (RP-initiated log-out), back "
            f"to {done.headers.get('location')}",
        )

        # The provider moved her to another group: the next log-in gives the other role.
        provider.account("sso-anna", groups=["WO-Rapportage"], amr=["pwd", "mfa"])
        web, params, callback, asked = sso_log_in(idp, "sso-anna")
        secrets.append(params["code"])
        cases, table = web.get("/casussen/").status_code, web.get("/rapportages/tabel-5-1/")
        step(
            asked and callback.status_code == 302 and cases == 403 and table.status_code == 200,
            f"log-in again (the provider asked: its session had ended), group now WO-Rapportage "
            f"-> rapportage: /casussen/ {cases}, Tabel 5.1 {table.status_code}",
        )

        provider.account("sso-bram", groups=["Iedereen"])
        idp.cookies.clear()
        _, params, refused, _ = sso_log_in(idp, "sso-bram")
        secrets.append(params["code"])
        step(
            refused.status_code == 403 and "U kunt niet inloggen" in refused.text,
            f"a person without a mapped group is refused with the Dutch page: "
            f"{refused.status_code}",
        )

        audited = sql(
            PRIMARY_PORT,
            "SELECT action, count(*) FROM audit_auditevent WHERE changes->>'via' = 'SSO' "
            "AND action IN ('login', 'login_failed') GROUP BY action ORDER BY action",
        )
        step(
            audited.split() == ["login|2", "login_failed|1"],
            f"SSO log-ins and the refusal in the audit log: {' '.join(audited.split())}",
        )

        # gunicorn reached without nginx (no X-Forwarded-Proto): the app starts no log-in over
        # plain HTTP but sends the browser to HTTPS, so it trusts only what nginx says.
        direct = httpx.get(
            f"http://127.0.0.1:{WEB_PORTS[1]}/sso/inloggen/",
            headers={"Host": "localhost"},
            timeout=10,
        )
        step(
            direct.status_code == 301
            and direct.headers.get("location") == "https://localhost/sso/inloggen/",
            f"without nginx's X-Forwarded-Proto: {direct.status_code} to "
            f"{direct.headers.get('location')} (no log-in over plain HTTP)",
        )
    except StackError as error:
        step(False, f"SSO through nginx stopped: {error}")
    finally:
        idp.close()
    note(f"single sign-on through nginx took {time.monotonic() - started:.1f} s")
    return [secret for secret in secrets if secret]


PAGES = ["/rapportages/tabel-5-1/", "/casussen/", "/", "/rapportages/overzicht/"]


def under_load(web: httpx.Client, action, count: int = 40) -> dict:
    """Read `count` pages in a thread; `action()` runs a second into it."""
    outcome = {"ok": 0, "failed": 0, "after": 0}
    retries["count"] = 0
    done = threading.Event()

    def load():
        with client() as own:
            own.cookies = web.cookies
            for i in range(count):
                response = get_with_retry(own, PAGES[i % len(PAGES)])
                if response is not None and response.status_code == 200:
                    outcome["ok"] += 1
                    outcome["after"] += done.is_set()
                else:
                    outcome["failed"] += 1

    thread = threading.Thread(target=load)
    thread.start()
    time.sleep(1.0)
    action()
    done.set()
    thread.join()
    return outcome


def fault_gunicorn(stack: Stack, web: httpx.Client) -> None:
    # A graceful reload first (systemctl reload: HUP): new workers, running requests finish.
    reload = under_load(
        web, lambda: os.kill(stack.processes[f"web-{WEB_PORTS[1]}"].pid, signal.SIGHUP), 20
    )
    step(
        reload["ok"] == 20 and retries["count"] == 0,
        f"graceful reload (HUP) of gunicorn :{WEB_PORTS[1]} under load: {reload['ok']} of 20 "
        f"pages 200, {retries['count']} retried",
    )
    outcome = under_load(web, lambda: stack.kill(f"web-{WEB_PORTS[0]}"))  # SIGKILL, mid-run
    outcome["after_kill"] = outcome["after"]
    step(
        outcome["failed"] == 0 and outcome["after_kill"] > 0,
        f"gunicorn :{WEB_PORTS[0]} killed mid-run: {outcome['ok']} of 40 pages 200 "
        f"({outcome['after_kill']} after the kill, {retries['count']} retried), "
        f"{outcome['failed']} failed after a retry",
    )
    stack.start_web(WEB_PORTS[0])  # as systemd's Restart=always would
    step(wait_for(lambda: stack.web_alive(WEB_PORTS[0]), 60), "the instance restarted")


def fault_worker(stack: Stack, web: httpx.Client, year: int) -> None:
    # Long enough to be caught running: every year since 2000, with the carried-over tables.
    job = export(web, max(2000, year - 29), year)
    running = wait_for(lambda: export_state(web, job)["state"] == "bezig", 30, interval=0.02)
    stack.kill("worker")  # SIGKILL of the worker and its pool: no chance to finish
    state = export_state(web, job)
    if not step(
        running and state["state"] == "bezig",
        f"worker killed during export {job} (state {state['state']}, {state['progress']}%)",
    ):
        return
    stack.start_worker()
    done = wait_for(lambda: export_state(web, job)["state"] == "klaar", 90, interval=0.5)
    download = web.get(f"/rapportages/exports/{job}/download/")
    step(
        done and download.status_code == 200,
        f"after the restart the export completed (acks_late, redelivered): "
        f"{export_state(web, job)['state']}, {len(download.content)} bytes",
    )


class SlowReceiver:
    """A subscriber's callback on 127.0.0.1 that takes a second per event, so that the worker
    can be killed while it delivers one. Records every event id it got, in order."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.received: list[dict] = []
        self.started = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.started.set()
                time.sleep(1)
                receiver.received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notificaties"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def fault_events_worker(stack: Stack, web: httpx.Client) -> None:
    """Events to a subscriber through a worker kill: every event arrives, in order per case
    (at least once: the one being sent when the worker died may come twice)."""
    receiver = SlowReceiver()
    try:
        manage(
            stack,
            "shell",
            "-c",
            "from woonoverlast.events.models import Subscription, SubscriptionChannel; "
            f"s = Subscription.objects.create(name='stack', callback_url='{receiver.url}'); "
            "SubscriptionChannel.objects.create(subscription=s, kanaal='casussen')",
        )
        references = []
        for number in range(3):
            response = post_form(
                web, "/casussen/nieuw/", "district", description=f"Stacktest: notificatie {number}"
            )
            references.append(response.headers.get("location", "").rstrip("/").split("/")[-1])
            post_form(web, f"/casussen/{references[-1]}/afsluiten/", "reason")
        sending = receiver.started.wait(30)
        stack.kill("worker")
        step(sending, f"worker killed while it delivered events of {', '.join(references)}")
        stack.start_worker()

        def all_delivered() -> bool:
            return (
                sql(
                    PRIMARY_PORT,
                    "SELECT count(*) FROM events_delivery WHERE status <> 'afgeleverd'",
                )
                == "0"
                and int(sql(PRIMARY_PORT, "SELECT count(*) FROM events_delivery")) > 0
            )

        delivered = wait_for(all_delivered, 150, interval=1)
        expected = int(sql(PRIMARY_PORT, "SELECT count(*) FROM events_delivery"))
        ids = {message["id"] for message in receiver.received}
        in_order = True
        for reference in references:
            actions = [
                message["actie"]
                for message in receiver.received
                if message["hoofdObject"].rstrip("/").endswith(reference)
            ]
            in_order = (
                in_order
                and {"create", "close"} <= set(actions)
                and actions.index("create") < actions.index("close")
            )
        step(
            delivered and len(ids) == expected and in_order,
            f"after the restart every event arrived: {len(ids)} of {expected} "
            f"({len(receiver.received)} requests, duplicates allowed), in order per case",
        )
    finally:
        receiver.stop()


def fault_primary_restart(stack: Stack, web: httpx.Client, reference: str) -> None:
    cases = sql(PRIMARY_PORT, "SELECT count(*) FROM cases_case")
    stack.pg_ctl("primary", "-m", "fast", "restart")
    retries["count"] = 0
    outcomes = []
    for _ in range(10):
        response = get_with_retry(web, f"/casussen/{reference}/")
        outcomes.append(response.status_code if response is not None else "error")
    recovered = outcomes[-5:] == [200] * 5
    step(
        recovered and sql(PRIMARY_PORT, "SELECT count(*) FROM cases_case") == cases,
        f"PostgreSQL primary restarted: the app recovered by itself ({outcomes.count(200)} of "
        f"10 pages 200, {retries['count']} retried), {cases} cases kept",
    )
    step(wait_for(stack.streaming, 30), "the replica streams again after the restart")
    job = export(web, 2024, 2025)
    done = wait_for(lambda: export_state(web, job)["state"] == "klaar", 60, interval=0.5)
    step(bool(done), f"the worker recovered too: export {job} klaar")


def fault_replica_down(stack: Stack, web: httpx.Client, year: int, expected: list[str]) -> None:
    stack.pg_ctl("replica", "-m", "fast", "stop")
    time.sleep(1.2)  # REPLICA_CHECK_SECONDS
    primary_before = statements(PRIMARY_PORT)
    response = get_with_retry(web, f"/rapportages/tabel-5-1/csv/?jaar={year}")
    totals = tabel51_totals(web, year) if response is not None else None
    primary_after = statements(PRIMARY_PORT)
    step(
        response is not None
        and response.status_code == 200
        and totals == expected
        and primary_after > primary_before,
        f"replica stopped: Tabel 5.1 read from the primary, same figures "
        f"(pg_stat_statements on :5434: {primary_before} -> {primary_after})",
    )
    health = web.get("/gezondheid/")
    step(health.status_code == 200, f"still ready without the replica: {health.status_code}")


def main() -> int:
    stack = Stack()
    note(f"work folder {stack.work}")
    try:
        test(stack)
    except StackError as error:
        step(False, f"stopped: {error}")
    except Exception:
        step(False, f"stopped by an error:\n{traceback.format_exc()}")
    finally:
        stack.stop_all()
        stack.keep_logs()
        if not os.environ.get("STACK_KEEP"):
            shutil.rmtree(stack.work, ignore_errors=True)
    failed = [text for ok, text in results if not ok]
    passed = len(results) - len(failed)
    print(f"\nstack-test: {passed} passed, {len(failed)} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
