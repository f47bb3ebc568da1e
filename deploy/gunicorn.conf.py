"""gunicorn settings for Woonoverlast (`gunicorn -c deploy/gunicorn.conf.py woonoverlast.wsgi`).

One gunicorn instance per systemd unit `woonoverlast-web@PORT` (deploy/systemd); nginx spreads
requests over the instances and skips one that is down. Values come from the environment so
the same file serves every instance:

- GUNICORN_BIND      default 127.0.0.1:8001 (the unit sets 127.0.0.1:%i)
- GUNICORN_WORKERS   default 2 x cores + 1, at most 8: the app is I/O bound on PostgreSQL
- GUNICORN_TIMEOUT   default 60 s: a worker silent this long is killed and replaced. The
                     slowest page (Tabel 5.1 with the comparison) takes well under 2 s at
                     1,000,000 cases (docs/performance.md); big exports run in Celery.
- GUNICORN_MAX_REQUESTS default 2000 (with jitter): workers are renewed now and then.

Graceful reload (new code, no dropped requests): `systemctl reload woonoverlast-web@8001`
sends HUP: gunicorn starts new workers with the new code and lets the old ones finish their
requests (up to graceful_timeout) before they stop.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", min(8, multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# nginx keeps connections to the instances open (upstream keepalive).
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# Load the app in each worker, not in the master: a HUP then really loads new code.
preload_app = False
# Each request is logged once by the app itself (JSON, with the request id, without the query
# string); gunicorn's own access log would repeat it with the query string, so it is off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# nginx sets X-Forwarded-For/-Proto; only trust them from nginx on this machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "woonoverlast")

# gunicorn's own lines (start, stop, a worker killed) in the app's format: JSON in production.
from woonoverlast.logs import logging_config  # noqa: E402

logconfig_dict = logging_config(
    level=loglevel.upper(), log_format=os.environ.get("LOG_FORMAT", "json")
)
logconfig_dict["loggers"]["gunicorn.error"] = {
    "handlers": ["console"],
    "level": loglevel.upper(),
    "propagate": False,
}
