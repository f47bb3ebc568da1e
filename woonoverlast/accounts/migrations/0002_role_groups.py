"""The three roles as groups. Their admin permissions are kept in step after every migrate
by accounts.roles.sync_role_permissions (permissions do not exist yet on a fresh database)."""

from django.db import migrations

ROLES = ["casemanager", "teamleider", "rapportage"]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
