"""Two versions of the app side by side: the same requests, interleaved, on one worker each.

    python -m bench.ab --a /tmp/base --b . [--rounds 15] [--env-b KEY=VALUE ...]

Starts gunicorn with one worker from each project folder (`--a`, `--b`: the code each runs;
`--env-a`/`--env-b`: settings only one of them gets, e.g. a connection pool) on the benchmark
database (or, for A, on `--database-a`: a copy of it taken before a migration that the older
code cannot run on; the simulated people's sessions are copied into it), then asks both the
same pages as the same people, A and B in turn (which one first alternates), and prints per
page the medians of what each worker logged (bench/gunicorn_bench.py): CPU time in the
worker, wall time, time in the database driver, queries and bytes. CPU time and query counts
are what other load on the machine distorts least, so two versions measured this way can be
compared while others use the cores.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import setup_django

# (role, path) of the pages compared: the daily pages and the mix's other pages.
PAGES = [
    ("teamleider", "/"),
    ("casemanager", "/"),
    ("casemanager", "/casussen/mijn/"),
    ("casemanager", "/termijnen/"),
    ("teamleider", "/termijnen/"),
    ("teamleider", "/casussen/?wijk={district}&status=open"),
    ("casemanager", "/casussen/?q={street}"),
    ("casemanager", "/casussen/{case}/"),
    ("casemanager", "/casussen/{case}/acties/nieuw/"),
    ("teamleider", "/casussen/{case}/toewijzen/"),
    ("teamleider", "/rapportages/overzicht/"),
    ("rapportage", "/rapportages/tabel-5-1/?jaar={year}"),
]


def _get(base: str, path: str, session: str) -> None:
    request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()


def _medians(prefix: Path) -> dict:
    lines = []
    for path in prefix.parent.glob(f"{prefix.name}.*"):
        lines += [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]
    pages = {}
    for line in lines:
        key = f"{line['path']}?{line['query']}" if line["query"] else line["path"]
        pages.setdefault(key, []).append(line)
    return {
        key: {
            name: round(statistics.median(line[name] for line in entries), 1)
            for name in ("cpu_ms", "wall_ms", "db_ms", "queries", "bytes")
        }
        for key, entries in pages.items()
    }


def _settings(pairs: list[str]) -> dict:
    return dict(pair.split("=", 1) for pair in pairs)


def _copy_sessions(keys: list[str], url: str) -> None:
    """The sessions `keys` of the benchmark database, written into the database at `url` (a
    copy of it from before a migration: the same users, so the sessions are valid there)."""
    import psycopg
    from django.contrib.sessions.models import Session

    rows = list(Session.objects.filter(session_key__in=keys).values_list())
    with psycopg.connect(url, autocommit=True) as other, other.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO django_session (session_key, session_data, expire_date)"
            " VALUES (%s, %s, %s) ON CONFLICT (session_key) DO UPDATE"
            " SET session_data = EXCLUDED.session_data, expire_date = EXCLUDED.expire_date",
            rows,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", type=Path, required=True, help="project folder of version A")
    parser.add_argument("--b", type=Path, required=True, help="project folder of version B")
    parser.add_argument("--env-a", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--env-b", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument(
        "--database-a", metavar="URL", help="A's database: a copy from before a migration"
    )
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    setup_django()
    from bench.load import free_port, gunicorn, plan

    people = plan()
    casemanager = people["people"]["casemanager"][0]
    sessions = {role: people["people"][role][0]["session"] for role in people["people"]}
    case = casemanager["cases"][0]
    values = {
        "district": people["districts"][0],
        "street": people["streets"][0],
        "case": case,
        "year": people["years"][-1],
    }
    pages = [(role, path.format(**values)) for role, path in PAGES]
    if args.database_a:
        _copy_sessions(list(sessions.values()), args.database_a)
        args.env_a.append(f"DATABASE_URL={args.database_a}")
    for code in (args.a, args.b):
        # DEBUG is off: each folder serves its own collected static files.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=code,
            env={**os.environ, "PYTHONPATH": str(code.resolve())},
            check=True,
        )
    with tempfile.TemporaryDirectory() as folder:
        logs = {"A": Path(folder) / "a", "B": Path(folder) / "b"}
        with (
            gunicorn(
                port=free_port(),
                workers=1,
                code=args.a.resolve(),
                env={"BENCH_REQUEST_LOG": str(logs["A"]), **_settings(args.env_a)},
            ) as (url_a, _),
            gunicorn(
                port=free_port(),
                workers=1,
                code=args.b.resolve(),
                env={"BENCH_REQUEST_LOG": str(logs["B"]), **_settings(args.env_b)},
            ) as (url_b, _),
        ):
            urls = {"A": url_a, "B": url_b}
            # Warm-up: templates compiled, connections made; then the log starts afresh.
            for role, path in pages:
                for version in "AB":
                    _get(urls[version], path, sessions[role])
            time.sleep(0.5)
            for log in logs.values():
                for path in log.parent.glob(f"{log.name}.*"):
                    path.unlink()
            for number in range(args.rounds):
                for role, path in pages:
                    order = "AB" if number % 2 == 0 else "BA"
                    for version in order:
                        _get(urls[version], path, sessions[role])
            time.sleep(0.5)
        results = {version: _medians(log) for version, log in logs.items()}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'page':<46} {'CPU ms A/B':>15} {'wall ms A/B':>15} {'queries':>9} {'KB A/B':>13}")
    for key in results["A"]:
        a, b = results["A"][key], results["B"].get(key)
        if b is None:
            continue
        print(
            f"{key[:46]:<46} {a['cpu_ms']:>7}/{b['cpu_ms']:<7} {a['wall_ms']:>7}/{b['wall_ms']:<7}"
            f" {a['queries']:>4.0f}/{b['queries']:<4.0f} "
            f"{a['bytes'] / 1000:>6.1f}/{b['bytes'] / 1000:<6.1f}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
