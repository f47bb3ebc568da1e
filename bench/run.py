"""The benchmark of issue 7: prints its results as JSON and as a readable table.

    python -m bench.run [--runs 7] [--skip-load] [--import-rows 100000] [--json PATH]

Measures, on the benchmark database (BENCH_DATABASE_URL, filled by bench.generate):

1. Tabel 5.1 of the last full year through reports.tabel51, and the hand-written GROUP BY
   (bench/sql.py) on the same data: median, p95 and their ratio;
2. the same for the live overview (reports.overview, five blocks);
3. the case list through the Django test client with typical filters, page 1, the middle
   page and the deepest page it offers: queries and time; and on their own the exact COUNT
   and the capped count the list's paginator runs;
   3a. the same filters through the REST API (GET /api/v1/casussen/, cursor pagination);
4. the case file of a case with 50 actions: queries and time;
5. import_cases on a generated file (checked completely by the services' rules, written in
   bulk, then rolled back so the data stays as generated): rows per second;
6. gunicorn serving the list and the case file to 20 concurrent wrk connections for 60 s:
   requests per second, p95, errors (--skip-load leaves it out).
"""

import argparse
import csv
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import is_marked, setup_django

ROOT = Path(__file__).resolve().parent.parent
FILE_ACTIONS = 50
BENCH_LEADER = "benchleider"


def summary(samples: list[float]) -> dict:
    """Median and p95 in milliseconds (p95 by linear interpolation; with few runs it lies
    close to the slowest run)."""
    ms = sorted(s * 1000 for s in samples)
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[18] if len(ms) > 1 else ms[0]
    return {"median_ms": round(statistics.median(ms), 1), "p95_ms": round(p95, 1), "runs": len(ms)}


def timed(function, runs: int) -> tuple[dict, object]:
    function()  # warm-up: caches and connection
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return summary(samples), result


def compare(app: dict, sql: dict) -> dict:
    return {
        "app": app,
        "sql": sql,
        "ratio_median": round(app["median_ms"] / sql["median_ms"], 2),
        "ratio_p95": round(app["p95_ms"] / sql["p95_ms"], 2),
    }


# -- 1, 2: reports against hand-written SQL --------------------------------------------------


def bench_tabel51(runs: int) -> dict:
    from django.db import connection

    from bench.sql import TABEL51, tabel51_params
    from reports import tabel51

    year = datetime.date.today().year - 1

    def app():
        return tabel51.compute(year)

    def sql():
        with connection.cursor() as cursor:
            cursor.execute(TABEL51, tabel51_params(year))
            return cursor.fetchall()

    app_time, table = timed(app, runs)
    sql_time, _ = timed(sql, runs)
    return {"year": year, "cases": table.total.total, **compare(app_time, sql_time)}


def bench_overview(runs: int) -> dict:
    from django.db import connection

    from bench.sql import OVERVIEW
    from reports import overview, tabel51
    from woonoverlast.cases.services.validation import today

    def app():
        now = today()
        districts = tabel51.districts_in_order()
        return (
            overview.open_by_district(districts),
            overview.open_by_age(districts, now),
            overview.stale_by_district(districts, now),
            overview.by_casemanager(now),
            overview.actions_per_month(now),
        )

    def sql():
        now = today()
        params = {
            "today": now,
            "three": overview.months_before(now, 3),
            "six": overview.months_before(now, 6),
            "twelve": overview.months_before(now, 12),
            "since": overview.stale_since(now),
            "months_from": overview.month_starts(now)[0],
        }
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM cases_district ORDER BY display_order, name, id")
            cursor.fetchall()
            for statement in OVERVIEW:
                cursor.execute(statement, params)
                cursor.fetchall()

    app_time, grids = timed(app, runs)
    sql_time, _ = timed(sql, runs)
    return {"open_cases": grids[0].total.total, **compare(app_time, sql_time)}


# -- 3, 4: pages through the test client -----------------------------------------------------


def _leader():
    from django.contrib.auth.models import Group

    from woonoverlast.accounts.models import User

    user, _ = User.objects.get_or_create(
        username=BENCH_LEADER, defaults={"first_name": "Bench", "last_name": "Teamleider"}
    )
    user.groups.add(Group.objects.get(name="teamleider"))
    return user


def _client():
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(_leader())
    return client


def _get(client, url: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return response, len(queries)


def list_filters() -> dict[str, dict]:
    """The typical filters: a wijk; wijk + status + housing type; a text search on a street."""
    from woonoverlast.cases.models import Case, District

    district = District.objects.order_by("display_order").first()
    street = Case.objects.order_by("pk").values_list("street", flat=True).first()
    return {
        "wijk": {"wijk": district.pk},
        "wijk+status+woningtype": {
            "wijk": district.pk,
            "status": "open",
            "woningtype": "corporatie",
        },
        "zoeken op straat": {"q": street[:8].lower()},
    }


def bench_list(runs: int) -> dict:
    from urllib.parse import urlencode

    from django.db import connection
    from django.http import QueryDict

    from woonoverlast.cases.filters import CaseFilter, list_url
    from woonoverlast.cases.models import Case
    from woonoverlast.cases.pagination import LongListPaginator
    from woonoverlast.cases.views.lists import PAGE_SIZE

    client = _client()
    results = {}
    for name, params in list_filters().items():
        filterset = CaseFilter(QueryDict(urlencode(params)), queryset=Case.objects.all())
        assert filterset.is_valid(), filterset.errors
        exact_time, total = timed(lambda fs=filterset: fs.qs.count(), runs)
        capped_time, _ = timed(lambda fs=filterset: LongListPaginator(fs.qs, PAGE_SIZE).count, runs)
        paginator = LongListPaginator(filterset.qs, PAGE_SIZE)
        # The deepest page the list offers (a capped list ends at the cap); the middle page
        # costs most when the list reads pages past the middle from the end.
        deepest, middle = paginator.num_pages, max(1, (paginator.num_pages + 1) // 2)
        entry = {
            "rows": total,
            "capped": paginator.capped,
            "count_query": exact_time,
            "count_as_listed": capped_time,
            "pages": {},
        }
        for label, page in (
            ("page 1", 1),
            (f"middle page ({middle})", middle),
            (f"deepest page ({deepest})", deepest),
        ):
            url = list_url(**params, pagina=page)
            _, queries = _get(client, url)
            page_time, _ = timed(lambda u=url: _get(client, u), runs)
            entry["pages"][label] = {"queries": queries, **page_time}
        results[name] = entry
    connection.close()
    return results


def bench_api_list(runs: int) -> dict:
    """GET /api/v1/casussen/ with the same filters as the list screen: page 1, page 2 and
    page 21 by following the cursor, and the last page (page 1 in the reverse order)."""
    from urllib.parse import urlencode

    from django.db import connection

    client = _client()
    results = {}
    for name, params in list_filters().items():
        first = f"/api/v1/casussen/?{urlencode(params, True)}"
        last = f"/api/v1/casussen/?{urlencode({**params, 'sorteer': 'geregistreerd'}, True)}"
        pages = {"page 1": first}
        url = first
        for number in range(2, 22):
            url = _get(client, url)[0].json()["next"]
            if not url:
                break
            if number in (2, 21):
                pages[f"page {number} (cursor)"] = url
        pages["last page"] = last
        entry = {}
        for label, page_url in pages.items():
            _, queries = _get(client, page_url)
            page_time, _ = timed(lambda u=page_url: _get(client, u), runs)
            entry[label] = {"queries": queries, **page_time}
        results[name] = entry
    connection.close()
    return results


def _case_with_actions(count: int):
    """A case of the benchmark data with exactly `count` actions (added when short)."""
    from django.db.models import Count

    from woonoverlast.cases.models import Action, Case

    case = (
        Case.objects.annotate(n=Count("actions"))
        .filter(n__gte=count, status="open")
        .order_by("pk")
        .first()
    )
    if case is None:
        case = Case.objects.filter(status="open").order_by("-registered_on", "pk").first()
        have = case.actions.count()
        Action.objects.bulk_create(
            Action(
                case=case,
                action_type="gesprek",
                performed_on=case.registered_on,
                notes="Actie vastgelegd.",
                performed_by_id=case.casemanager_id,
            )
            for _ in range(count - have)
        )
    return case


def bench_case_file(runs: int) -> dict:
    case = _case_with_actions(FILE_ACTIONS)
    client = _client()
    url = case.get_absolute_url()
    _, queries = _get(client, url)
    page_time, _ = timed(lambda: _get(client, url), runs)
    return {
        "reference": case.reference,
        "actions": case.actions.count(),
        "queries": queries,
        **page_time,
    }


# -- 5: import ------------------------------------------------------------------------------


def write_import_file(path: Path, rows: int) -> None:
    """A spreadsheet as the team would send it: references of a year far from the data."""
    from woonoverlast.cases.models import District

    districts = list(District.objects.filter(is_active=True).values_list("name", flat=True))
    start = datetime.date.today() - datetime.timedelta(days=3 * 365)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(
            [
                "referentie",
                "wijk",
                "woningtype",
                "geregistreerd_op",
                "afgerond_op",
                "straat",
                "huisnummer",
                "postcode",
                "categorie",
            ]
        )
        for number in range(1, rows + 1):
            registered = start + datetime.timedelta(days=number % 700)
            closed = registered + datetime.timedelta(days=30) if number % 3 else None
            writer.writerow(
                [
                    f"IMP-{number:06d}",
                    districts[number % len(districts)],
                    ("koop", "corporatie", "particulier")[number % 3],
                    registered.isoformat(),
                    closed.isoformat() if closed else "",
                    "Dorpsstraat",
                    str(1 + number % 300),
                    "2711 AB",
                    "Geluidsoverlast",
                ]
            )


def bench_import(rows: int) -> dict:
    from woonoverlast.cases.importing import import_cases

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.csv"
        write_import_file(path, rows)
        started = time.perf_counter()
        imported = import_cases(path, commit=False)
        seconds = time.perf_counter() - started
    return {
        "rows": len(imported),
        "seconds": round(seconds, 1),
        "rows_per_second": round(len(imported) / seconds),
        "note": "checked and written completely, then rolled back",
    }


# -- 6: load -------------------------------------------------------------------------------

WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_URLS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Cookie"] = "sessionid=%s"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %%d, "seconds": %%.3f, "p50_ms": %%.1f, "p95_ms": %%.1f, '
    .. '"p99_ms": %%.1f, "max_ms": %%.1f, "errors_connect": %%d, "errors_read": %%d, '
    .. '"errors_write": %%d, "errors_status": %%d, "errors_timeout": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _wait_for(url: str, seconds: float = 30) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def bench_load(*, duration: int, connections: int, workers: int) -> dict:
    from django.db import connection

    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (make bench installs it)")
    # A real log-in (the app's session rules apply), its cookie sent by wrk.
    session_key = _client().cookies["sessionid"].value

    from woonoverlast.cases.filters import list_url
    from woonoverlast.cases.models import Case

    paths = [list_url(**params) for params in list_filters().values()]
    paths.append(list_url())
    paths += [
        case.get_absolute_url() for case in Case.objects.order_by("?").only("reference")[:200]
    ]
    connection.close()
    port = 8765
    with tempfile.TemporaryDirectory() as folder:
        urls = Path(folder) / "urls.txt"
        urls.write_text("\n".join(paths) + "\n")
        script = Path(folder) / "bench.lua"
        script.write_text(WRK_SCRIPT % session_key)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "woonoverlast.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
        )
        try:
            _wait_for(f"http://127.0.0.1:{port}/")
            output = subprocess.run(
                [
                    "wrk",
                    "--threads",
                    "1",
                    "--connections",
                    str(connections),
                    "--duration",
                    f"{duration}s",
                    "--timeout",
                    "10s",
                    "--script",
                    str(script),
                    f"http://127.0.0.1:{port}",
                ],
                env={**os.environ, "BENCH_URLS": str(urls)},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    line = next(line for line in output.splitlines() if line.startswith("BENCH_RESULT "))
    result = json.loads(line.removeprefix("BENCH_RESULT "))
    result["requests_per_second"] = round(result["requests"] / result["seconds"], 1)
    result["errors"] = sum(v for k, v in result.items() if k.startswith("errors_"))
    return {
        "connections": connections,
        "gunicorn_workers": workers,
        "duration_s": duration,
        "urls": len(paths),
        **result,
    }


# -- output --------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
        "python": platform.python_version(),
        "postgresql": version,
        "shared_buffers": buffers,
    }


def data_size() -> dict:
    from django.db import connection

    sizes = {}
    with connection.cursor() as cursor:
        for table in ("cases_case", "cases_statuschange", "cases_action", "cases_party"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            sizes[table.removeprefix("cases_")] = cursor.fetchone()[0]
    return sizes


def table(results: dict) -> str:
    lines = []

    def row(*cells):
        lines.append(f"{cells[0]:<48} {cells[1]:>10} {cells[2]:>10} {cells[3]:>8} {cells[4]:>8}")

    sizes = results["data"]
    lines.append(
        f"Data: {sizes['case']:,} cases, {sizes['statuschange']:,} status rows, "
        f"{sizes['action']:,} actions, {sizes['party']:,} parties"
    )
    row("measurement", "median ms", "p95 ms", "queries", "ratio")
    for key, label in (("tabel51", "Tabel 5.1"), ("overview", "Live overview")):
        if key not in results:
            continue
        r = results[key]
        row(f"{label}: app", r["app"]["median_ms"], r["app"]["p95_ms"], "", r["ratio_p95"])
        row(f"{label}: hand-written SQL", r["sql"]["median_ms"], r["sql"]["p95_ms"], "", "")
    for name, entry in results.get("list", {}).items():
        row(
            f"List {name}: exact COUNT of {entry['rows']:,}",
            entry["count_query"]["median_ms"],
            entry["count_query"]["p95_ms"],
            "",
            "",
        )
        row(
            f"List {name}: COUNT as listed{' (capped)' if entry['capped'] else ''}",
            entry["count_as_listed"]["median_ms"],
            entry["count_as_listed"]["p95_ms"],
            "",
            "",
        )
        for label, page in entry["pages"].items():
            row(f"List {name}: {label}", page["median_ms"], page["p95_ms"], page["queries"], "")
    for name, entry in results.get("api_list", {}).items():
        for label, page in entry.items():
            row(f"API list {name}: {label}", page["median_ms"], page["p95_ms"], page["queries"], "")
    if "case_file" in results:
        r = results["case_file"]
        row(f"Case file ({r['actions']} actions)", r["median_ms"], r["p95_ms"], r["queries"], "")
    if "import" in results:
        r = results["import"]
        lines.append(
            f"Import: {r['rows']:,} rows in {r['seconds']} s = {r['rows_per_second']:,} rows/s"
        )
    if "load" in results:
        r = results["load"]
        lines.append(
            f"Load ({r['connections']} connections, {r['duration_s']} s, {r['gunicorn_workers']} "
            f"gunicorn workers): {r['requests_per_second']} req/s, p50 {r['p50_ms']} ms, "
            f"p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms, errors {r['errors']}"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement")
    parser.add_argument("--skip-load", action="store_true", help="leave out the load test")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--import-rows", type=int, default=100_000, help="0 leaves it out")
    parser.add_argument(
        "--only", help="comma-separated: tabel51,overview,list,api_list,case_file,import,load"
    )
    parser.add_argument("--json", type=Path, help="also write the JSON to this file")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        if not is_marked(cursor):
            raise SystemExit("Not a benchmark database: run bench.generate on it first.")
    call_command("collectstatic", interactive=False, verbosity=0)
    only = set(args.only.split(",")) if args.only else None

    def wanted(name: str) -> bool:
        return only is None or name in only

    results = {"machine": machine(), "data": data_size(), "started_at": time.strftime("%F %T")}
    steps = [
        ("tabel51", lambda: bench_tabel51(args.runs)),
        ("overview", lambda: bench_overview(args.runs)),
        ("list", lambda: bench_list(args.runs)),
        ("api_list", lambda: bench_api_list(args.runs)),
        ("case_file", lambda: bench_case_file(args.runs)),
    ]
    if args.import_rows:
        steps.append(("import", lambda: bench_import(args.import_rows)))
    if not args.skip_load:
        steps.append(
            (
                "load",
                lambda: bench_load(
                    duration=args.load_seconds,
                    connections=args.connections,
                    workers=args.workers,
                ),
            )
        )
    for name, step in steps:
        if not wanted(name):
            continue
        started = time.perf_counter()
        print(f"-- {name}", file=sys.stderr, flush=True)
        results[name] = step()
        print(f"   {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    text = json.dumps(results, indent=2, default=str)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    print()
    print(table(results))


if __name__ == "__main__":
    main()
