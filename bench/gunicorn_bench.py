"""gunicorn settings of the benchmark's servers (bench/load.py, bench/ab.py).

With BENCH_REQUEST_LOG set, every worker appends one JSON line per request to
`<BENCH_REQUEST_LOG>.<pid>`: the path, the CPU time the worker spent on it
(`time.process_time`: what contention from other processes does not inflate much), the wall
time, the time spent inside the database driver's execute (database round trips, server work
included), the number of queries and the bytes of the response. Without it the hooks do nothing.
"""

import json
import os
import time

worker_class = "sync"
accesslog = None
loglevel = "warning"

LOG = os.environ.get("BENCH_REQUEST_LOG", "")
_request = {"db": 0.0, "queries": 0}


def _count(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        _request["db"] += time.perf_counter() - started
        _request["queries"] += 1


def post_worker_init(worker):
    if not LOG:
        return
    from django.db.backends.signals import connection_created

    def wrap(sender, connection, **kwargs):
        if _count not in connection.execute_wrappers:
            connection.execute_wrappers.append(_count)

    connection_created.connect(wrap, weak=False)


def pre_request(worker, req):
    if LOG:
        _request.update(db=0.0, queries=0, cpu=time.process_time(), wall=time.perf_counter())


def post_request(worker, req, environ, resp):
    if not LOG or "cpu" not in _request:
        return
    line = {
        "method": req.method,
        "path": req.path,
        "query": req.query,
        "status": resp.status_code,
        "cpu_ms": round((time.process_time() - _request["cpu"]) * 1000, 2),
        "wall_ms": round((time.perf_counter() - _request["wall"]) * 1000, 2),
        "db_ms": round(_request["db"] * 1000, 2),
        "queries": _request["queries"],
        "bytes": resp.sent,
    }
    with open(f"{LOG}.{os.getpid()}", "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")
