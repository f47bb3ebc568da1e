import uuid

from django.db import migrations, models


def create(apps, schema_editor):
    apps.get_model("cases", "CaseFiguresVersion").objects.get_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_party_roles_right_holders"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseFiguresVersion",
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
                "verbose_name": "versie van de telgegevens",
                "verbose_name_plural": "versie van de telgegevens",
            },
        ),
        migrations.RunPython(create, migrations.RunPython.noop),
    ]
