"""Privacy: meldingen that never became part of a case are anonymised after
INTAKE_RETENTION_MONTHS (counted from their handling); those of a case go with the case's
bewaartermijn (cases.services.retention) and are anonymised once the case is."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import audit_event, record, record_many
from woonoverlast.cases.services.retention import REMOVED, retention_limit

from ..choices import IntakeStatus
from ..models import IntakeMelding


def intake_retention_limit(on: datetime.date | None = None) -> datetime.datetime:
    """Meldingen handled before this moment (without a case) are past their term."""
    limit = retention_limit(on, months=settings.INTAKE_RETENTION_MONTHS)
    return timezone.make_aware(datetime.datetime.combine(limit, datetime.time.min))


def intake_meldingen_past_retention(on: datetime.date | None = None) -> QuerySet:
    return IntakeMelding.objects.filter(anonymised_at__isnull=True).filter(
        Q(status=IntakeStatus.HANDLED, case__isnull=True, handled_at__lt=intake_retention_limit(on))
        | Q(case__anonymised_at__isnull=False)
    )


@transaction.atomic
def intake_meldingen_anonymise(*, on: datetime.date | None = None, by=None) -> list[str]:
    """Anonymise every melding past its term; returns their references. Bulk updates, one
    audit entry per melding plus one for the run."""
    rows = list(
        intake_meldingen_past_retention(on)
        # Only the meldingen are locked: the join to the case is an outer one.
        .select_for_update(of=("self",))
        .values_list("pk", "reference")
    )
    ids = [pk for pk, _ in rows]
    if ids:
        IntakeMelding.objects.filter(pk__in=ids).update(
            street="",
            house_number=None,
            house_number_addition="",
            postcode="",
            text=REMOVED,
            since="",
            reporter_name="",
            reporter_phone="",
            reporter_email="",
            outcome_reason="",
            form_token=None,
            anonymised_at=timezone.now(),
        )
        record_many(
            [
                audit_event(
                    AuditAction.ANONYMISE,
                    by=by,
                    obj=IntakeMelding(pk=pk),
                    changes={"bewaartermijn verstreken": reference},
                )
                for pk, reference in rows
            ]
        )
    record(AuditAction.ANONYMISE, by=by, changes={"meldingen": len(ids)})
    return [reference for _, reference in rows]
