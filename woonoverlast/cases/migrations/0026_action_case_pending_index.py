"""A casemanager's due list reads the pending follow-ups of their open cases from an index.

The due list (followups.selection) joins a casemanager's 1,600 open cases to their pending
follow-ups; without this index each case read all its actions (docs/performance.md). The
foreign key's own index goes (action_case_idx begins with the case too); its constraint
stays as it is (Django's AlterField would drop and re-validate it on every action).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0025_search_visible_branches"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(
                    ("case_open", True),
                    ("follow_up_done_on__isnull", True),
                    ("follow_up_on__isnull", False),
                    ("withdrawn_at__isnull", True),
                ),
                fields=["case", "follow_up_on"],
                include=("id", "performed_on", "action_type"),
                name="action_case_pending_idx",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="action",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="cases.case",
                        verbose_name="casus",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS cases_action_case_id_ff9ad67d",
                    "CREATE INDEX IF NOT EXISTS cases_action_case_id_ff9ad67d "
                    'ON cases_action ("case_id")',
                ),
            ],
        ),
    ]
