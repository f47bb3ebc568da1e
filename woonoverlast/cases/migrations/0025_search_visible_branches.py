"""A casemanager's search reads only the cases they may see (docs/performance.md).

cases.querysets.text_condition writes the address out twice for a casemanager, by the
closed-case rule (accounts.roles.cases_with_visible_parties): on the open cases, and on the
rest they may see (their own, those they registered, those they were granted). Each gets an
index here:

- the open cases' street: a trigram index of the open cases only (PostgreSQL, as the other
  trigram indexes), so a street's 3,000 open cases are found without its 13,000 in the
  working term;
- a casemanager's and a registrant's cases in the working term: the user with the closing
  date of querysets.working_term_closing();
- the grants: `id = ANY(ARRAY(...))`, the primary key.

The two new indexes begin with the foreign keys' columns, so the foreign keys' own indexes
go (db_index=False): the same number of indexes to write. Their constraints stay as they
are (Django's AlterField would drop and re-validate them on every case).
"""

import datetime

import django.db.models.deletion
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models

FOREIGN_KEY_INDEXES = {
    "casemanager": "cases_case_casemanager_id_9063bfc4",
    "created_by": "cases_case_created_by_id_91d115ec",
}


def create_open_street_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS case_open_street_trgm_idx ON cases_case USING gin "
        "(UPPER(street::text) gin_trgm_ops) WHERE status = 'open'"
    )


def drop_open_street_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS case_open_street_trgm_idx")


def _foreign_key(related_name, verbose_name, db_index):
    return models.ForeignKey(
        blank=True,
        db_index=db_index,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to=settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
    )


def _term_index(field, name):
    return models.Index(
        models.F(field),
        django.db.models.functions.comparison.Coalesce(
            "closed_on", models.Value(datetime.date(9999, 12, 31))
        ),
        name=name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0024_opencasesversion"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case", index=_term_index("casemanager", "case_casemanager_term_idx")
        ),
        migrations.AddIndex(
            model_name="case", index=_term_index("created_by", "case_created_by_term_idx")
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="casemanager",
                    field=_foreign_key("assigned_cases", "casemanager", db_index=False),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="created_by",
                    field=_foreign_key("+", "aangemaakt door", db_index=False),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {index}",
                    f'CREATE INDEX IF NOT EXISTS {index} ON cases_case ("{field}_id")',
                )
                for field, index in FOREIGN_KEY_INDEXES.items()
            ],
        ),
        migrations.RunPython(create_open_street_index, drop_open_street_index),
    ]
