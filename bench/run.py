"""The benchmark: prints its results as JSON and as a readable table.

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
4b. the intake queue's possible matches for a page of 100 meldingen (one query);
5. import_cases on a generated file (checked completely by the services' rules, written in
   bulk, then rolled back so the data stays as generated): rows per second;
6. the team's working day simulated by Locust (bench/locustfile.py: casemanagers, team
   leaders, rapportage in the team's proportions, with think times) against gunicorn: requests
   per second, p50/p95/p99 and failures per page, lock waits (--skip-load leaves it out);
7. the throughput mix (bench/locustfile_mix.py: the same people clicking every 1 to 3 s,
   casemanagers 70 %, team leaders 20 %, rapportage 10 %) with its own targets: every daily
   page p95 < 300 ms, no failures, >= 22 requests/s, Tabel 5.1 < 1 s (--skip-load leaves it
   out too); --profile FILE also samples the workers with py-spy and logs each request's CPU
   and database time (bench/profile.py).
"""

import argparse
import csv
import datetime
import gc
import json
import os
import platform
import statistics
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
    # The garbage the earlier measurements left is collected first, so that a collection of
    # their objects does not land in this one's runs (it did: the intake's matches, 45 ms,
    # showed one run of 110 ms after the list measurements, never on their own). Collections
    # of what the measured function itself leaves still count; the load test has them all.
    gc.collect()
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
    from woonoverlast.common.calendar import add_months
    from woonoverlast.common.validation import today

    def app():
        now = today()
        districts = tabel51.districts_in_order()
        counted = overview.count_open_cases(now)
        return (
            overview.open_by_district(districts, counted),
            overview.open_by_age(districts, counted),
            overview.stale_by_district(districts, counted),
            overview.by_casemanager(counted),
            overview.actions_per_month(now),
        )

    def sql():
        now = today()
        params = {
            "today": now,
            "three": add_months(now, -3),
            "six": add_months(now, -6),
            "twelve": add_months(now, -12),
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
    """The typical filters: a wijk; wijk + status + housing type; a text search on a street;
    the searches as people type them: street + number, postcode + number, a party's name."""
    from woonoverlast.cases.models import Case, District, Party

    district = District.objects.order_by("display_order").first()
    case = Case.objects.order_by("pk").first()
    name = Party.objects.order_by("pk").values_list("name", flat=True).first()
    return {
        "wijk": {"wijk": district.pk},
        "wijk+status+woningtype": {
            "wijk": district.pk,
            "status": "open",
            "woningtype": "corporatie",
        },
        "zoeken op straat": {"q": case.street[:8].lower()},
        "zoeken op straat + huisnummer": {"q": f"{case.street} {case.house_number}"},
        "zoeken op postcode + huisnummer": {
            "q": f"{case.postcode.replace(' ', '')} {case.house_number}"
        },
        "zoeken op naam": {"q": name},
        # The commonest surname, 0.5 % of the parties (bench.generate).
        "zoeken op achternaam": {"q": "de Jong"},
    }


def list_filterset(params: dict, queryset):
    """The case list's FilterSet for `params`, as the benchmark's team leader asks it (the
    search on a party's name depends on who asks)."""
    from urllib.parse import urlencode

    from django.http import QueryDict
    from django.test import RequestFactory

    from woonoverlast.cases.filters import CaseFilter

    request = RequestFactory().get("/casussen/")
    request.user = _leader()
    return CaseFilter(QueryDict(urlencode(params)), queryset=queryset, request=request)


def bench_list(runs: int) -> dict:

    from django.db import connection

    from woonoverlast.cases.filters import list_url
    from woonoverlast.cases.models import Case
    from woonoverlast.cases.views.lists import PAGE_SIZE
    from woonoverlast.common.pagination import LongListPaginator

    client = _client()
    results = {}
    for name, params in list_filters().items():
        filterset = list_filterset(params, Case.objects.all())
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
    from woonoverlast.cases.services import case_refresh_last_activity

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
        case_refresh_last_activity(case.pk)
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


# -- intake: the matching query of the queue ------------------------------------------------

INTAKE_PAGE = 100


def intake_meldingen(count: int) -> list:
    """A queue's worth of meldingen (unsaved): at addresses of existing cases, next door to
    them and nowhere, with the melders of existing cases and unknown ones."""
    import random

    from woonoverlast.cases.models import Case, Party
    from woonoverlast.intake.models import IntakeMelding

    rng = random.Random(16)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(count)]
    cases = {
        case["pk"]: case
        for case in Case.objects.filter(pk__in=ids).values(
            "pk", "street", "house_number", "house_number_addition", "postcode"
        )
    }
    melders = list(
        Party.objects.filter(role="melder", case_id__in=ids).values_list("name", "phone")[:count]
    )
    meldingen = []
    for number, pk in enumerate(ids):
        case = cases.get(pk) or next(iter(cases.values()))
        shift = (0, 0, 2, 300)[number % 4]  # same address, nearby, far
        name, phone = melders[number % len(melders)] if melders and number % 3 == 0 else ("", "")
        meldingen.append(
            IntakeMelding(
                pk=number + 1,
                street=case["street"],
                house_number=(case["house_number"] or 1) + shift,
                house_number_addition=case["house_number_addition"] if not shift else "",
                postcode=case["postcode"],
                reporter_name=name,
                reporter_phone=phone,
                reporter_email=f"melder{number}@example.org" if number % 5 == 0 else "",
            )
        )
    return meldingen


def bench_intake(runs: int) -> dict:
    """The possible matches of a full page of the intake queue (one query), p95 < 100 ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from woonoverlast.intake.matching import matching_cases

    meldingen = intake_meldingen(INTAKE_PAGE)
    with CaptureQueriesContext(connection) as queries:
        found = matching_cases(meldingen)
    page_time, _ = timed(lambda: matching_cases(meldingen), runs)
    one_time, _ = timed(lambda: matching_cases(meldingen[:1]), runs)
    return {
        "meldingen": len(meldingen),
        "queries": len(queries),
        "matches": sum(len(matches) for matches in found.values()),
        "page": page_time,
        "one": one_time,
    }


# -- daily pages and memory ------------------------------------------------------------------

# The pages people open first thing in the morning, as whom, by URL name; pages of
# apps that are not installed are left out.
DAILY_PAGES = [
    ("Startpagina teamleider", "teamleider", "home", {}),
    ("Startpagina casemanager", "casemanager", "home", {}),
    ("Startpagina rapportage", "rapportage", "reports:index", {}),
    ("Mijn casussen", "casemanager", "cases:mine", {}),
    ("Termijnen (eigen)", "casemanager", "followups:due", {}),
    ("Termijnen (team)", "teamleider", "followups:due", {}),
    ("Live overzicht", "teamleider", "reports:overview", {}),
    ("Binnengekomen meldingen", "teamleider", "intake:queue", {}),
    ("Maatregelen (team)", "teamleider", "measures:list", {}),
]
DAILY_TARGET_MS = 300
MEMORY_TARGET_MB = 50


def _client_as(role: str):
    from django.contrib.auth.models import Group
    from django.db.models import Count, Q
    from django.test import Client

    from woonoverlast.accounts.models import User

    if role == "teamleider":
        user = _leader()
    elif role == "casemanager":
        # The busiest casemanager of the generated team.
        user = (
            User.objects.filter(groups__name="casemanager")
            .annotate(open_cases=Count("assigned_cases", filter=Q(assigned_cases__status="open")))
            .order_by("-open_cases", "pk")
            .first()
        )
    else:
        user, _ = User.objects.get_or_create(username="bench-rapportage")
        user.groups.add(Group.objects.get(name=role))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def _peak_mb(client, url: str) -> float:
    """The most memory the request held in Python objects (tracemalloc), in MB."""
    import tracemalloc

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        _get(client, url)
        return round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
    finally:
        tracemalloc.stop()


def bench_daily_pages(runs: int) -> dict:
    from django.db import connection
    from django.urls import NoReverseMatch, reverse

    clients, results = {}, {}
    for label, role, name, kwargs in DAILY_PAGES:
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        client = clients.get(role) or clients.setdefault(role, _client_as(role))
        _, queries = _get(client, url)
        page_time, _ = timed(lambda c=client, u=url: _get(c, u), runs)
        results[label] = {
            "url": url,
            "queries": queries,
            **page_time,
            "peak_mb": _peak_mb(client, url),
        }
    connection.close()
    return results


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


IMPORT_RUNS = 5


def bench_import(rows: int, runs: int = IMPORT_RUNS) -> dict:
    """The import's rate as its target states it: the median of `runs` runs, each after
    VACUUM and CHECKPOINT (a rolled-back run leaves dead rows and dirty pages behind, which
    the next run would otherwise pay for)."""
    from django.db import connection

    from woonoverlast.cases.services.import_files import import_cases

    rates = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.csv"
        write_import_file(path, rows)
        for _ in range(runs):
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")
                cursor.execute("CHECKPOINT")
            started = time.perf_counter()
            imported = import_cases(path, commit=False)
            rates.append(len(imported) / (time.perf_counter() - started))
    return {
        "rows": len(imported),
        "runs": runs,
        "rows_per_second": round(statistics.median(rates)),
        "rows_per_second_each": [round(rate) for rate in rates],
        "note": "checked and written completely, then rolled back; median of the runs, each "
        "after VACUUM and CHECKPOINT",
    }


# -- 6: load -------------------------------------------------------------------------------


def _vacuum() -> None:
    """VACUUM ANALYZE before a load test: the earlier steps' writes (a rolled-back import, an
    earlier load test's actions) leave pages out of the visibility map, and the team's counts
    read the open cases by an index-only scan (70-90 ms instead of 22 until vacuumed).
    Autovacuum keeps a production database so."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def bench_load(*, duration: int, users: int, workers: int) -> dict:
    from bench import load

    _vacuum()
    return load.run(users=users, duration=duration, workers=workers)


# What the mix's people ask for when nobody is slowed down: 50 people clicking every 2 s
# (1-3 s) ask for 22 requests a second, issue 30's target; fewer people, proportionally less.
MIX_REQUESTS_PER_SECOND_PER_PERSON = 22 / 50
MIX_YEARLY_REPORT_MS = 1000


def bench_mix(*, duration: int, users: int, workers: int, profile: Path | None) -> dict:
    from bench import load

    _vacuum()
    return load.run(
        users=users,
        duration=duration,
        workers=workers,
        locustfile="locustfile_mix.py",
        yearly_report_ms=MIX_YEARLY_REPORT_MS,
        min_requests_per_second=round(MIX_REQUESTS_PER_SECOND_PER_PERSON * users, 1),
        profile=profile,
    )


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


def verdicts(results: dict) -> list[tuple[str, str, str, bool]]:
    """Every figure beside its target (docs/performance.md): (figure, value, target, met)."""
    rows = []
    if "tabel51" in results:
        ratio = results["tabel51"]["ratio_p95"]
        rows.append(
            ("Tabel 5.1 p95, app / hand-written SQL", f"{ratio}x", "<= 1.25x", ratio <= 1.25)
        )
    for label, page in results.get("daily", {}).items():
        rows.append(
            (
                f"{label} p95",
                f"{page['p95_ms']} ms",
                f"< {DAILY_TARGET_MS} ms",
                page["p95_ms"] < DAILY_TARGET_MS,
            )
        )
    for name, entry in results.get("list", {}).items():
        for label, page in entry["pages"].items():
            rows.append(
                (
                    f"List {name}, {label} p95",
                    f"{page['p95_ms']} ms",
                    "< 200 ms",
                    page["p95_ms"] < 200,
                )
            )
    if "intake" in results:
        page = results["intake"]["page"]
        rows.append(
            (
                "Intake matches, page of 100 meldingen p95",
                f"{page['p95_ms']} ms",
                "< 100 ms",
                page["p95_ms"] < 100,
            )
        )
    # The API's list has the same target as the list screen.
    for name, entry in results.get("api_list", {}).items():
        for label, page in entry.items():
            rows.append(
                (
                    f"API list {name}, {label} p95",
                    f"{page['p95_ms']} ms",
                    "< 200 ms",
                    page["p95_ms"] < 200,
                )
            )
    if "import" in results:
        rate = results["import"]["rows_per_second"]
        rows.append(("Import", f"{rate:,} rows/s", ">= 10,000 rows/s", rate >= 10_000))
    for label, page in results.get("daily", {}).items():
        rows.append(
            (
                f"{label}: peak Python memory",
                f"{page['peak_mb']} MB",
                f"< {MEMORY_TARGET_MB} MB",
                page["peak_mb"] < MEMORY_TARGET_MB,
            )
        )
    for key, label in (("load", "Load"), ("mix", "Mix")):
        if key not in results:
            continue
        load = results[key]
        if "min_requests_per_second" in load:
            rate, least = load["total"]["requests_per_second"], load["min_requests_per_second"]
            rows.append(
                (
                    f"{label}: requests/s, {load['users']} people",
                    f"{rate} req/s",
                    f">= {least} req/s",
                    load["throughput_pass"],
                )
            )
        for name, page in load["pages"].items():
            target = page["target_p95_ms"]
            rows.append(
                (
                    f"{label}: {name} p95",
                    f"{page['p95_ms']} ms",
                    f"< {target} ms, 0 errors" if target else "0 errors",
                    page["pass"],
                )
            )
    return rows


def verdict_table(results: dict) -> str:
    lines = [f"{'figure':<62} {'value':>16} {'target':>18}  verdict"]
    for figure, value, target, met in verdicts(results):
        lines.append(f"{figure[:62]:<62} {value:>16} {target:>18}  {'PASS' if met else 'FAIL'}")
    return "\n".join(lines)


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
    if "intake" in results:
        r = results["intake"]
        row(
            f"Intake matches, page of {r['meldingen']} ({r['matches']} found)",
            r["page"]["median_ms"],
            r["page"]["p95_ms"],
            r["queries"],
            "",
        )
        row("Intake matches, one melding", r["one"]["median_ms"], r["one"]["p95_ms"], 1, "")
    for label, page in results.get("daily", {}).items():
        row(
            f"{label} ({page['peak_mb']} MB)",
            page["median_ms"],
            page["p95_ms"],
            page["queries"],
            "",
        )
    if "import" in results:
        r = results["import"]
        each = ", ".join(f"{rate:,}" for rate in r["rows_per_second_each"])
        lines.append(
            f"Import: {r['rows']:,} rows, median of {r['runs']} runs {r['rows_per_second']:,} "
            f"rows/s ({each})"
        )
    for key in ("load", "mix"):
        if key not in results:
            continue
        r = results[key]
        total = r["total"]
        lines.append(
            f"{key.capitalize()} ({r['locustfile']}): {r['users']} simulated people for "
            f"{r['duration_s']} s, "
            f"{r['gunicorn_workers']} gunicorn workers: {total['requests_per_second']} req/s, "
            f"p95 {total['p95_ms']} ms, failures {total['failures']}; lock waits in "
            f"{r['locks']['samples_with_a_lock_wait']} of {r['locks']['samples']} samples"
        )
        row("page under load", "p50 ms", "p95 ms", "p99 ms", "target")
        for name, page in r["pages"].items():
            target = page["target_p95_ms"]
            verdict = "PASS" if page["pass"] else "FAIL"
            row(
                f"  {name} ({page['requests']}, {page['failures']} failed)"[:48],
                page["p50_ms"],
                page["p95_ms"],
                page["p99_ms"],
                f"{verdict} <{target}" if target else verdict,
            )
        if "profile" in r:
            shares = r["profile"]["percent"].items()
            split = ", ".join(f"{part} {share} %" for part, share in shares)
            lines.append(f"  profile ({r['profile']['samples']} samples): {split}")
            every = r["requests"]["total"]
            lines.append(
                f"  per request: CPU {every['mean_cpu_ms']} ms, database {every['mean_db_ms']} ms"
                " (means)"
            )
            row("  page (median per request)", "CPU ms", "DB ms", "queries", "KB")
            for page, entry in r["requests"]["pages"].items():
                row(
                    f"  {page} ({entry['requests']})"[:48],
                    entry["cpu_ms"],
                    entry["db_ms"],
                    entry["queries"],
                    round(entry["bytes"] / 1000, 1),
                )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement")
    parser.add_argument("--skip-load", action="store_true", help="leave out the load test")
    parser.add_argument("--load-seconds", type=int, default=300)
    parser.add_argument("--users", type=int, default=50, help="simulated people in the load test")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--mix-seconds", type=int, default=180)
    parser.add_argument("--mix-users", type=int, default=50)
    parser.add_argument(
        "--profile", type=Path, help="profile the mix's workers with py-spy into this file"
    )
    parser.add_argument("--import-rows", type=int, default=100_000, help="0 leaves it out")
    parser.add_argument("--import-runs", type=int, default=IMPORT_RUNS)
    parser.add_argument(
        "--only",
        help="comma-separated: tabel51,overview,list,api_list,case_file,intake,daily,import,load,"
        "mix",
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
        ("intake", lambda: bench_intake(args.runs)),
        ("daily", lambda: bench_daily_pages(args.runs)),
    ]
    if args.import_rows:
        steps.append(("import", lambda: bench_import(args.import_rows, args.import_runs)))
    if not args.skip_load:
        steps.append(
            (
                "load",
                lambda: bench_load(
                    duration=args.load_seconds,
                    users=args.users,
                    workers=args.workers,
                ),
            )
        )
        steps.append(
            (
                "mix",
                lambda: bench_mix(
                    duration=args.mix_seconds,
                    users=args.mix_users,
                    workers=args.workers,
                    profile=args.profile,
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
    print()
    print(verdict_table(results))


if __name__ == "__main__":
    main()
