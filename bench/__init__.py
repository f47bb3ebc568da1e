"""Benchmarks: a data generator and the measurements (see docs/performance.md).

The benchmark database is its own: BENCH_DATABASE_URL (default below), never DATABASE_URL,
so that a developer's DATABASE_URL in the environment or .env cannot point the generator at
real data. A database the generator fills is marked as benchmark data (a comment on the
database); the generator and the benchmark refuse a database that has cases without the mark.
"""

import os

BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/woonoverlast_bench"
BENCH_MARK = "woonoverlast benchmark data: generated, no real cases"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", BENCH_DATABASE_URL)


def setup_django() -> None:
    """Set up Django on the benchmark database (created and migrated when missing)."""
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonoverlast.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("AXES_ENABLED", "false")
    os.environ.pop("CELERY_BROKER_URL", None)
    _create_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def is_marked(cursor) -> bool:
    """True when the current database carries the benchmark mark."""
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        "WHERE datname = current_database()"
    )
    row = cursor.fetchone()
    return bool(row and row[0] == BENCH_MARK)


def mark(cursor) -> None:
    cursor.execute("SELECT current_database()")
    name = cursor.fetchone()[0].replace('"', '""')
    cursor.execute(f"COMMENT ON DATABASE \"{name}\" IS '{BENCH_MARK}'")


def _create_database(url: str) -> None:
    import psycopg
    from environ import Env

    config = Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("The benchmarks need PostgreSQL (BENCH_DATABASE_URL).")
    admin = psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            name = config["NAME"].replace('"', '""')
            admin.execute(f'CREATE DATABASE "{name}"')
            admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{BENCH_MARK}'")
