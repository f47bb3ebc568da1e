"""The PDF jobs use the one list of job states (woonoverlast.common.jobs.JobState), as the
Tabel 5.1 exports do: a job waiting for a worker is stored as `wachtend` (it was `wachtrij`
here), and a running one is labelled "Bezig". The rows still waiting are moved to the new
value; backwards they go back."""

from django.db import migrations, models

OLD, NEW = "wachtrij", "wachtend"

STATES = [
    ("geen", "Niet gevraagd"),
    ("wachtend", "In de wachtrij"),
    ("bezig", "Bezig"),
    ("klaar", "Klaar"),
    ("mislukt", "Mislukt"),
    ("niet_beschikbaar", "Niet beschikbaar"),
]


def move(apps, *, old, new):
    apps.get_model("documents", "Document").objects.filter(pdf_state=old).update(pdf_state=new)
    apps.get_model("documents", "DossierExport").objects.filter(state=old).update(state=new)


def forwards(apps, schema_editor):
    move(apps, old=OLD, new=NEW)


def backwards(apps, schema_editor):
    move(apps, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_rename_report_to_melding"),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="pdf_state",
            field=models.CharField(
                choices=STATES, default="geen", max_length=20, verbose_name="PDF-status"
            ),
        ),
        migrations.AlterField(
            model_name="dossierexport",
            name="state",
            field=models.CharField(
                choices=STATES, default="wachtend", max_length=20, verbose_name="status"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
