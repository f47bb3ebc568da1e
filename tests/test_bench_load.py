"""The load tests' verdicts and the profile's split (bench/load.py, bench/profile.py): what
`make bench` prints as PASS or FAIL, checked on made-up Locust and py-spy output."""

import csv
import json

from bench import load, profile

HEADER = ["Type", "Name", "Request Count", "Failure Count", "Requests/s", "50%", "95%", "99%"]


def _stats(tmp_path, rows):
    path = tmp_path / "stats.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_a_daily_page_passes_below_300_ms_and_fails_at_it(tmp_path):
    pages, total = load._pages(
        _stats(
            tmp_path,
            [
                ["GET", "Mijn casussen", 100, 0, 5, 80, 299, 400],
                ["GET", "Termijnen (eigen)", 100, 0, 5, 80, 300, 400],
                ["", "Aggregated", 200, 0, 10, 80, 300, 400],
            ],
        )
    )
    assert pages["GET Mijn casussen"]["pass"] is True
    assert pages["GET Termijnen (eigen)"]["pass"] is False
    assert total["requests_per_second"] == 10


def test_one_failure_fails_a_page_whatever_its_time(tmp_path):
    pages, _ = load._pages(_stats(tmp_path, [["GET", "Zoeken", 100, 1, 5, 10, 20, 30]]))
    assert pages["GET Zoeken"]["pass"] is False


def test_the_yearly_report_has_its_own_target_in_the_mix(tmp_path):
    rows = [
        ["GET", "Tabel 5.1 (jaarrapport)", 10, 0, 1, 500, 999, 1200],
        ["GET", "Tabel 5.1 XLSX (jaarexport)", 10, 0, 1, 500, 5000, 6000],
    ]
    mix, _ = load._pages(_stats(tmp_path, rows), yearly_report_ms=1000)
    assert mix["GET Tabel 5.1 (jaarrapport)"]["target_p95_ms"] == 1000
    assert mix["GET Tabel 5.1 (jaarrapport)"]["pass"] is True
    assert mix["GET Tabel 5.1 XLSX (jaarexport)"]["target_p95_ms"] is None
    assert mix["GET Tabel 5.1 XLSX (jaarexport)"]["pass"] is True
    rows[0][6] = 1000
    mix, _ = load._pages(_stats(tmp_path, rows), yearly_report_ms=1000)
    assert mix["GET Tabel 5.1 (jaarrapport)"]["pass"] is False
    # The working day's test judges the yearly report by its errors only.
    day, _ = load._pages(_stats(tmp_path, rows))
    assert day["GET Tabel 5.1 (jaarrapport)"]["pass"] is True


def test_the_profile_splits_request_samples_and_leaves_out_idle_workers(tmp_path):
    request = "process 1;handle_request (gunicorn/workers/sync.py:1);view (app.py:2)"
    raw = tmp_path / "profile.txt"
    raw.write_text(
        "\n".join(
            [
                f"{request};execute (psycopg/cursor.py:3);wait (psycopg/waiting.py:4) 50",
                f"{request};render (django/template/base.py:5) 30",
                f"{request};as_sql (django/db/models/sql/compiler.py:6) 15",
                f"{request} 5",
                "process 1;run (gunicorn/workers/sync.py:7);wait (selectors.py:8) 900",
            ]
        ),
        encoding="utf-8",
    )
    assert profile.split(raw) == {
        "samples": 100,
        "percent": {
            "database": 50.0,
            "template rendering": 30.0,
            "ORM": 15.0,
            "other Python": 5.0,
        },
    }


def test_the_request_log_is_summarised_per_page(tmp_path):
    prefix = tmp_path / "requests"
    lines = [
        {"method": "GET", "path": f"/casussen/WO-2025-{n}/", "query": "", "cpu_ms": n}
        | {"wall_ms": 2 * n, "db_ms": 1, "queries": 9, "bytes": 1000, "status": 200}
        for n in (10, 20, 30)
    ]
    (tmp_path / "requests.11").write_text("\n".join(json.dumps(line) for line in lines[:2]))
    (tmp_path / "requests.12").write_text(json.dumps(lines[2]))
    summary = profile.requests(prefix)
    assert summary["pages"]["GET /casussen/<casus>/"]["requests"] == 3
    assert summary["pages"]["GET /casussen/<casus>/"]["cpu_ms"] == 20
    assert summary["total"] == {"requests": 3, "mean_cpu_ms": 20, "mean_db_ms": 1}
