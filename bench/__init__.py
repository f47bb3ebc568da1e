"""Benchmarks: a data generator and the measurements of issue 7 (see docs/performance.md)."""

import os

BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/woonoverlast_bench"


def setup_django() -> None:
    """Set up Django on the benchmark database (created and migrated when missing)."""
    os.environ.setdefault("DATABASE_URL", BENCH_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonoverlast.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    _create_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _create_database(url: str) -> None:
    import psycopg
    from environ import Env

    config = Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return
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
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
