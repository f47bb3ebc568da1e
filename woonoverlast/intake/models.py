"""Binnengekomen meldingen: what residents and partners report, before (and after) it is
triaged into a case, and what the melders are told back."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from woonoverlast.cases.models import Case, Category, Melding, Partner
from woonoverlast.cases.validators import (
    FREE_TEXT_VALIDATORS,
    validate_house_number_addition,
    validate_postcode,
)

from .choices import (
    OPEN_STATUSES,
    FeedbackKind,
    IntakeSource,
    IntakeStatus,
    Outcome,
    TalkedToNeighbour,
)

# The public form's text: room for a clear account, not a pasted document.
TEXT_MAX_LENGTH = 5_000


class IntakeReferenceCounter(models.Model):
    """The last sequence number handed out per year, for references like MLD-2026-00042."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "meldingsteller"
        verbose_name_plural = "meldingstellers"

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class IntakeMeldingQuerySet(models.QuerySet):
    def open(self):
        """Not yet handled: the intake queue."""
        return self.filter(status__in=OPEN_STATUSES)

    def oldest_first(self):
        return self.order_by("received_at", "id")

    def of_koppeling(self, user):
        return self.filter(koppeling=user)

    def of_case(self, case):
        return self.filter(case=case)


class IntakeMelding(models.Model):
    """A binnengekomen melding: one complaint of nuisance from a resident (the public form) or a
    partner system (a koppeling), waiting to be added to a case, to become one, or to be
    closed without one. Tabel 5.1 counts cases, never these."""

    reference = models.CharField("referentie", max_length=20, unique=True)
    received_at = models.DateTimeField("ontvangen op")
    source = models.CharField("bron", max_length=20, choices=IntakeSource.choices)
    # A partner system's own number for the melding; one koppeling sends each once.
    koppeling = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="koppeling",
    )
    external_reference = models.CharField("extern kenmerk", max_length=100, blank=True)
    # The public form's one-time token: the same form sent twice stores one melding.
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    street = models.CharField("straat", max_length=200, blank=True)
    house_number = models.PositiveIntegerField("huisnummer", null=True, blank=True)
    house_number_addition = models.CharField(
        "toevoeging", max_length=6, blank=True, validators=[validate_house_number_addition]
    )
    postcode = models.CharField(
        "postcode", max_length=7, blank=True, validators=[validate_postcode]
    )
    categories = models.ManyToManyField(
        Category, related_name="+", blank=True, verbose_name="soort overlast"
    )
    text = models.TextField(
        "wat er gebeurt",
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH), *FREE_TEXT_VALIDATORS[1:]],
    )
    since = models.CharField("sinds wanneer", max_length=200, blank=True)
    talked_to_neighbour = models.CharField(
        "met de buren gepraat",
        max_length=10,
        choices=TalkedToNeighbour.choices,
        default=TalkedToNeighbour.UNKNOWN,
    )
    reporter_name = models.CharField("naam melder", max_length=200, blank=True)
    reporter_phone = models.CharField("telefoon melder", max_length=30, blank=True)
    reporter_email = models.EmailField("e-mail melder", blank=True)

    status = models.CharField(
        "status", max_length=16, choices=IntakeStatus.choices, default=IntakeStatus.RECEIVED
    )
    outcome = models.CharField("uitkomst", max_length=20, choices=Outcome.choices, blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intake_meldingen",
        verbose_name="casus",
    )
    # The melding of the case it became (outcome toegevoegd or nieuwe_casus).
    melding = models.OneToOneField(
        Melding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intake_melding",
        verbose_name="melding bij casus",
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="doorverwezen naar",
    )
    outcome_reason = models.TextField("toelichting", blank=True, validators=FREE_TEXT_VALIDATORS)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="afgehandeld door",
    )
    handled_at = models.DateTimeField("afgehandeld op", null=True, blank=True)
    reporter_informed_at = models.DateTimeField("melder laatst geïnformeerd", null=True, blank=True)
    anonymised_at = models.DateTimeField("geanonimiseerd op", null=True, blank=True)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    objects = IntakeMeldingQuerySet.as_manager()

    # Never written to the audit log; removed when the melding is anonymised.
    PERSONAL_DATA_FIELDS = (
        "street",
        "house_number",
        "house_number_addition",
        "postcode",
        "text",
        "since",
        "reporter_name",
        "reporter_phone",
        "reporter_email",
        "outcome_reason",
    )

    class Meta:
        verbose_name = "binnengekomen melding"
        verbose_name_plural = "binnengekomen meldingen"
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["koppeling", "external_reference"],
                condition=~Q(external_reference=""),
                name="intakemelding_one_per_external_reference",
            ),
            models.CheckConstraint(
                condition=Q(status=IntakeStatus.HANDLED, handled_at__isnull=False) & ~Q(outcome="")
                | Q(status__in=OPEN_STATUSES, outcome=""),
                name="intakemelding_outcome_iff_handled",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[Outcome.ADDED, Outcome.NEW_CASE], case__isnull=False)
                | ~Q(outcome__in=[Outcome.ADDED, Outcome.NEW_CASE]),
                name="intakemelding_case_for_case_outcomes",
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.REFERRED, partner__isnull=False)
                | ~Q(outcome=Outcome.REFERRED),
                name="intakemelding_partner_when_referred",
            ),
        ]
        indexes = [
            # The queue (oldest first) and the count in the header of every page.
            models.Index(fields=["status", "received_at"], name="intakemelding_status_idx"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("intake:detail", kwargs={"reference": self.reference})

    @property
    def address(self) -> str:
        number = f"{self.house_number or ''}{self.house_number_addition}".strip()
        street = f"{self.street} {number}".strip()
        return ", ".join(part for part in (street, self.postcode) if part)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def can_be_informed(self) -> bool:
        return bool(self.reporter_email) and self.anonymised_at is None


class FeedbackTemplate(models.Model):
    """The text of one kind of message to melders; team leaders edit it in the admin.

    `{referentie}` in the subject or text is replaced by the melding's reference and
    `{werkdagen}` by the intake's term (INTAKE_HANDLE_WITHIN_WORKDAYS). The
    messages never say anything about the other party: keep it that way when editing.
    """

    kind = models.CharField("soort", max_length=20, choices=FeedbackKind.choices, unique=True)
    subject = models.CharField("onderwerp", max_length=200)
    body = models.TextField(
        "tekst",
        validators=[MaxLengthValidator(5_000)],
        help_text="{referentie} wordt het nummer van de melding, {werkdagen} de termijn. "
        "Noem nooit iets over de andere partij.",
    )
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)

    class Meta:
        verbose_name = "tekst terugkoppeling"
        verbose_name_plural = "teksten terugkoppeling"
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()


class ReporterMessage(models.Model):
    """One message sent to a melder. Unique per melding, kind and occasion (`occasion`: the
    status change that closed the case, or 0), so a task that runs twice sends once."""

    intake_melding = models.ForeignKey(
        IntakeMelding,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name="melding",
    )
    kind = models.CharField("soort", max_length=20, choices=FeedbackKind.choices)
    occasion = models.PositiveBigIntegerField("aanleiding", default=0)
    sent_at = models.DateTimeField("verstuurd op", auto_now_add=True)

    class Meta:
        verbose_name = "bericht aan melder"
        verbose_name_plural = "berichten aan melders"
        ordering = ["intake_melding", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake_melding", "kind", "occasion"], name="reportermessage_once"
            ),
        ]

    def __str__(self):
        return f"{self.intake_melding}: {self.get_kind_display()}"
