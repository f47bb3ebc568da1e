"""The ketenpartner role as a group (casusoverleg: a partner organisation's contact)."""

from django.db import migrations


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="ketenpartner")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_sso_identity")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
