from django.db import migrations, models


def mark_the_open_cases_actions(apps, schema_editor):
    """The actions of the cases open now (services.open_follow_ups keeps them after). Most
    actions belong to closed cases, so the column is added as False for all of them (no
    rewrite of the table on PostgreSQL) and only the open cases' actions are updated."""
    Action = apps.get_model("cases", "Action")
    Action.objects.filter(case__status="open").update(case_open=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_action_month"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="case_open",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="bij een lopende casus"
            ),
        ),
        migrations.RunPython(mark_the_open_cases_actions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="action",
            name="case_open",
            field=models.BooleanField(
                default=True, editable=False, verbose_name="bij een lopende casus"
            ),
        ),
        migrations.RemoveIndex(
            model_name="action",
            name="action_follow_up_open_idx",
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(
                    ("case_open", True),
                    ("follow_up_done_on__isnull", True),
                    ("follow_up_on__isnull", False),
                    ("withdrawn_at__isnull", True),
                ),
                fields=["follow_up_on", "case", "id"],
                name="action_follow_up_pending_idx",
            ),
        ),
    ]
