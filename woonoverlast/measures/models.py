"""Maatregelen: a measure against one veroorzaker of a case, and its steps as history.

A measure's steps are append-only rows (like a case's StatusChange rows): the date the step
happened, who recorded it, a note and the step's own data. Only services.measure_step_record
appends them; it also keeps the measure's mirror of its latest step (`current_step`,
`current_step_on`, `ended_on`) in step, for lists and filters.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from woonoverlast.cases.validators import FREE_TEXT_VALIDATORS

from .choices import MeasureKind, Outcome, Step
from .querysets import MeasureQuerySet, MeasureStepQuerySet


class Measure(models.Model):
    """A maatregel: one administrative measure against one veroorzaker (a party of the case)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="measures", verbose_name="casus"
    )
    respondent = models.ForeignKey(
        "cases.Party",
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name="veroorzaker",
    )
    kind = models.CharField("soort maatregel", max_length=40, choices=MeasureKind.choices)
    started_on = models.DateField("gestart op")
    # Mirror of the latest step, written only by the step service.
    current_step = models.CharField(
        "huidige stap", max_length=40, choices=Step.choices, blank=True, editable=False
    )
    current_step_on = models.DateField("datum huidige stap", null=True, blank=True, editable=False)
    ended_on = models.DateField("afgesloten op", null=True, blank=True, editable=False)
    # How many further addressees (MeasureAddressee) the measure has, written only by
    # services.measure_addressee_add: MeasureState knows without a query whether every
    # addressee had his bekendmaking (onherroepelijk_on).
    addressee_count = models.PositiveSmallIntegerField(
        "aantal verdere geadresseerden", default=0, editable=False
    )
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="aangemaakt door",
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = "maatregel"
        verbose_name_plural = "maatregelen"
        ordering = ["case", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MeasureKind.values), name="measure_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="measure_ended_not_before_started",
            ),
        ]
        indexes = [
            models.Index(fields=["ended_on", "kind"], name="measure_running_idx"),
            models.Index(fields=["started_on"], name="measure_started_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.case})"

    def get_absolute_url(self):
        return reverse("cases:detail", kwargs={"reference": self.case.reference}) + (
            f"#maatregel-{self.pk}"
        )

    @property
    def is_running(self) -> bool:
        return self.ended_on is None


class MeasureAddressee(models.Model):
    """A further addressee of a measure beside its veroorzaker (Measure.respondent): a
    rechthebbende (eigenaar, verhuurder, corporatie) the besluit is also addressed to. The
    besluit takes effect for him from his own bekendmaking (art. 3:40 and 3:41 Awb), and his
    bezwaartermijn runs from the day after it (art. 6:7 and 6:8 Awb). Added only by
    services.measure_addressee_add, before the besluit."""

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="addressees", verbose_name="maatregel"
    )
    party = models.ForeignKey(
        "cases.Party",
        on_delete=models.PROTECT,
        related_name="measure_addressees",
        verbose_name="geadresseerde",
    )
    added_on = models.DateField("toegevoegd op")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="aangemaakt door",
    )

    class Meta:
        verbose_name = "geadresseerde maatregel"
        verbose_name_plural = "geadresseerden maatregel"
        ordering = ["measure", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "party"], name="measureaddressee_once_per_measure"
            ),
        ]

    def __str__(self):
        # The role, never the name: a viewer may not see the parties.
        return self.role_label

    @property
    def role_label(self) -> str:
        """The addressee's role in lower case ("verhuurder"), for labels."""
        return self.party.get_role_display().lower()


class MeasureStep(models.Model):
    """One step of a measure: append-only history. Which fields a step carries depends on its
    step (services.measures checks them): besluit_genomen the order's terms, controle and
    beslissing_op_bezwaar an outcome, dwangsom_verbeurd and invordering an amount."""

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="steps", verbose_name="maatregel"
    )
    step = models.CharField("stap", max_length=40, choices=Step.choices)
    occurred_on = models.DateField("datum")
    note = models.TextField("toelichting", blank=True, validators=FREE_TEXT_VALIDATORS)
    # A team leader's reason for recording a step whose precondition is not met (urgency).
    skip_reason = models.TextField("reden afwijking", blank=True, validators=FREE_TEXT_VALIDATORS)
    # voornemen_verzonden: the zienswijze term stated in the letter (default: the setting).
    zienswijze_days = models.PositiveSmallIntegerField(
        "zienswijzetermijn (dagen)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    # besluit_genomen: the order's terms.
    begunstigingstermijn_days = models.PositiveSmallIntegerField(
        "begunstigingstermijn (dagen)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(3650)],
    )
    duration_months = models.PositiveSmallIntegerField(
        "looptijd (maanden)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    # besluit_genomen of a gedragsaanwijzing: no looptijd only when chosen explicitly, with
    # the reason (services._check_step_data).
    duration_indefinite = models.BooleanField("looptijd onbepaald", default=False)
    indefinite_reason = models.TextField(
        "reden looptijd onbepaald", blank=True, validators=FREE_TEXT_VALIDATORS
    )
    penalty_amount = models.DecimalField(
        "dwangsom per overtreding (euro)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    penalty_maximum = models.DecimalField(
        "maximum dwangsom (euro)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # beslissing_op_bezwaar (gegrond/ongegrond/niet-ontvankelijk), controle (nageleefd/overtreden).
    outcome = models.CharField("uitkomst", max_length=20, choices=Outcome.choices, blank=True)
    # bezwaar_ontvangen: an adviescommissie (art. 7:13 Awb) advises: twelve weeks to decide.
    advisory_committee = models.BooleanField("adviescommissie", default=False)
    # dwangsom_verbeurd, invordering: the amount.
    amount = models.DecimalField(
        "bedrag (euro)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # beslistermijn_opgeschort (art. 7:10 lid 2: until the verzuim is hersteld or its term
    # passed), beslistermijn_uitgesteld (lid 4: the new last day) and last_verlengd (the new
    # last day of the begunstigingstermijn).
    until_on = models.DateField("tot en met", null=True, blank=True)
    # bekendgemaakt and bezwaar_ontvangen: the further addressee it was made known to, or
    # whose bezwaar it is; NULL is the veroorzaker (Measure.respondent), as in every older row.
    addressee = models.ForeignKey(
        MeasureAddressee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name="geadresseerde",
    )
    # bekendgemaakt, controle: the next controle the user plans.
    next_check_on = models.DateField("volgende controle", null=True, blank=True)
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="vastgelegd door",
    )

    objects = MeasureStepQuerySet.as_manager()

    # Blanked when the case's bewaartermijn has passed (cases.services.retention).
    PERSONAL_DATA_FIELDS = ("note", "skip_reason", "indefinite_reason")

    class Meta:
        verbose_name = "maatregelstap"
        verbose_name_plural = "maatregelstappen"
        ordering = ["measure", "occurred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(step__in=Step.values), name="measurestep_step_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="measurestep_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(next_check_on__isnull=True) | Q(next_check_on__gte=F("occurred_on")),
                name="measurestep_next_check_after_step",
            ),
        ]
        indexes = [
            models.Index(fields=["measure", "occurred_on"], name="measurestep_measure_idx"),
            models.Index(fields=["step", "occurred_on"], name="measurestep_step_idx"),
        ]

    def __str__(self):
        return f"{self.get_step_display()} {self.occurred_on:%d-%m-%Y}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Maatregelstappen zijn alleen aan te vullen, niet te wijzigen.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Maatregelstappen zijn alleen aan te vullen, niet te verwijderen.")


class EquatedDay(models.Model):
    """A day a decree (besluit op grond van art. 3 lid 3 Algemene termijnenwet) equates with
    an algemeen erkende feestdag. Team leaders keep the list in the admin."""

    day = models.DateField("datum", unique=True)
    name = models.CharField("omschrijving", max_length=100)
    decree = models.CharField(
        "besluit",
        max_length=200,
        blank=True,
        help_text="Het besluit dat de dag gelijkstelt, bijv. de vindplaats in de Staatscourant.",
    )

    class Meta:
        verbose_name = "gelijkgestelde dag (Algemene termijnenwet)"
        verbose_name_plural = "gelijkgestelde dagen (Algemene termijnenwet)"
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%d-%m-%Y} {self.name}"
