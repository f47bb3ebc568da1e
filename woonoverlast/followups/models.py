"""Termijnbewaking: the team's settings and the in-app notifications (berichten).

A notification holds case references, dates and links only: never the names, addresses or
notes of the people involved. It may go by e-mail, and e-mail leaves the municipality's
systems.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

DEFAULT_STALLED_AFTER_DAYS = 30
DEFAULT_AFTERCARE_AFTER_WEEKS = 6


class FollowUpSettings(models.Model):
    """The team's termijnbewaking settings: a single row (pk 1) a team leader edits in the admin.

    `load()` reads it in one query and falls back to the defaults (unsaved) when the row is
    missing, so a read never writes.
    """

    SINGLETON_PK = 1

    stalled_after_days = models.PositiveSmallIntegerField(
        "stilgevallen na (dagen)",
        default=DEFAULT_STALLED_AFTER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Een lopende casus waarop zoveel dagen geen actie is uitgevoerd, geldt als "
        "stilgevallen. Er wordt geteld vanaf de laatste actie, de registratie of de heropening.",
    )
    aftercare_after_weeks = models.PositiveSmallIntegerField(
        "nazorg na (weken)",
        default=DEFAULT_AFTERCARE_AFTER_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
        help_text="Zoveel weken na het afronden van een casus is een nazorgcontact nodig.",
    )
    aftercare_since = models.DateField(
        "nazorg bewaken vanaf",
        null=True,
        blank=True,
        help_text="Alleen casussen die op of na deze datum zijn afgerond krijgen een "
        "nazorgtermijn, zodat oude casussen niet allemaal tegelijk opduiken. Leeg: alle "
        "afgeronde casussen.",
    )
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)

    class Meta:
        verbose_name = "instellingen termijnbewaking"
        verbose_name_plural = "instellingen termijnbewaking"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="followupsettings_singleton"),
            models.CheckConstraint(
                condition=Q(stalled_after_days__gte=1, aftercare_after_weeks__gte=1),
                name="followupsettings_periods_positive",
            ),
        ]

    def __str__(self):
        return "Instellingen termijnbewaking"

    @classmethod
    def load(cls) -> "FollowUpSettings":
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(pk=cls.SINGLETON_PK)


class NotificationKind(models.TextChoices):
    DIGEST = "dagoverzicht", "Dagoverzicht"
    TEAM = "teamoverzicht", "Teamoverzicht"
    # Cases a team leader gave to the recipient that day (cases.services.case_reassign).
    ASSIGNED = "toegewezen", "Toegewezen casussen"


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A bericht in the app: one user's digest of one day, of one kind.

    At most one per recipient, day and kind (the database enforces it), which is what makes
    the daily job safe to run twice. `emailed_at` records that the e-mail went out, so a run
    that crashed halfway sends only what was not sent yet.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="ontvanger",
    )
    kind = models.CharField("soort", max_length=20, choices=NotificationKind.choices)
    digest_on = models.DateField("datum")
    title = models.CharField("titel", max_length=200)
    # Plain text as e-mailed: case references, dates and absolute links, nothing personal.
    body = models.TextField("tekst")
    # Where the bericht leads in the app (a path, e.g. /termijnen/).
    link = models.CharField("link", max_length=200)
    # The same content, structured for the page (see followups.digest).
    data = models.JSONField("inhoud", default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    read_at = models.DateTimeField("gelezen op", null=True, blank=True)
    emailed_at = models.DateTimeField("gemaild op", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "bericht"
        verbose_name_plural = "berichten"
        ordering = ["-digest_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "digest_on", "kind"], name="notification_one_per_day"
            ),
        ]
        indexes = [
            # The unread count in the header of every page.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
