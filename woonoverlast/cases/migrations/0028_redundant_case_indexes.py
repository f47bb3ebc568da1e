"""The case's own index goes from the status history and the categories' and ketenpartners'
link tables: an index beginning with the case serves every lookup by case on each
(statuschange_case_idx, and the link tables' unique (case, category) and (case, partner)).
Every registration, closing and import wrote each row into both; the import of 100,000
rows was a tenth faster without them (docs/performance.md). The foreign keys' constraints
stay as they are (Django's AlterField would drop and re-validate them on every row).

The link tables are Django's own (no model in the migrations' state): their index goes by
SQL alone, which Django's later changes to these fields tolerate (they find indexes by
introspection).
"""

import django.db.models.deletion
from django.db import migrations, models

REDUNDANT = {
    "cases_statuschange_case_id_82855202": "cases_statuschange",
    "cases_case_categories_case_id_cd91cad3": "cases_case_categories",
    "cases_case_partners_case_id_4e6068b4": "cases_case_partners",
}


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0027_open_case_id_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="statuschange",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="status_changes",
                        to="cases.case",
                        verbose_name="casus",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {index}",
                    f'CREATE INDEX IF NOT EXISTS {index} ON {table} ("case_id")',
                )
                for index, table in REDUNDANT.items()
            ],
        ),
    ]
