from django.db import migrations, models


def mark_the_closed_cases_actions(apps, schema_editor):
    """The actions of the cases closed now (services.open_follow_ups keeps them after)."""
    Action = apps.get_model("cases", "Action")
    Action.objects.filter(case__status="closed").update(case_open=False)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_action_month"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="case_open",
            field=models.BooleanField(
                default=True, editable=False, verbose_name="bij een lopende casus"
            ),
        ),
        migrations.RunPython(mark_the_closed_cases_actions, migrations.RunPython.noop),
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
