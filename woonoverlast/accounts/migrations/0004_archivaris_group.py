"""The archivaris role as a group (like the other roles in 0002_role_groups)."""

from django.db import migrations


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="archivaris")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_case_access_grant")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
