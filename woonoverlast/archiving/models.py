"""Archiving by the Selectielijst gemeenten en intergemeentelijke organen 2020.

ResultType is the table of resultaten (Selectielijst number, waardering, term); CaseArchive
and MeasureResult carry what a closed case and an ended maatregel got (ZGW Zaken:
`resultaat`, `brondatum`, `archiefactiedatum`, `archiefnominatie`). A case's archive data
live in their own table, keyed by the case, so that the case model and its writers stay as
they are; the list filters join it on its indexes.

DestructionList, DestructionListItem and DestructionStatement are the procedure of
Archiefbesluit 1995 art. 6-8: a proposal, its review, the archivaris's approval, and the
verklaring van vernietiging, which is kept permanently (Selectielijst 2020, 19.1.18).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import AppliesTo, ListKind, ListStatus, Waardering


class ResultType(models.Model):
    """A resultaat of the Selectielijst 2020 that a case or a maatregel can get."""

    number = models.CharField("Selectielijstnummer", max_length=12, unique=True)
    description = models.CharField("omschrijving", max_length=200)
    waardering = models.CharField("waardering", max_length=20, choices=Waardering.choices)
    term_years = models.PositiveSmallIntegerField(
        "bewaartermijn (jaren)",
        null=True,
        blank=True,
        help_text="Leeg bij blijvend bewaren.",
    )
    applies_to = models.CharField(
        "geldt voor", max_length=10, choices=AppliesTo.choices, default=AppliesTo.CASE
    )
    active = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = "resultaattype"
        verbose_name_plural = "resultaattypen"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(waardering__in=Waardering.values), name="resulttype_waardering_valid"
            ),
            # A term for what is destroyed, none for what is kept permanently.
            models.CheckConstraint(
                condition=(
                    Q(waardering=Waardering.DESTROY, term_years__isnull=False)
                    | Q(waardering=Waardering.KEEP, term_years__isnull=True)
                ),
                name="resulttype_term_iff_destroy",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.description}"

    @property
    def term_display(self) -> str:
        if self.waardering == Waardering.KEEP:
            return "blijvend bewaren"
        return f"vernietigen na {self.term_years} jaar"


class CaseArchive(models.Model):
    """The resultaat and archive dates of a closed case. The row exists from the closing
    (with the resultaat); the dates stay empty while a maatregel of the case runs. Reopening
    deletes the row."""

    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="archive",
        verbose_name="casus",
    )
    result_type = models.ForeignKey(
        ResultType, on_delete=models.PROTECT, related_name="+", verbose_name="resultaat"
    )
    # Why the casemanager chose another resultaat than the one derived (empty: derived).
    result_reason = models.TextField("reden ander resultaat", blank=True)
    result_chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="resultaat gekozen door",
    )
    brondatum = models.DateField("brondatum", null=True, blank=True)
    archiefactiedatum = models.DateField("archiefactiedatum", null=True, blank=True)
    archiefnominatie = models.CharField(
        "archiefnominatie", max_length=20, choices=Waardering.choices, blank=True
    )
    destroyed_at = models.DateTimeField("vernietigd op", null=True, blank=True)

    class Meta:
        verbose_name = "archiefgegevens casus"
        verbose_name_plural = "archiefgegevens casussen"
        constraints = [
            models.CheckConstraint(
                condition=Q(archiefnominatie="") | Q(archiefnominatie__in=Waardering.values),
                name="casearchive_nominatie_valid",
            ),
        ]
        indexes = [
            # The list filters and the monthly proposal: nominatie, then the date.
            models.Index(
                fields=["archiefnominatie", "archiefactiedatum"], name="casearchive_action_idx"
            ),
            models.Index(fields=["brondatum"], name="casearchive_brondatum_idx"),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.result_type}"


class MeasureResult(models.Model):
    """The resultaat a maatregel got when it ended, and the date its last step (collection
    and proceedings included) happened."""

    measure = models.OneToOneField(
        "measures.Measure",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="archive_result",
        verbose_name="maatregel",
    )
    result_type = models.ForeignKey(
        ResultType, on_delete=models.PROTECT, related_name="+", verbose_name="resultaat"
    )
    # What happened besides the maatregel's own process and has its own resultaat in the
    # Selectielijst 2020: bezwaar or beroep (13.x) and invordering (18.x). Derived by the
    # services; every one counts for the case's archiefactiedatum.
    further_result_types = models.ManyToManyField(
        ResultType, blank=True, related_name="+", verbose_name="bijkomende resultaten"
    )
    # Why a user chose another resultaat than the derived one (empty: derived).
    result_reason = models.TextField("reden ander resultaat", blank=True)
    result_chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="resultaat gekozen door",
    )
    ended_on = models.DateField("einde maatregel")

    class Meta:
        verbose_name = "resultaat maatregel"
        verbose_name_plural = "resultaten maatregelen"

    def __str__(self):
        return f"{self.measure_id}: {self.result_type}"


class DestructionList(models.Model):
    """A vernietigingslijst: proposed monthly, reviewed by a team leader, approved by the
    archivaris; only then destroyed by the background job."""

    kind = models.CharField("soort", max_length=20, choices=ListKind.choices)
    status = models.CharField(
        "status", max_length=20, choices=ListStatus.choices, default=ListStatus.PROPOSED
    )
    proposed_on = models.DateField("voorgesteld op")
    # The login events list: the events before this moment (six months, Selectielijst 19.1.24).
    cutoff_at = models.DateTimeField("grens", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="beoordeeld door",
    )
    reviewed_at = models.DateTimeField("beoordeeld op", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="goedgekeurd door",
    )
    approved_at = models.DateTimeField("goedgekeurd op", null=True, blank=True)
    destroyed_at = models.DateTimeField("vernietigd op", null=True, blank=True)

    class Meta:
        verbose_name = "vernietigingslijst"
        verbose_name_plural = "vernietigingslijsten"
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ListStatus.values), name="destructionlist_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ListKind.values), name="destructionlist_kind_valid"
            ),
        ]

    def __str__(self):
        return f"Vernietigingslijst {self.get_kind_display().lower()} {self.proposed_on:%d-%m-%Y}"


class DestructionListItem(models.Model):
    """A case on a vernietigingslijst. An item taken off (uitzondering, or the case was
    reopened) keeps its row with the reason; only the others are destroyed."""

    destruction_list = models.ForeignKey(
        DestructionList, on_delete=models.PROTECT, related_name="items", verbose_name="lijst"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="casus"
    )
    reference = models.CharField("referentie", max_length=20)
    result_type = models.ForeignKey(
        ResultType, on_delete=models.PROTECT, related_name="+", verbose_name="resultaat"
    )
    brondatum = models.DateField("brondatum")
    archiefactiedatum = models.DateField("archiefactiedatum")
    excluded_reason = models.TextField("reden uitzondering", blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="uitgezonderd door",
    )

    class Meta:
        verbose_name = "casus op vernietigingslijst"
        verbose_name_plural = "casussen op vernietigingslijsten"
        ordering = ["destruction_list", "result_type__id", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["destruction_list", "case"], name="destructionlistitem_once"
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def excluded(self) -> bool:
        return bool(self.excluded_reason)


class DestructionStatement(models.Model):
    """The verklaring van vernietiging of one list: kept permanently (Selectielijst 2020,
    19.1.18 'Archiefvernietiging': blijvend bewaren). What was destroyed is frozen in
    `content` (references, resultaat, period, number of files), so it reads the same after
    the cases themselves are emptied."""

    destruction_list = models.OneToOneField(
        DestructionList,
        on_delete=models.PROTECT,
        related_name="statement",
        verbose_name="vernietigingslijst",
    )
    made_at = models.DateTimeField("opgemaakt op")
    approved_by_name = models.CharField("goedgekeurd door", max_length=200)
    reviewed_by_name = models.CharField("beoordeeld door", max_length=200, blank=True)
    content = models.JSONField("inhoud", default=dict)

    class Meta:
        verbose_name = "verklaring van vernietiging"
        verbose_name_plural = "verklaringen van vernietiging"
        ordering = ["-made_at"]

    def __str__(self):
        return f"Verklaring van vernietiging {self.made_at:%d-%m-%Y}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Een verklaring van vernietiging wordt niet gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Een verklaring van vernietiging wordt blijvend bewaard.")
