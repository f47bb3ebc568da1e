from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_action_case_open"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "open")),
                fields=[
                    "district",
                    "housing_type",
                    "complexity",
                    "casemanager",
                    "registered_on",
                    "last_activity_on",
                    "status",
                    "id",
                ],
                name="case_open_counts_idx",
            ),
        ),
    ]
