"""PostgreSQL only: a trigram GIN index on UPPER(party name), for the case list's search on a
party's name (name__icontains: UPPER(name) LIKE UPPER('%text%')), like the case columns' indexes
of 0006. SQLite has no such index type; there the migration does nothing."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS party_name_trgm_idx ON cases_party "
        "USING gin (UPPER(name::text) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS party_name_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_case_last_activity"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
