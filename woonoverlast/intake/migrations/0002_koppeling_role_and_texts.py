"""The role koppeling (a group, like the three roles of accounts 0002) and the default texts of
the messages to melders (as they read when this migration was written), so that team leaders
find them in the admin to edit."""

from django.db import migrations


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="koppeling")
    FeedbackTemplate = apps.get_model("intake", "FeedbackTemplate")
    from woonoverlast.intake.services.feedback import DEFAULT_TEXTS

    for kind, (subject, body) in DEFAULT_TEXTS.items():
        FeedbackTemplate.objects.get_or_create(
            kind=str(kind), defaults={"subject": subject, "body": body}
        )


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="koppeling").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("accounts", "0002_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, remove)]
