"""The outbox of events for other systems (shaped like the Notificaties API's messages), the
subscriptions (abonnementen) that receive them, and each delivery of an event to a subscriber.

An Event holds no personal data: URLs of the API and kenmerken (wijk, woningtype, ...). The
subscriber fetches what it may see through the API with its own token.
"""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Channel(models.TextChoices):
    CASES = "casussen", "Casussen"
    INTAKE = "meldingen", "Binnengekomen meldingen"
    MEASURES = "maatregelen", "Maatregelen"
    DOCUMENTS = "documenten", "Documenten"


# The kenmerken the events of each channel carry (events.outbox): what a filter may name.
CASE_KENMERKEN = ("wijk", "woningtype", "status")
CHANNEL_KENMERKEN = {
    Channel.CASES: (*CASE_KENMERKEN, "reden_afsluiten"),
    Channel.INTAKE: ("bron", "status", "uitkomst", "wijk", "woningtype", "casus"),
    Channel.MEASURES: (*CASE_KENMERKEN, "maatregel", "stap"),
    Channel.DOCUMENTS: (*CASE_KENMERKEN, "documenttype"),
}


class Event(models.Model):
    """One change that matters, written in the transaction of the change (the outbox)."""

    # The subscribers' key for deduplication (delivery is at least once).
    uuid = models.UUIDField("kenmerk", default=uuid.uuid4, unique=True, editable=False)
    kanaal = models.CharField("kanaal", max_length=30, choices=Channel.choices)
    resource = models.CharField("resource", max_length=30)
    actie = models.CharField("actie", max_length=30)
    # The case (or melding) the event is about: events of one hoofdObject reach each
    # subscriber in the order they were written.
    hoofd_object = models.CharField("hoofdobject", max_length=300, db_index=True)
    resource_url = models.CharField("resource-URL", max_length=300)
    kenmerken = models.JSONField("kenmerken", default=dict, blank=True)
    created_at = models.DateTimeField("aanmaakdatum", default=timezone.now)

    class Meta:
        verbose_name = "notificatie"
        verbose_name_plural = "notificaties"
        ordering = ["id"]

    def __str__(self):
        return f"{self.kanaal} {self.resource} {self.actie} ({self.uuid})"

    def message(self) -> dict:
        """The body sent to subscribers: the Notificaties API's message, plus its id."""
        return {
            "id": str(self.uuid),
            "kanaal": self.kanaal,
            "hoofdObject": self.hoofd_object,
            "resource": self.resource,
            "resourceUrl": self.resource_url,
            "actie": self.actie,
            "aanmaakdatum": self.created_at.isoformat(),
            "kenmerken": self.kenmerken,
        }


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """An abonnement: a system that wants the events of some channels at its callback URL."""

    name = models.CharField("naam", max_length=100, unique=True)
    callback_url = models.URLField("callback-URL", max_length=300)
    # Shared with the subscriber, who checks the HMAC signature of every request with it.
    secret = models.CharField(
        "gedeeld geheim",
        max_length=100,
        default=new_secret,
        help_text="De ontvanger controleert hiermee de HMAC-SHA256-handtekening van elk bericht.",
    )
    active = models.BooleanField("actief", default=True)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "abonnement"
        verbose_name_plural = "abonnementen"
        ordering = ["name"]

    def __str__(self):
        return self.name


class SubscriptionChannel(models.Model):
    """A channel of an abonnement, with filters on kenmerken (all must match)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="channels", verbose_name="abonnement"
    )
    kanaal = models.CharField("kanaal", max_length=30, choices=Channel.choices)
    filters = models.JSONField(
        "filters",
        default=dict,
        blank=True,
        help_text='Bijvoorbeeld {"wijk": "Centrum", "woningtype": "corporatie"}; leeg: alles.',
    )

    class Meta:
        verbose_name = "kanaal"
        verbose_name_plural = "kanalen"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "kanaal"], name="events_one_row_per_channel"
            )
        ]

    def __str__(self):
        return self.get_kanaal_display()

    def clean(self):
        """A filter names kenmerken this channel's events carry, each with one value: a typo
        ("Wijk") would match nothing, and silently so."""
        if self.filters in (None, ""):
            self.filters = {}
        if not isinstance(self.filters, dict):
            raise ValidationError(
                {
                    "filters": "Geef de filters als kenmerken met een waarde, bijvoorbeeld "
                    '{"wijk": "Centrum"}; leeg ({}) voor alles.'
                }
            )
        allowed = CHANNEL_KENMERKEN.get(self.kanaal, ())
        unknown = sorted(set(self.filters) - set(allowed))
        if unknown:
            raise ValidationError(
                {
                    "filters": f"Dit kanaal kent het kenmerk {', '.join(unknown)} niet. "
                    f"Mogelijk: {', '.join(allowed)}."
                }
            )
        if any(isinstance(value, dict | list) or value is None for value in self.filters.values()):
            raise ValidationError(
                {"filters": "Geef per kenmerk één waarde (een tekst of een getal), geen lijst."}
            )

    def matches(self, kenmerken: dict) -> bool:
        if not isinstance(self.filters, dict):
            # Not through the admin (which checks, see clean): deliver nothing rather than
            # fail the transaction of the case that made the event.
            return False
        return all(str(kenmerken.get(key)) == str(value) for key, value in self.filters.items())


class DeliveryStatus(models.TextChoices):
    PENDING = "wachtend", "Wachtend"
    DELIVERED = "afgeleverd", "Afgeleverd"
    FAILED = "mislukt", "Mislukt"


class DeliveryQuerySet(models.QuerySet):
    def blocking(self, delivery):
        """Earlier events of the same hoofdObject this subscriber has not received yet: they
        go first (order per case), even when they failed for good."""
        return self.filter(
            subscription_id=delivery.subscription_id,
            hoofd_object=delivery.hoofd_object,
            event_id__lt=delivery.event_id,
        ).exclude(status=DeliveryStatus.DELIVERED)

    def due(self, now):
        """Pending deliveries whose turn it is: due, and nothing earlier of their hoofdObject
        still waiting for the same subscriber."""
        earlier = self.model.objects.filter(
            subscription_id=models.OuterRef("subscription_id"),
            hoofd_object=models.OuterRef("hoofd_object"),
            event_id__lt=models.OuterRef("event_id"),
        ).exclude(status=DeliveryStatus.DELIVERED)
        return (
            self.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .filter(~models.Exists(earlier))
            .order_by("event_id")
        )

    def failed(self):
        return self.filter(status=DeliveryStatus.FAILED)


class Delivery(models.Model):
    """One event to one subscriber: retried with back-off until it is delivered or fails."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="deliveries", verbose_name="notificatie"
    )
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name="abonnement",
    )
    # The event's, repeated so that "what comes first for this subscriber" is one index.
    hoofd_object = models.CharField("hoofdobject", max_length=300)
    status = models.CharField(
        "status", max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField("pogingen", default=0)
    next_attempt_at = models.DateTimeField("volgende poging", default=timezone.now)
    last_attempt_at = models.DateTimeField("laatste poging", null=True, blank=True)
    last_error = models.CharField("laatste fout", max_length=300, blank=True)
    delivered_at = models.DateTimeField("afgeleverd op", null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "aflevering"
        verbose_name_plural = "afleveringen"
        ordering = ["event_id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="events_deliver_once")
        ]
        indexes = [
            models.Index(fields=["subscription", "hoofd_object", "event"], name="events_queue_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="events_due_idx"),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription}"
