"""PostgreSQL also refuses TRUNCATE of the audit log (and so `manage.py flush`, and a TRUNCATE
... CASCADE of a table it points at): the row triggers of 0002 do not fire for TRUNCATE.

The only way past it is a deliberate setting in the same transaction,
`SET LOCAL woonoverlast.audit_truncate = 'allow'`, which the test runner uses to empty its
own test database between tests (tests/conftest.py). The production database role must not
be able to TRUNCATE or change triggers at all (docs/privacy.md, *De databaserol*).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('woonoverlast.audit_truncate', true), '') <> 'allow' THEN
        RAISE EXCEPTION 'audit_auditevent is append-only: TRUNCATE is refused';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_refuse_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(forward, backward)]
