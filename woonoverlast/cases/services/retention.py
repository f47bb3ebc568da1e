"""The bewaartermijn: anonymising the personal data of cases closed long enough ago.

What identifies people goes (names, contact details, addresses, free-text notes: the
PERSONAL_DATA_FIELDS of each model); the facts stay (wijk, housing type, dates, categories,
status history, actions by type and date), so every report reads the same afterwards.
"""

import calendar
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import audit_event, record, record_many

from ..choices import Status
from ..models import Action, Case, Party, Report, StatusChange
from .validation import format_date, today

REMOVED = "[verwijderd na bewaartermijn]"


def retention_limit(on: datetime.date | None = None) -> datetime.date:
    """Cases closed before this date are past the bewaartermijn."""
    on = on or today()
    year, month = divmod(on.year * 12 + on.month - 1 - settings.RETENTION_MONTHS, 12)
    month += 1
    # The same day of the month, or that month's last day (from 31 March to 28 February).
    return datetime.date(year, month, min(on.day, calendar.monthrange(year, month)[1]))


def cases_past_retention(on: datetime.date | None = None) -> QuerySet[Case]:
    """Closed cases whose closing lies before the limit and that still hold personal data."""
    return Case.objects.filter(
        status=Status.CLOSED, closed_on__lt=retention_limit(on), anonymised_at__isnull=True
    ).order_by("closed_on", "id")


@transaction.atomic
def cases_anonymise(*, on: datetime.date | None = None, by=None) -> list[str]:
    """Anonymise every case past the bewaartermijn; returns their references.

    Runs as a few bulk updates, and writes one audit entry per case plus one for the run, so
    the bulk work does not escape the audit log.
    """
    limit = retention_limit(on)
    cases = list(cases_past_retention(on).select_for_update().values_list("pk", "reference"))
    if not cases:
        record(AuditAction.ANONYMISE, by=by, changes={"grens": limit.isoformat(), "aantal": 0})
        return []
    ids = [pk for pk, _ in cases]
    now = timezone.now()
    Party.objects.filter(case_id__in=ids).update(
        name=REMOVED, phone="", email="", address="", notes="", anonymised_at=now
    )
    Report.objects.filter(case_id__in=ids).update(text=REMOVED)
    Action.objects.filter(case_id__in=ids).update(notes="", present="", findings="")
    StatusChange.objects.filter(case_id__in=ids).update(note="")
    # The maatregelen's steps: their notes go, their dates and data (the counts) stay.
    from woonoverlast.measures.models import MeasureStep

    MeasureStep.objects.filter(measure__case_id__in=ids).update(
        **dict.fromkeys(MeasureStep.PERSONAL_DATA_FIELDS, "")
    )
    Case.objects.filter(pk__in=ids).update(
        street="",
        house_number=None,
        house_number_addition="",
        postcode="",
        description="",
        anonymised_at=now,
        updated_at=now,
    )
    record(
        AuditAction.ANONYMISE,
        by=by,
        changes={"grens": limit.isoformat(), "aantal": len(ids)},
    )
    record_many(
        [
            audit_event(
                AuditAction.ANONYMISE,
                by=by,
                obj=Case(pk=pk),
                case=Case(pk=pk),
                changes={"bewaartermijn verstreken": f"afgerond voor {format_date(limit)}"},
            )
            for pk in ids
        ]
    )
    return [reference for _, reference in cases]
