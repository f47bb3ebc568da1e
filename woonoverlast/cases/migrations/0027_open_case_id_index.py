"""The team's pending follow-ups meet their open cases in a merge of two index-only scans.

followups.selection counts the team's pending follow-ups per casemanager: each follow-up
joined to its case for the casemanager. PostgreSQL hashed all 63,000 open cases for it (20 of
the query's 30 ms at 1,000,000 cases); with the open cases in the order of their id, beside
action_case_pending_idx in the order of the case, it merges the two (docs/performance.md).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0026_action_case_pending_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "open")),
                fields=["id", "casemanager"],
                name="case_open_id_idx",
            ),
        ),
    ]
