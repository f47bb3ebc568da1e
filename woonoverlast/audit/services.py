"""The one way rows leave the audit log: log-in and log-out events older than six months
(Selectielijst 2020, 19.1.24 'Login-gegevens': vernietigen na 6 maanden), deleted only by the
approved vernietigingslijst of the archiving app (archiving.services.destruction_list_execute),
which records the run and its verklaring van vernietiging. Nothing else leaves the log."""

import datetime

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditAction, AuditEvent

LOGIN_EVENTS = (AuditAction.LOGIN, AuditAction.LOGOUT)
KEPT_MONTHS = 6


def login_events_before(cutoff: datetime.datetime) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(action__in=LOGIN_EVENTS, at__lt=cutoff)


def login_events_purge(*, before: datetime.datetime, by=None) -> int:
    """Delete the log-in and log-out events before `before` (at least six months ago);
    returns how many. On PostgreSQL through the database function of migration 0005, the
    only path its triggers let through."""
    if before > timezone.now() - datetime.timedelta(days=181):
        raise ValueError("Inloggegevens worden zes maanden bewaard.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT audit_purge_login_events(%s)", [before])
            return cursor.fetchone()[0]
        cursor.execute(
            f"DELETE FROM {AuditEvent._meta.db_table} WHERE action IN (%s, %s) AND at < %s",
            [*LOGIN_EVENTS, connection.ops.adapt_datetimefield_value(before)],
        )
        return cursor.rowcount
