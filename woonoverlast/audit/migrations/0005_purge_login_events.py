"""The one exception to the append-only audit log: log-in and log-out events older than six
months may be deleted (Selectielijst 2020, 19.1.24 'Login-gegevens': vernietigen na 6
maanden), and only through audit_purge_login_events(), which the approved vernietigingslijst
of the archiving app calls (woonoverlast/audit/services.py).

PostgreSQL: the row trigger lets a DELETE through only for a login/logout row while the
function runs (it sets `woonoverlast.audit_purge` for its own statement); the function runs
as its owner (SECURITY DEFINER), so the app's role needs no DELETE privilege on the table and
keeps none (docs/privacy.md). It refuses a limit within the last six months.
SQLite has no DELETE trigger (0002); the service deletes with plain SQL there.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.action IN ('login', 'logout')
       AND coalesce(current_setting('woonoverlast.audit_purge', true), '') = 'allow' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION audit_purge_login_events(before timestamptz) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    removed integer;
BEGIN
    IF before > now() - interval '6 months' THEN
        RAISE EXCEPTION 'log-in events are kept six months';
    END IF;
    PERFORM set_config('woonoverlast.audit_purge', 'allow', true);
    DELETE FROM audit_auditevent WHERE action IN ('login', 'logout') AND at < before;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('woonoverlast.audit_purge', '', true);
    RETURN removed;
END;
$$;
"""
BACKWARD = """
DROP FUNCTION IF EXISTS audit_purge_login_events(timestamptz);
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_merge_route_truncate")]

    operations = [migrations.RunPython(forward, backward)]
