"""The bewaartermijn of the working screens, and the blanking that destruction uses.

RETENTION_MONTHS is the working term: a case closed longer ago is left out of searches and
lists (its personal data only under the closed-case rule). Nothing is blanked or deleted for
it: archiefbescheiden may only be destroyed under the Selectielijst and with a verklaring van
vernietiging (Archiefwet 1995 art. 3 and 5, Archiefbesluit 1995 art. 6-8), which the
`archiving` app does by an approved vernietigingslijst; cases_anonymise is its engine.

What identifies people goes (names, contact details, addresses, free-text notes: the
PERSONAL_DATA_FIELDS of each model); the facts stay (wijk, housing type, dates, categories,
status history, actions by type and date), so every report reads the same afterwards.

A case is selected on what it still holds, not on a flag: a case anonymised once, reopened,
given new parties or notes and closed again is anonymised again once it is past the
bewaartermijn again. ANONYMISED is the one table both the selection and the update read, so
they cannot drift apart; a new model with personal data of a case adds its row there: the
models of `cases` here, those of the apps built on it by register_personal_data in their
AppConfig.ready (the maatregel's steps). The files of the dossier go by the signal
`cases_anonymised`, which the documents app receives.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from woonoverlast.accounts.models import CaseAccessGrant
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import audit_event, record, record_many
from woonoverlast.common.calendar import add_months
from woonoverlast.common.validation import today

from ..choices import Status
from ..models import Action, Case, Melding, Party, Reassignment, StatusChange
from ..personal_data import REMOVED, holds_personal_data
from ..querysets import working_term_closing
from ..signals import cases_anonymised

__all__ = [
    "REMOVED",
    "cases_anonymise",
    "cases_past_retention",
    "register_personal_data",
    "retention_limit",
    "within_working_term",
]

# Per model: the field that points at the case, and the value each personal-data field has
# once anonymised. Party, Melding and Action have partial indexes on the same condition.
ANONYMISED = {
    Case: ("pk", {field: "" for field in Case.PERSONAL_DATA_FIELDS} | {"house_number": None}),
    Party: ("case", Party.ANONYMISED),
    Melding: ("case", Melding.ANONYMISED),
    Action: ("case", Action.ANONYMISED),
    StatusChange: ("case", {field: "" for field in StatusChange.PERSONAL_DATA_FIELDS}),
    # A grant's or a reassignment's reason is free text, often with names and addresses.
    CaseAccessGrant: ("case", {"reason": REMOVED}),
    Reassignment: ("case", {"reason": REMOVED}),
}


def register_personal_data(model, *, case_field: str, removed: dict) -> None:
    """Add a model of an app built on cases to ANONYMISED: `case_field` leads from a row to
    its case, `removed` is the value of each personal-data field once anonymised."""
    ANONYMISED[model] = (case_field, removed)


def _holds(model) -> Q:
    return holds_personal_data(ANONYMISED[model][1])


def retention_limit(on: datetime.date | None = None, *, months: int | None = None) -> datetime.date:
    """Cases closed before this date are past the bewaartermijn (`months`, default
    RETENTION_MONTHS, before `on`)."""
    on = on or today()
    months = settings.RETENTION_MONTHS if months is None else months
    # The same day of the month, or that month's last day (from 31 March to 28 February).
    return add_months(on, -months)


def within_working_term(on: datetime.date | None = None) -> Q:
    """THE condition of the working screens on Case: open, or closed on or after the working
    limit (RETENTION_MONTHS before `on`). The case list and its export, the header's search,
    the API's list, the intake's possible matches and Mijn casussen's nazorg keep to it; a
    case outside it stays whole (its file under the closed-case rule, the reports, Tabel 5.1,
    the vernietigingslijsten) until its archiefactiedatum (Archiefwet 1995 art. 3 and 5).

    Written as one comparison (an open case's closing date is OPEN_CASE_CLOSING, querysets),
    not as "open or closed since": the street's search index answers it, so a search of a street of
    50,000 cases reads its 13,000 in the working term instead of all 50,000
    (docs/performance.md)."""
    return Q(GreaterThanOrEqual(working_term_closing(), retention_limit(on)))


def cases_past_retention(on: datetime.date | None = None) -> QuerySet[Case]:
    """Closed cases whose closing lies before the working limit that were never anonymised
    or still hold personal data: in their own fields, or in a party, melding, action, status
    note or access grant. Past the working term only: they are not blanked for it."""
    # Never processed yet, or holding personal data again (or still) after it was.
    still_holds = Q(anonymised_at__isnull=True) | _holds(Case)
    for model, (case_field, _) in ANONYMISED.items():
        if model is not Case:
            rows = model.objects.filter(_holds(model), **{case_field: OuterRef("pk")})
            still_holds |= Q(Exists(rows))
    return (
        Case.objects.filter(status=Status.CLOSED, closed_on__lt=retention_limit(on))
        .filter(still_holds)
        .order_by("closed_on", "id")
    )


@transaction.atomic
def cases_anonymise(*, case_ids: list[int], by=None, reason: str = "vernietigd") -> list[str]:
    """Blank the personal data of these cases and delete their dossier files; returns their
    references. Only the approved destruction of a vernietigingslijst calls it
    (archiving.services.destruction_list_execute): before the archiefactiedatum nothing is
    blanked (Archiefwet 1995 art. 3, 5).

    Runs as a few bulk updates, and writes one audit entry per case plus one for the run, so
    the bulk work does not escape the audit log.
    """
    cases = list(
        Case.objects.filter(pk__in=case_ids)
        .order_by("closed_on", "id")
        .select_for_update()
        .values_list("pk", "reference")
    )
    if not cases:
        record(AuditAction.ANONYMISE, by=by, changes={"reden": reason, "aantal": 0})
        return []
    ids = [pk for pk, _ in cases]
    now = timezone.now()
    for model, (case_field, removed) in ANONYMISED.items():
        rows = model.objects.filter(**{f"{case_field}__in": ids})
        if model is Case:
            rows.update(**removed, anonymised_at=now, updated_at=now)
        elif model is Party:
            rows.filter(_holds(Party)).update(**removed, anonymised_at=now)
        else:
            rows.filter(_holds(model)).update(**removed)
    # The dossier: the files go from the storage (after the commit); the rows keep type,
    # date and size (the documents app receives the signal).
    cases_anonymised.send(sender=Case, case_ids=ids, by=by)
    record(AuditAction.ANONYMISE, by=by, changes={"reden": reason, "aantal": len(ids)})
    record_many(
        [
            audit_event(
                AuditAction.ANONYMISE,
                by=by,
                obj=Case(pk=pk),
                case=Case(pk=pk),
                changes={"reden": reason},
            )
            for pk in ids
        ]
    )
    return [reference for _, reference in cases]
