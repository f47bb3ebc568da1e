"""The dossier of a case: documents (uploaded or made from a letter template), letter templates
with their versions, and the PDF of a whole case file."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from woonoverlast.common.jobs import FINISHED_STATES, JobState

from .querysets import DocumentQuerySet
from .storage import get_dossier_storage


class DocumentType(models.TextChoices):
    INVESTIGATION_REPORT = "onderzoeksverslag", "Onderzoeksverslag"
    PHOTO = "foto", "Foto"
    LETTER = "brief", "Brief"
    DECISION = "besluit", "Besluit"
    MINUTES = "verslag", "Verslag"
    EMAIL = "email", "E-mail"
    OTHER = "overig", "Overig"


class LetterTemplate(models.Model):
    """A kind of letter the team sends; its DOCX lives in versions (the newest is used)."""

    name = models.CharField("naam", max_length=100, unique=True)
    description = models.CharField("toelichting", max_length=300, blank=True)
    is_active = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = "briefsjabloon"
        verbose_name_plural = "briefsjablonen"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def current_version(self):
        """The newest version (prefetch `versions` when listing templates)."""
        versions = sorted(self.versions.all(), key=lambda version: version.number)
        return versions[-1] if versions else None


class LetterTemplateVersion(models.Model):
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, related_name="versions", verbose_name="sjabloon"
    )
    number = models.PositiveIntegerField("versie")
    file = models.FileField(
        "bestand", storage=get_dossier_storage, upload_to="sjablonen/", max_length=300
    )
    fields_used = models.JSONField("gebruikte velden", default=list)
    uses_measure = models.BooleanField("gebruikt maatregelvelden", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="geüpload door",
    )
    uploaded_at = models.DateTimeField("geüpload op", auto_now_add=True)

    class Meta:
        verbose_name = "sjabloonversie"
        verbose_name_plural = "sjabloonversies"
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="documents_template_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.template} (versie {self.number})"


class Document(models.Model):
    """One file of a case's dossier. A new version is a new row pointing at the one it
    replaces (`previous_version`); the old rows and their files stay."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="documents", verbose_name="casus"
    )
    action = models.ForeignKey(
        "cases.Action",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="actie",
    )
    melding = models.ForeignKey(
        "cases.Melding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="melding",
    )
    measure_step = models.ForeignKey(
        "measures.MeasureStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="maatregelstap",
    )
    party = models.ForeignKey(
        "cases.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name="geadresseerde",
    )
    title = models.CharField("titel", max_length=200)
    document_type = models.CharField("soort", max_length=20, choices=DocumentType.choices)
    file = models.FileField(
        "bestand", storage=get_dossier_storage, max_length=300, blank=True, editable=False
    )
    original_name = models.CharField("oorspronkelijke naam", max_length=200, blank=True)
    size = models.PositiveBigIntegerField("grootte (bytes)")
    content_type = models.CharField("bestandssoort", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    thumbnail = models.FileField(
        "miniatuur", storage=get_dossier_storage, max_length=300, blank=True, editable=False
    )
    confidential = models.BooleanField(
        "vertrouwelijk",
        default=False,
        help_text="Alleen de casemanager van de casus en teamleiders zien dit document.",
    )
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name="vorige versie",
    )
    version = models.PositiveIntegerField("versie", default=1)
    is_current = models.BooleanField("nieuwste versie", default=True)
    template_version = models.ForeignKey(
        LetterTemplateVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="gemaakt met sjabloon",
    )
    pdf_file = models.FileField(
        "PDF", storage=get_dossier_storage, max_length=300, blank=True, editable=False
    )
    pdf_state = models.CharField(
        "PDF-status", max_length=20, choices=JobState.choices, default=JobState.NONE
    )
    pdf_progress = models.PositiveSmallIntegerField("PDF-voortgang", default=0)
    pdf_message = models.CharField("PDF-melding", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="toegevoegd door",
    )
    uploaded_at = models.DateTimeField("toegevoegd op", auto_now_add=True)
    files_removed_at = models.DateTimeField(
        "bestanden verwijderd op", null=True, blank=True, editable=False
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documenten"
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["case", "is_current"], name="documents_case_current")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(previous_version__isnull=True, version=1)
                | models.Q(previous_version__isnull=False, version__gt=1),
                name="documents_version_chain",
            ),
            models.UniqueConstraint(
                fields=["previous_version"],
                condition=models.Q(previous_version__isnull=False),
                name="documents_one_next_version",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:detail", kwargs={"reference": self.case.reference, "pk": self.pk})

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def pdf_finished(self) -> bool:
        return self.pdf_state in FINISHED_STATES


class DossierExport(models.Model):
    """The PDF of a whole case file (AVG inzageverzoek, hand-over), made in the background."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="dossier_exports",
        verbose_name="casus",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="aangevraagd door",
    )
    with_parties = models.BooleanField("met betrokkenen", default=False)
    state = models.CharField(
        "status", max_length=20, choices=JobState.choices, default=JobState.PENDING
    )
    progress = models.PositiveSmallIntegerField("voortgang", default=0)
    file = models.FileField(
        "bestand", storage=get_dossier_storage, max_length=300, blank=True, editable=False
    )
    error = models.CharField("fout", max_length=300, blank=True)
    created_at = models.DateTimeField("aangevraagd op", auto_now_add=True)
    finished_at = models.DateTimeField("klaar op", null=True, blank=True)

    class Meta:
        verbose_name = "dossierexport"
        verbose_name_plural = "dossierexports"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Dossier {self.case} ({self.created_at:%d-%m-%Y %H:%M})"

    def get_absolute_url(self):
        return reverse(
            "documents:export_detail", kwargs={"reference": self.case.reference, "pk": self.pk}
        )

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES
