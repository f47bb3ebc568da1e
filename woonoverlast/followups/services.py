"""Writes of termijnbewaking: storing and e-mailing the daily digest, reading berichten.

The daily job is idempotent. Per user and day, each kind of digest is stored at most once
(`Notification`'s unique constraint backs the check), and `emailed_at` records the e-mail
that went out, set in the same transaction that holds the row locked while sending. Running
the job twice therefore stores and sends nothing twice, and a run that died halfway sends,
when run again, exactly what it had not sent. (One window is left, as with any mail server:
a crash after the server accepted a message and before the commit sends that one again on
the re-run. Nothing is lost.)
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from woonoverlast.accounts.roles import can_lead_team, can_work_cases
from woonoverlast.measures.deadlines import equated_days_reminder

from .digest import BUILDERS, FOOTER, with_notice
from .models import FollowUpSettings, Notification, NotificationKind
from .selection import digest_recipients, due_for_team, due_for_user

logger = logging.getLogger(__name__)


def _wanted_kinds(user) -> list[str]:
    kinds = []
    if can_work_cases(user):
        kinds.append(NotificationKind.DIGEST)
    if can_lead_team(user):
        kinds.append(NotificationKind.TEAM)
    return kinds


@transaction.atomic
def digest_build(user, *, on: datetime.date) -> list[Notification]:
    """Store `user`'s digests of day `on` as berichten, unless they are stored already.

    A casemanager gets their own digest; a team leader also the team's overview; the
    rapportage role nothing. An empty digest is not stored. Returns the user's digests of
    that day (new and earlier ones).
    """
    kinds = _wanted_kinds(user)
    stored = {n.kind: n for n in Notification.objects.filter(recipient=user, digest_on=on)}
    missing = [kind for kind in kinds if kind not in stored]
    if missing:
        config = FollowUpSettings.load()
        # A team leader's own items are a slice of the team's: select once.
        team = due_for_team(today=on, config=config) if NotificationKind.TEAM in missing else None
        for kind in missing:
            if kind == NotificationKind.TEAM:
                due = team
            elif team is not None:
                due = team.for_casemanager(user.pk)
            else:
                due = due_for_user(user, today=on, config=config)
            content = BUILDERS[kind](due)
            if kind == NotificationKind.TEAM:
                content = with_notice(content, equated_days_reminder(on), today=on)
            if content is None:
                continue
            # get_or_create: a concurrent run that stored it first wins, nothing doubles.
            stored[kind], _ = Notification.objects.get_or_create(
                recipient=user, digest_on=on, kind=kind, defaults=content
            )
    return sorted(stored.values(), key=lambda n: n.kind)


@transaction.atomic
def notification_email(notification: Notification) -> bool:
    """E-mail a stored digest to its recipient, once. Returns whether it was sent now.

    The row stays locked while sending; `emailed_at` is set in the same transaction, so a
    failed send leaves it unsent for the next run and a concurrent run waits, then skips.
    """
    row = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("recipient")
        .get(pk=notification.pk)
    )
    if row.emailed_at is not None or not row.recipient.email:
        return False
    send_mail(
        subject=f"Woonoverlast – {row.title}",
        message=row.body,
        from_email=None,  # DEFAULT_FROM_EMAIL
        recipient_list=[row.recipient.email],
    )
    row.emailed_at = timezone.now()
    row.save(update_fields=["emailed_at"])
    notification.emailed_at = row.emailed_at
    return True


@dataclass
class Delivery:
    stored: int = 0  # digests of the day in the app (stored now or by an earlier run)
    emailed: int = 0  # e-mails sent now
    failed: int = 0  # e-mails that could not be sent (left for the next run)


def digest_deliver(user, *, on: datetime.date, on_error=None) -> Delivery:
    """Store `user`'s digests of day `on` and e-mail those not e-mailed yet.

    Not one transaction on purpose: the stored bericht stays even when the mail server
    fails, and the e-mail is retried by the next run. A failed e-mail is raised (the Celery
    task retries on it), or with `on_error` passed to `on_error(user, exception)` and counted
    in `failed`, so that what was stored is still reported.
    """
    notifications = digest_build(user, on=on)
    delivery = Delivery(stored=len(notifications))
    for notification in notifications:
        if notification.emailed_at is not None:
            continue
        try:
            sent = notification_email(notification)
        except Exception as error:
            if on_error is None:
                raise
            logger.exception("E-mail of notification %s failed", notification.pk)
            delivery.failed += 1
            on_error(user, error)
            continue
        delivery.emailed += sent
    return delivery


def digest_run(*, on: datetime.date, on_error=None) -> Delivery:
    """The daily job in one process (the management command): every recipient in turn.

    A failure for one user (building or e-mailing) is passed to `on_error(user, exception)`
    and the others go on; without `on_error` it is raised.
    """
    total = Delivery()
    for user in digest_recipients():
        try:
            delivery = digest_deliver(user, on=on, on_error=on_error)
        except Exception as error:
            if on_error is None:
                raise
            logger.exception("Digest of user %s for %s failed", user.pk, on)
            on_error(user, error)
            continue
        total.stored += delivery.stored
        total.emailed += delivery.emailed
        total.failed += delivery.failed
    return total


@transaction.atomic
def notification_mark_read(notification: Notification, *, by) -> Notification:
    """Mark a bericht as read by its recipient (reading twice keeps the first time)."""
    if notification.recipient_id != by.pk:
        raise ValidationError("Dit bericht is niet aan u gericht.", code="not_recipient")
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Mark all of `user`'s unread berichten as read. Returns how many."""
    return Notification.objects.for_recipient(user).unread().update(read_at=timezone.now())


@transaction.atomic
def notification_assigned(reassignment) -> Notification | None:
    """Tell the new casemanager of a reassigned case: a bericht in the app (not e-mailed),
    one per day that collects the day's cases, unread again with each new one. Nothing when
    someone assigns a case to themselves."""
    from django.urls import reverse

    recipient = reassignment.casemanager
    if reassignment.created_by_id == recipient.pk:
        return None
    notification, _ = Notification.objects.select_for_update().get_or_create(
        recipient=recipient,
        digest_on=timezone.localdate(),
        kind=NotificationKind.ASSIGNED,
        defaults={"title": "", "body": "", "link": reverse("cases:mine"), "data": {}},
    )
    by = reassignment.created_by
    description = f"toegewezen door {by}" if by else "toegewezen"
    if reassignment.previous_id:
        description += f" (was {reassignment.previous})"
    items = notification.data.get("sections", [{}])[0].get("items", [])
    items.append(
        {
            "reference": reassignment.case.reference,
            "description": description,
            "when": f"reden: {reassignment.reason}",
        }
    )
    count = len(items)
    notification.title = (
        "1 casus aan u toegewezen" if count == 1 else f"{count} casussen aan u toegewezen"
    )
    notification.data = {"sections": [{"title": "Aan u toegewezen", "items": items}]}
    # The e-mail form of a bericht: references and links only (the reasons stay in the app).
    notification.body = "\n".join(
        [
            f"{notification.title}:",
            *(f"- {item['reference']}: {item['description']}" for item in items),
            "",
            FOOTER,
        ]
    )
    notification.read_at = None
    notification.save()
    return notification
