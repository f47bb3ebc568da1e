"""Where a request's time goes under load: the py-spy profile and the request log of the
benchmark's gunicorn workers (bench/load.py with a profile, bench/ab.py), summarised.

    python -m bench.profile PROFILE.txt      # the split of a saved profile

`split` reads py-spy's collapsed stacks (`--format raw --idle`) and puts every sample of a
worker that is handling a request in one of four parts, the first that applies:

- database: a frame of the driver (psycopg) is on the stack: the round trip and PostgreSQL's
  work, as the worker waits for it, and the driver's own conversion of the rows;
- template rendering: a frame of django/template (rendering, not counting its queries);
- ORM: a frame of django/db (building SQL, making model instances of rows);
- other Python: the rest (middleware, views, forms, sessions, writing the response).

Samples of a worker waiting for its next request (no frame of gunicorn's handle_request) and
of the master are left out.
"""

import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

PARTS = ("database", "template rendering", "ORM", "other Python")


# A frame's file as py-spy writes it: "function (path/to/file.py:line)", the path shortened
# to below site-packages unless --full-filenames.
_DATABASE = re.compile(r"[(/](psycopg|psycopg_binary|psycopg_pool)/")
_TEMPLATE = re.compile(r"[(/]django/template/")
_ORM = re.compile(r"[(/]django/db/")


def _part(stack: str) -> str | None:
    if "handle_request (" not in stack:
        return None
    if _DATABASE.search(stack):
        return "database"
    if _TEMPLATE.search(stack):
        return "template rendering"
    if _ORM.search(stack):
        return "ORM"
    return "other Python"


def split(raw: Path) -> dict:
    """The share of each part in the samples of workers handling requests, in %."""
    counts = Counter()
    for line in Path(raw).read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        part = _part(stack)
        if part:
            counts[part] += int(number)
    total = sum(counts.values()) or 1
    return {
        "samples": sum(counts.values()),
        "percent": {part: round(100 * counts[part] / total, 1) for part in PARTS},
    }


_CASE = re.compile(r"/WO-\d+-\d+/")


def page_of(line: dict) -> str:
    """A request's page: its method and path with the case reference left out, and the
    names of its query parameters."""
    path = _CASE.sub("/<casus>/", line["path"])
    keys = sorted({part.split("=")[0] for part in line.get("query", "").split("&") if part})
    return f"{line['method']} {path}" + (f"?{'&'.join(keys)}" if keys else "")


def requests(prefix: Path) -> dict:
    """Per page, from the request log of bench/gunicorn_bench.py: how many, and the median CPU
    time in the worker, wall time, time in the database driver, queries and bytes; and the
    mean CPU time of all requests (a core's work per request)."""
    pages = defaultdict(list)
    for path in Path(prefix).parent.glob(f"{Path(prefix).name}.*"):
        for text in path.read_text(encoding="utf-8").splitlines():
            line = json.loads(text)
            pages[page_of(line)].append(line)
    result = {}
    for page, lines in sorted(pages.items()):
        result[page] = {"requests": len(lines)} | {
            key: round(statistics.median(line[key] for line in lines), 1)
            for key in ("cpu_ms", "wall_ms", "db_ms", "queries", "bytes")
        }
    every = [line for lines in pages.values() for line in lines]
    total = {
        "requests": len(every),
        "mean_cpu_ms": round(statistics.mean(line["cpu_ms"] for line in every), 1) if every else 0,
        "mean_db_ms": round(statistics.mean(line["db_ms"] for line in every), 1) if every else 0,
    }
    return {"total": total, "pages": result}


if __name__ == "__main__":
    print(json.dumps(split(Path(sys.argv[1])), indent=2))
