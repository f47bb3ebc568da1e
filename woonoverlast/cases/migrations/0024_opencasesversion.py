import uuid

from django.db import migrations, models


def create(apps, schema_editor):
    apps.get_model("cases", "OpenCasesVersion").objects.get_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0023_search_indexes_working_term"),
    ]

    operations = [
        migrations.CreateModel(
            name="OpenCasesVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32, verbose_name="versie")),
            ],
            options={
                "verbose_name": "versie van de open casussen",
                "verbose_name_plural": "versie van de open casussen",
            },
        ),
        migrations.RunPython(create, migrations.RunPython.noop),
    ]
