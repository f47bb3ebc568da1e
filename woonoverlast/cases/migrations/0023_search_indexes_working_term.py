"""The street's trigram index holds the case's closing date for the working term too.

The case list keeps to the working term (services.retention.within_working_term: the closing
date, or OPEN_CASE_CLOSING for an open case, on or after the limit). With the street's trigrams
alone PostgreSQL read every case of a street (50,000 at the benchmark's million cases, 21,700
heap pages) to test that condition; with the closing date in the same GIN index (btree_gin) it
reads only those in the working term (docs/performance.md). The expression must stay exactly
`working_term_closing()`'s: COALESCE(closed_on, '9999-12-31'::date); tests/test_search.py
checks on PostgreSQL that the search uses the index for both.

Only the street's: the date's part of such an index costs about 9 ms per search at a million
cases whatever the text, which pays where a text matches tens of thousands of cases (a
street) and not where it matches few (a reference, a postcode: their indexes stay as 0006 made
them). PostgreSQL only, as the index it replaces (0006); a query on the street alone (the list
with "ook archief") still uses it, by its first column.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Django's BtreeGinExtension, reversed, asks SQLite for PostgreSQL's catalogue.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS case_street_term_trgm_idx ON cases_case USING gin "
        "(UPPER(street::text) gin_trgm_ops, COALESCE(closed_on, '9999-12-31'::date))"
    )
    schema_editor.execute("DROP INDEX IF EXISTS case_street_trgm_idx")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS case_street_trgm_idx ON cases_case "
        "USING gin (UPPER(street::text) gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS case_street_term_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0022_rename_report_to_melding"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
