"""The user's and the case's own indexes go from the audit log: audit_actor_idx and
audit_case_idx begin with them and serve every lookup by either. Every write of the product
writes an audit row, and wrote it into both (docs/performance.md). The foreign keys'
constraints stay as they are (Django's AlterField would drop and re-validate them on every
row)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_purge_login_events"),
        ("cases", "0028_redundant_case_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="audit_events",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="gebruiker",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="case",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="audit_events",
                        to="cases.case",
                        verbose_name="casus",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS audit_auditevent_actor_id_270bb4b7",
                    "CREATE INDEX IF NOT EXISTS audit_auditevent_actor_id_270bb4b7 "
                    'ON audit_auditevent ("actor_id")',
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS audit_auditevent_case_id_e19cbaff",
                    "CREATE INDEX IF NOT EXISTS audit_auditevent_case_id_e19cbaff "
                    'ON audit_auditevent ("case_id")',
                ),
            ],
        ),
    ]
