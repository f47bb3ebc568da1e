"""A melding is never called a report: a document's link to a melding of its case, `report`,
becomes `melding` (column melding_id)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0022_rename_report_to_melding"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="document", old_name="report", new_name="melding"),
    ]
