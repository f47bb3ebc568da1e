"""Delivering events to subscribers: signed, in order per hoofdObject, at least once.

A delivery is sent when it is due and nothing earlier of the same hoofdObject is still
waiting for the same subscriber. While it is sent its row is locked, so two workers do not
send it twice at the same moment; a worker that dies mid-way leaves it pending, and the
sweeper (`events.deliver_due`, every minute) sends it again: subscribers deduplicate on the
event's id. A failure waits longer each time (exponential back-off); after
EVENTS_MAX_ATTEMPTS the delivery is failed and shows on the team leaders' page, where it can
be retried. A failed delivery keeps later events of its case for that subscriber waiting:
the order holds; other cases and other subscribers go on.
"""

import datetime
import hashlib
import hmac
import json
import time

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from woonoverlast.accounts.roles import can_manage_subscriptions
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record

from .models import Delivery, DeliveryStatus, Event

SIGNATURE_HEADER = "X-Woonoverlast-Signature"
TIMESTAMP_HEADER = "X-Woonoverlast-Timestamp"
EVENT_HEADER = "X-Woonoverlast-Event"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>": the timestamp is signed too, so that a
    receiver can refuse an old request played again."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failure: base, 2x base, 4x base, ... at most 6 h."""
    seconds = settings.EVENTS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


def _post(delivery: Delivery) -> str:
    """Send one delivery; "" when the subscriber took it (any 2xx), else the error."""
    body = json.dumps(delivery.event.message(), separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        EVENT_HEADER: str(delivery.event.uuid),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(delivery.subscription.secret, timestamp, body),
    }
    try:
        response = requests.post(
            delivery.subscription.callback_url,
            data=body,
            headers=headers,
            timeout=settings.EVENTS_DELIVERY_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return f"{type(error).__name__}: {error}"[:300]
    if 200 <= response.status_code < 300:
        return ""
    return f"HTTP {response.status_code}"


def delivery_attempt(delivery_id: int, *, now: datetime.datetime | None = None) -> str:
    """Try to send one delivery when it is its turn. Returns what happened: "delivered",
    "retry", "failed", or why nothing was sent ("gone", "not_due", "waiting", "inactive")."""
    with transaction.atomic():
        now = now or timezone.now()
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "subscription")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return "gone"  # delivered, failed, or being sent by another worker right now
        if delivery.next_attempt_at > now:
            return "not_due"
        if Delivery.objects.blocking(delivery).exists():
            return "waiting"  # the earlier one starts this one when it is delivered
        if not delivery.subscription.active:
            return "inactive"
        error = _post(delivery)
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        if not error:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = delivery.last_attempt_at
            delivery.last_error = ""
            outcome = "delivered"
            transaction.on_commit(lambda: _start_next(delivery))
        else:
            delivery.last_error = error
            if delivery.attempts >= settings.EVENTS_MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
                outcome = "failed"
            else:
                delivery.next_attempt_at = delivery.last_attempt_at + backoff(delivery.attempts)
                outcome = "retry"
        delivery.save()
    return outcome


def _next_in_line(delivery: Delivery) -> Delivery | None:
    return (
        Delivery.objects.filter(
            subscription_id=delivery.subscription_id,
            hoofd_object=delivery.hoofd_object,
            event_id__gt=delivery.event_id,
            status=DeliveryStatus.PENDING,
        )
        .order_by("event_id")
        .first()
    )


def _start_next(delivery: Delivery) -> None:
    """The next event of the same hoofdObject for this subscriber, now that it may go."""
    from .tasks import deliver

    following = _next_in_line(delivery)
    if following is not None:
        deliver.delay(following.pk)


def deliveries_due(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    """The deliveries whose turn it is (the sweeper sends them)."""
    now = now or timezone.now()
    return list(Delivery.objects.due(now).values_list("pk", flat=True)[:limit])


@transaction.atomic
def delivery_retry(delivery: Delivery, *, by) -> Delivery:
    """A team leader sends a failed delivery again (and so the ones waiting behind it)."""
    if not can_manage_subscriptions(by):
        raise PermissionDenied
    row = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if row.status != DeliveryStatus.FAILED:
        return row
    row.status = DeliveryStatus.PENDING
    row.attempts = 0
    row.next_attempt_at = timezone.now()
    row.save(update_fields=["status", "attempts", "next_attempt_at"])
    record(
        AuditAction.UPDATE,
        by=by,
        obj=row,
        changes={"status": {"oud": DeliveryStatus.FAILED, "nieuw": DeliveryStatus.PENDING}},
    )
    from .tasks import deliver

    transaction.on_commit(lambda: deliver.delay(row.pk))
    return row


def events_purge(*, now: datetime.datetime | None = None, batch: int = 1000) -> int:
    """Delete the events that are done with (the daily job, `events.purge`): written more than
    EVENTS_RETENTION_DAYS ago and delivered to every subscriber more than that long ago, or
    wanted by none. An event with a delivery still pending (a receiver that is down, an
    abonnement switched off) or failed stays until it is delivered: a failed one waits on the
    page Notificaties to be sent again. Its deliveries go with it.

    The outbox is a copy for transport, without personal data: what happened stays in the
    case, its status history and the audit log, which the Selectielijst 2020 governs
    (woonoverlast.archiving). Whether the municipality counts the messages themselves as
    archiefbescheiden is its record keeper's call: then set EVENTS_RETENTION_DAYS to that
    term. Returns how many events were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.EVENTS_RETENTION_DAYS)
    open_or_recent = Delivery.objects.filter(
        models.Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
        | models.Q(delivered_at__gte=cutoff),
        event_id=models.OuterRef("pk"),
    )
    done = Event.objects.filter(created_at__lt=cutoff).exclude(models.Exists(open_or_recent))
    deleted = 0
    while True:
        # In batches: one short transaction each, a day's events at most at a time.
        ids = list(done.order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        with transaction.atomic():
            Delivery.objects.filter(event_id__in=ids).delete()
            deleted += Event.objects.filter(pk__in=ids).delete()[0]
