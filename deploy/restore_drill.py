"""Restore drill: prove that a backup restores to the same figures and the same audit log.

    python deploy/restore_drill.py [--database-url URL] [--drop-original] [--keep]

1. Fingerprint the database: `manage.py tabel51 --jaar Y --doorlopend` for every year from
   the first registration to this year, and an MD5 over the whole audit log in id order.
2. `pg_dump --format=custom` the database (as in docs/deployment.md, Backups).
3. With --drop-original: DROP the original database (the stack test does this, after it has
   stopped the app; never do this on production).
4. `pg_restore` the dump into a new database and fingerprint that.
5. Every table and the audit log must be identical; exit status 1 when they are not.

The restored copy is dropped afterwards unless --keep. Needs the PostgreSQL client tools of
the server's major version (pg_dump, pg_restore) on the PATH or in /usr/lib/postgresql/*/bin.
Prints each step with PASS or FAIL.
"""

import argparse
import datetime
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
AUDIT_HASH_SQL = (
    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '')) "
    "FROM audit_auditevent AS t"
)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        sys.exit(f"{name} not found: install the PostgreSQL client tools")
    return candidates[-1]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_connection(url: str):
    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def fingerprint(url: str) -> dict:
    """Tabel 5.1 of every year (CSV of the management command) and the audit log's hash."""
    with psycopg.connect(url) as connection:
        first = connection.execute("SELECT min(registered_on) FROM cases_case").fetchone()[0]
        count, audit_md5 = connection.execute(AUDIT_HASH_SQL).fetchone()
    this_year = datetime.date.today().year
    years = range(first.year if first else this_year, this_year + 1)
    tables = {}
    environment = {**os.environ, "DATABASE_URL": url}
    environment.pop("DATABASE_REPLICA_URL", None)  # the copy has no replica
    for year in years:
        result = subprocess.run(
            [sys.executable, "manage.py", "tabel51", "--jaar", str(year), "--doorlopend"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            check=True,
        )
        tables[year] = hashlib.sha256(result.stdout).hexdigest()
    return {"tables": tables, "audit_events": count, "audit_md5": audit_md5}


def step(ok: bool, text: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {text}", flush=True)
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--drop-original", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    args = parser.parse_args(argv)
    url = args.database_url
    if not url.startswith(("postgres://", "postgresql://")):
        print("FAIL  restore drill: DATABASE_URL must name a PostgreSQL database")
        return 1
    source = database_name(url)
    copy = f"{source}_herstel_{datetime.datetime.now():%Y%m%d%H%M%S}"
    copy_url = with_database(url, copy)

    before = fingerprint(url)
    ok = step(
        bool(before["tables"]),
        f"fingerprint of {source}: Tabel 5.1 of {len(before['tables'])} years "
        f"({min(before['tables'])}-{max(before['tables'])}), "
        f"{before['audit_events']} audit events",
    )
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / f"{source}.dump"
        subprocess.run(
            [tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", url], check=True
        )
        ok &= step(dump.stat().st_size > 0, f"pg_dump: {dump.stat().st_size:,} bytes")
        if args.drop_original:
            with admin_connection(url) as connection:
                connection.execute(f'DROP DATABASE "{source}" WITH (FORCE)')
            ok &= step(True, f"dropped database {source}")
        with admin_connection(url) as connection:
            connection.execute(f'CREATE DATABASE "{copy}"')
        subprocess.run(
            [tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={copy_url}", dump],
            check=True,
        )
        ok &= step(True, f"pg_restore into the new database {copy}")

    after = fingerprint(copy_url)
    for year, digest in before["tables"].items():
        ok &= step(after["tables"].get(year) == digest, f"Tabel 5.1 {year} identical")
    ok &= step(
        (after["audit_events"], after["audit_md5"])
        == (before["audit_events"], before["audit_md5"]),
        f"audit log identical ({after['audit_events']} events, md5 {after['audit_md5']})",
    )
    if not args.keep:
        with admin_connection(url) as connection:
            connection.execute(f'DROP DATABASE "{copy}"')
    print(f"restore drill: {'PASS' if ok else 'FAIL'}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
