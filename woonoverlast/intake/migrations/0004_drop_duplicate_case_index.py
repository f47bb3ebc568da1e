"""The melding's case had two identical indexes: the foreign key's own and
intakemelding_case_idx. The foreign key's stays (tests/test_indexes.py: no two indexes
are the same)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_rename_incomingreport_to_intakemelding"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="intakemelding",
            name="intakemelding_case_idx",
        ),
    ]
