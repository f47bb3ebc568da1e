"""A melding is never called a report: IncomingReport becomes IntakeMelding (table
intake_intakemelding), its link to the case's melding `report` becomes `melding`, and the
message's link `incoming_report` becomes `intake_melding`.

RenameModel renames the table and the content type; the audit log stores the verbose name
("binnengekomen melding"), which stays. The permissions are renamed here, so the role groups
and users keep their rights. The indexes are renamed in place; the constraints named after
the old table are made again under the new name (PostgreSQL could rename them, SQLite cannot:
one way for both, on a table the size of a few years' meldingen)."""

import django.db.models.deletion
from django.db import migrations, models

from woonoverlast.common.migration_helpers import rename_model_permissions

OLD, NEW = "incomingreport", "intakemelding"
VERBOSE_NAME = "binnengekomen melding"


def forwards(apps, schema_editor):
    rename_model_permissions(apps, app_label="intake", old=OLD, new=NEW, verbose_name=VERBOSE_NAME)


def backwards(apps, schema_editor):
    rename_model_permissions(apps, app_label="intake", old=NEW, new=OLD, verbose_name=VERBOSE_NAME)


def constraints(prefix):
    return [
        models.UniqueConstraint(
            condition=models.Q(("external_reference", ""), _negated=True),
            fields=("koppeling", "external_reference"),
            name=f"{prefix}_one_per_external_reference",
        ),
        models.CheckConstraint(
            condition=models.Q(
                models.Q(
                    ("handled_at__isnull", False),
                    ("status", "afgehandeld"),
                    models.Q(("outcome", ""), _negated=True),
                ),
                models.Q(("outcome", ""), ("status__in", ["ontvangen", "in_behandeling"])),
                _connector="OR",
            ),
            name=f"{prefix}_outcome_iff_handled",
        ),
        models.CheckConstraint(
            condition=models.Q(
                models.Q(("case__isnull", False), ("outcome__in", ["toegevoegd", "nieuwe_casus"])),
                models.Q(("outcome__in", ["toegevoegd", "nieuwe_casus"]), _negated=True),
                _connector="OR",
            ),
            name=f"{prefix}_case_for_case_outcomes",
        ),
        models.CheckConstraint(
            condition=models.Q(
                models.Q(("outcome", "doorverwezen"), ("partner__isnull", False)),
                models.Q(("outcome", "doorverwezen"), _negated=True),
                _connector="OR",
            ),
            name=f"{prefix}_partner_when_referred",
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cases", "0022_rename_report_to_melding"),
        ("intake", "0002_koppeling_role_and_texts"),
    ]

    operations = [
        *[
            migrations.RemoveConstraint(model_name="incomingreport", name=constraint.name)
            for constraint in constraints("incomingreport")
        ],
        migrations.RenameModel(old_name="IncomingReport", new_name="IntakeMelding"),
        migrations.RenameField(model_name="intakemelding", old_name="report", new_name="melding"),
        migrations.AlterField(
            model_name="intakemelding",
            name="melding",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="intake_melding",
                to="cases.melding",
                verbose_name="melding bij casus",
            ),
        ),
        migrations.AlterField(
            model_name="intakemelding",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="intake_meldingen",
                to="cases.case",
                verbose_name="casus",
            ),
        ),
        migrations.RenameIndex(
            model_name="intakemelding",
            new_name="intakemelding_status_idx",
            old_name="incomingreport_status_idx",
        ),
        migrations.RenameIndex(
            model_name="intakemelding",
            new_name="intakemelding_case_idx",
            old_name="incomingreport_case_idx",
        ),
        *[
            migrations.AddConstraint(model_name="intakemelding", constraint=constraint)
            for constraint in constraints("intakemelding")
        ],
        # The message's link: the column is renamed. The unique constraint names the field, so
        # it is made again around the rename (SQLite remakes the table from Django's state).
        migrations.RemoveConstraint(model_name="reportermessage", name="reportermessage_once"),
        migrations.RenameField(
            model_name="reportermessage", old_name="incoming_report", new_name="intake_melding"
        ),
        migrations.AddConstraint(
            model_name="reportermessage",
            constraint=models.UniqueConstraint(
                fields=("intake_melding", "kind", "occasion"), name="reportermessage_once"
            ),
        ),
        migrations.AlterModelOptions(
            name="reportermessage",
            options={
                "ordering": ["intake_melding", "sent_at"],
                "verbose_name": "bericht aan melder",
                "verbose_name_plural": "berichten aan melders",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
