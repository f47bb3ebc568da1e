"""The search's trigram indexes hold the case's closing date for the working term too.

The case list keeps to the working term (services.retention.within_working_term: the closing
date, or OPEN_CASE_CLOSING for an open case, on or after the limit). With the trigrams alone
PostgreSQL read every case of a street (50,000 at the benchmark's million cases, 21,700 heap
pages) to test that condition; with the closing date in the same GIN index (btree_gin) it reads
only those in the working term (docs/performance.md). The expression must stay exactly
`working_term_closing()`'s: COALESCE(closed_on, '9999-12-31'::date); tests/test_search.py
checks on PostgreSQL that the search uses these indexes.

PostgreSQL only, as the indexes they replace (0006); a query on the text alone (the list with
"ook archief") still uses them, by their first column.
"""

from django.db import migrations

COLUMNS = ("reference", "street", "postcode")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Django's BtreeGinExtension, reversed, asks SQLite for PostgreSQL's catalogue.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS case_{column}_term_trgm_idx ON cases_case USING gin "
            f"(UPPER({column}::text) gin_trgm_ops, COALESCE(closed_on, '9999-12-31'::date))"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS case_{column}_trgm_idx")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS case_{column}_trgm_idx ON cases_case "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS case_{column}_term_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0022_rename_report_to_melding"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
