"""Indexes the benchmark called for (docs/performance.md).

- Upper(reference): the services check a new reference with reference__iexact; without an
  index each check scanned every case.
- PostgreSQL only: trigram GIN indexes on UPPER(reference / street / postcode), which the case
  list's text search (icontains: UPPER(col) LIKE UPPER('%text%')) can use. SQLite has no such
  index type; there the migration skips them.
"""

import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_COLUMNS = ("reference", "street", "postcode")


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS case_{column}_trgm_idx ON cases_case "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS case_{column}_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_action_type_nazorg"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                django.db.models.functions.text.Upper("reference"),
                name="case_reference_upper_idx",
            ),
        ),
        # Does nothing on other databases.
        TrigramExtension(),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
