"""Which audited changes become events, and writing them (the outbox).

Every service already writes its audit event with `audit.recorder.record`, inside its own
transaction (`@transaction.atomic`). Hooking there keeps the list of changes that matter in
one table below and makes the event part of the same transaction: when the change rolls back,
so does its event. Bulk writes (the import of historical cases, anonymisation) do not go
through `record` and send no events: they are not news to anyone.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from woonoverlast.audit.models import AuditAction

from .models import Channel, Delivery, Event, SubscriptionChannel


@dataclass(frozen=True)
class Kind:
    kanaal: str
    resource: str
    actie: str


# (model label, audit action) -> the event. Nothing else is sent.
AUDIT_EVENTS = {
    ("cases.case", AuditAction.CREATE): Kind(Channel.CASES, "casus", "create"),
    ("cases.case", AuditAction.UPDATE): Kind(Channel.CASES, "casus", "partial_update"),
    ("cases.case", AuditAction.REASSIGN): Kind(Channel.CASES, "casus", "reassign"),
    ("cases.statuschange", AuditAction.CLOSE): Kind(Channel.CASES, "status", "close"),
    ("cases.statuschange", AuditAction.REOPEN): Kind(Channel.CASES, "status", "reopen"),
    # A team leader corrected or withdrew a status change (cases.services.status).
    ("cases.statuschange", AuditAction.UPDATE): Kind(Channel.CASES, "status", "correct"),
    ("cases.melding", AuditAction.CREATE): Kind(Channel.CASES, "melding", "create"),
    ("intake.intakemelding", AuditAction.CREATE): Kind(Channel.INTAKE, "melding", "create"),
    ("intake.intakemelding", AuditAction.UPDATE): Kind(Channel.INTAKE, "melding", "update"),
    ("measures.measure", AuditAction.CREATE): Kind(Channel.MEASURES, "maatregel", "create"),
    ("measures.measurestep", AuditAction.CREATE): Kind(Channel.MEASURES, "stap", "create"),
    ("documents.document", AuditAction.CREATE): Kind(Channel.DOCUMENTS, "document", "create"),
}


def _url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _case_url(case) -> str:
    return _url("api:casus", referentie=case.reference)


def _case_kenmerken(case) -> dict:
    return {
        "wijk": case.district.name,
        "woningtype": case.housing_type,
        "status": case.status,
    }


def _describe(obj, case, kind: Kind, changes: dict) -> dict | None:
    """hoofdObject, resourceUrl, kenmerken and actie of the event; no personal data."""
    label = obj._meta.label_lower
    if label == "intake.intakemelding":
        # A melding that is not (yet) part of a case is its own hoofdObject.
        url = _url("api:intake_melding", referentie=obj.reference)
        actie = "handle" if "uitkomst" in changes else kind.actie
        kenmerken = {"bron": obj.source, "status": obj.status}
        if obj.outcome:
            kenmerken["uitkomst"] = obj.outcome
        if case is not None:
            kenmerken.update(_case_kenmerken(case))
            kenmerken["casus"] = _case_url(case)
        return {"hoofd_object": url, "resource_url": url, "actie": actie, "kenmerken": kenmerken}
    if case is None:
        return None
    hoofd_object = _case_url(case)
    kenmerken = _case_kenmerken(case)
    resource_url = hoofd_object
    if label == "cases.melding":
        resource_url = _url("api:meldingen", referentie=case.reference)
    elif label == "measures.measure":
        resource_url = _url("api:maatregel", pk=obj.pk)
        kenmerken["maatregel"] = obj.kind
    elif label == "measures.measurestep":
        resource_url = _url("api:stappen", pk=obj.measure_id)
        kenmerken["maatregel"] = obj.measure.kind
        kenmerken["stap"] = obj.step
    elif label == "documents.document":
        kenmerken["documenttype"] = obj.document_type
    elif label == "cases.statuschange" and obj.closing_reason:
        kenmerken["reden_afsluiten"] = obj.closing_reason
    return {
        "hoofd_object": hoofd_object,
        "resource_url": resource_url,
        "actie": kind.actie,
        "kenmerken": kenmerken,
    }


def emit_for_audit(action: str, *, obj, case, changes: dict | None) -> Event | None:
    """The event of an audited change, when it is one that matters (AUDIT_EVENTS)."""
    if obj is None:
        return None
    kind = AUDIT_EVENTS.get((obj._meta.label_lower, action))
    if kind is None:
        return None
    values = _describe(obj, case, kind, changes or {})
    if values is None:
        return None
    return event_emit(kanaal=kind.kanaal, resource=kind.resource, **values)


def case_destroyed_emit(case) -> Event:
    """A case destroyed under an approved vernietigingslijst (woonoverlast.archiving): the
    blanking is a bulk write that does not go through `record`, yet a subscriber that kept
    data of the case (a zaakregistratie, a corporatie's system) learns of it and can remove
    its copy (the AVG's storage limitation, art. 5(1)(e), holds for that copy too). In the
    destruction job's transaction, after the case's earlier events: delivered in order,
    last."""
    url = _case_url(case)
    return event_emit(
        kanaal=Channel.CASES,
        resource="casus",
        actie="destroy",
        hoofd_object=url,
        resource_url=url,
        kenmerken=_case_kenmerken(case),
    )


def event_emit(
    *, kanaal: str, resource: str, actie: str, hoofd_object: str, resource_url: str, kenmerken
) -> Event:
    """Write the event and one delivery per subscription that wants it, in the caller's
    transaction; the deliveries start once it commits."""
    event = Event.objects.create(
        kanaal=kanaal,
        resource=resource,
        actie=actie,
        hoofd_object=hoofd_object,
        resource_url=resource_url,
        kenmerken=kenmerken,
    )
    wanted = SubscriptionChannel.objects.filter(kanaal=kanaal, subscription__active=True)
    deliveries = [
        Delivery(
            event=event,
            subscription_id=channel.subscription_id,
            hoofd_object=hoofd_object,
            next_attempt_at=event.created_at,
        )
        for channel in wanted
        if channel.matches(kenmerken)
    ]
    if deliveries:
        # bulk_create sets the ids on PostgreSQL and SQLite (RETURNING).
        ids = [delivery.pk for delivery in Delivery.objects.bulk_create(deliveries)]
        transaction.on_commit(lambda: _start(ids))
    return event


def _start(ids: list[int]) -> None:
    from .tasks import deliver

    for delivery_id in ids:
        deliver.delay(delivery_id)
