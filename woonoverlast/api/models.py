"""What the REST API keeps: the users' API tokens (hashed) and the answers to idempotent POSTs."""

import hashlib

from django.conf import settings
from django.db import models


def hash_key(key: str) -> str:
    """The stored form of a token: SHA-256 of the key (a random 256-bit secret, so a fast
    hash is enough; the key itself is never stored)."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A user's key for `Authorization: Token <key>`. One per user; a new one replaces it.

    Only a hash of the key is stored; `prefix` (its first characters) lets a team leader tell
    tokens apart in the admin. Revoking keeps the row for the audit trail.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_token",
        verbose_name="gebruiker",
    )
    key_hash = models.CharField("hash van de sleutel", max_length=64, unique=True, editable=False)
    prefix = models.CharField("begin van de sleutel", max_length=12, editable=False)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    revoked_at = models.DateTimeField("ingetrokken op", null=True, blank=True, editable=False)
    # Made with the user's verification code (api.services.token_issue): a token of a user who
    # must use two-factor verification works only when it was.
    second_factor = models.BooleanField("met tweede factor gemaakt", default=False, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API-token"
        verbose_name_plural = "API-tokens"
        ordering = ["user__username"]

    def __str__(self):
        return f"{self.user.get_username()} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(models.Model):
    """The first answer to a POST with an `Idempotency-Key`, replayed for the same key and user
    within IDEMPOTENCY_HOURS. The unique constraint makes two concurrent requests with the same
    key wait for each other: the second finds the first one's answer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="gebruiker",
    )
    key = models.CharField("sleutel", max_length=255)
    # SHA-256 of method, path and body: the same key for another request is refused.
    fingerprint = models.CharField("kenmerk van het verzoek", max_length=64)
    status_code = models.PositiveSmallIntegerField("status")
    body = models.JSONField("antwoord", null=True, blank=True)
    location = models.CharField("Location", max_length=300, blank=True)
    created_at = models.DateTimeField("ontvangen op", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "idempotent verzoek"
        verbose_name_plural = "idempotente verzoeken"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_unique_key")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.key}"
