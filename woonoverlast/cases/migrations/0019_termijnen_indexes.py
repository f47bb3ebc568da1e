from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_case_open_counts_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "closed")),
                fields=["closed_on"],
                name="case_closed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("next_review_on__isnull", False), ("status", "open")),
                fields=["next_review_on"],
                name="case_review_idx",
            ),
        ),
    ]
