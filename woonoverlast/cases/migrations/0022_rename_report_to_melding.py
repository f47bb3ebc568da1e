"""A melding is never called a report: the model Report becomes Melding (table cases_melding).

RenameModel renames the table and (through django.contrib.contenttypes) the content type; the
audit log stores the verbose name ("melding"), which stays. The permissions are renamed here
(view_report -> view_melding, ...), so the role groups and users keep their rights. The
partial index gets the model's name (RenameIndex: no rebuild)."""

import django.db.models.deletion
from django.db import migrations, models

from woonoverlast.common.migration_helpers import rename_model_permissions


def forwards(apps, schema_editor):
    rename_model_permissions(
        apps, app_label="cases", old="report", new="melding", verbose_name="melding"
    )


def backwards(apps, schema_editor):
    rename_model_permissions(
        apps, app_label="cases", old="melding", new="report", verbose_name="melding"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cases", "0021_casefiguresversion"),
        # The migrations that point at cases.Report by that name come first.
        ("documents", "0001_initial"),
        ("intake", "0002_koppeling_role_and_texts"),
    ]

    operations = [
        migrations.RenameModel(old_name="Report", new_name="Melding"),
        migrations.AlterField(
            model_name="melding",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meldingen",
                to="cases.case",
                verbose_name="casus",
            ),
        ),
        migrations.RenameIndex(
            model_name="melding",
            new_name="melding_personal_data_idx",
            old_name="report_personal_data_idx",
        ),
        migrations.RunPython(forwards, backwards),
    ]
