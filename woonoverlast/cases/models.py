from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Substr, Upper
from django.urls import reverse

from .choices import (
    ActionType,
    ClosingReason,
    Complexity,
    HousingType,
    MeldingSource,
    PartyRole,
    Status,
)
from .personal_data import REMOVED, holds_personal_data
from .querysets import (
    ActionQuerySet,
    CaseQuerySet,
    StatusChangeQuerySet,
    working_term_closing,
)
from .validators import (
    FREE_TEXT_VALIDATORS,
    validate_house_number_addition,
    validate_postcode,
)


class District(models.Model):
    """A wijk: a row of Tabel 5.1."""

    name = models.CharField("naam", max_length=100, unique=True)
    display_order = models.PositiveSmallIntegerField("volgorde", default=0)
    is_active = models.BooleanField(
        "actief", default=True, help_text="Niet-actieve wijken kunnen niet meer gekozen worden."
    )

    class Meta:
        verbose_name = "wijk"
        verbose_name_plural = "wijken"
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name


class ReferenceList(models.Model):
    """A short list a team leader maintains in the admin."""

    name = models.CharField("naam", max_length=100, unique=True)
    display_order = models.PositiveSmallIntegerField("volgorde", default=0)
    is_active = models.BooleanField("actief", default=True)

    class Meta:
        abstract = True
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name


class Category(ReferenceList):
    """A kind of nuisance (geluidsoverlast, verzamelwoede, ...); a case can have several."""

    code = models.SlugField("code", max_length=40, unique=True)

    class Meta(ReferenceList.Meta):
        verbose_name = "categorie"
        verbose_name_plural = "categorieën"


class Partner(ReferenceList):
    """A ketenpartner: an organisation the team works with on a case."""

    class Meta(ReferenceList.Meta):
        verbose_name = "ketenpartner"
        verbose_name_plural = "ketenpartners"


class HousingCorporation(ReferenceList):
    """A woningcorporatie that owns social rental homes."""

    class Meta(ReferenceList.Meta):
        verbose_name = "woningcorporatie"
        verbose_name_plural = "woningcorporaties"


class ReferenceCounter(models.Model):
    """The last sequence number handed out per year, for references like WO-2023-0042."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "referentieteller"
        verbose_name_plural = "referentietellers"

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Case(models.Model):
    """A casus: nuisance from or around one home, worked by the team until it is closed.

    `status` and `closed_on` mirror the latest StatusChange row; only the status services
    write them, so lists and filters need no join while reports read the history.
    """

    reference = models.CharField("referentie", max_length=20, unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="cases", verbose_name="wijk"
    )
    housing_type = models.CharField("woningtype", max_length=12, choices=HousingType.choices)
    corporation = models.ForeignKey(
        HousingCorporation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="woningcorporatie",
    )
    street = models.CharField("straat", max_length=200, blank=True)
    house_number = models.PositiveIntegerField(
        "huisnummer",
        null=True,
        blank=True,
        # The same rule for the screens, the import and the API: there is no number 0.
        validators=[MinValueValidator(1, "Een huisnummer is 1 of hoger.")],
    )
    house_number_addition = models.CharField(
        "toevoeging", max_length=6, blank=True, validators=[validate_house_number_addition]
    )
    postcode = models.CharField(
        "postcode", max_length=7, blank=True, validators=[validate_postcode]
    )
    categories = models.ManyToManyField(
        Category, related_name="cases", blank=True, verbose_name="categorieën"
    )
    description = models.TextField("omschrijving", blank=True, validators=FREE_TEXT_VALIDATORS)
    registered_on = models.DateField("geregistreerd op")
    casemanager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name="casemanager",
        db_index=False,  # case_casemanager_idx and case_casemanager_term_idx begin with it
    )
    complexity = models.CharField(
        "complexiteit", max_length=12, choices=Complexity.choices, default=Complexity.SIMPLE
    )
    partners = models.ManyToManyField(
        Partner, related_name="cases", blank=True, verbose_name="ketenpartners"
    )
    next_review_on = models.DateField(
        "volgende evaluatie",
        null=True,
        blank=True,
        help_text="Wanneer de casus opnieuw bekeken moet worden.",
    )
    status = models.CharField(
        "status", max_length=6, choices=Status.choices, default=Status.OPEN, editable=False
    )
    closed_on = models.DateField("afgerond op", null=True, blank=True, editable=False)
    # The latest of the registration, the last reopening and the last action: what
    # termijnbewaking calls stalled and the overview counts, read from this column instead of
    # worked out from the history of every open case on each page (docs/performance.md).
    # Kept up to date by services.last_activity, in the transaction of each change.
    last_activity_on = models.DateField("laatste activiteit", editable=False)
    anonymised_at = models.DateTimeField("geanonimiseerd op", null=True, blank=True, editable=False)
    # Optimistic locking: every change of the case row raises it, so that a form saved from
    # an outdated copy is refused instead of silently overwriting someone else's change.
    version = models.PositiveIntegerField("versie", default=1, editable=False)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="aangemaakt door",
        db_index=False,  # case_created_by_term_idx begins with it
    )

    objects = CaseQuerySet.as_manager()

    # Fields that can identify people: never written to the audit log, removed when the
    # bewaartermijn has passed. The same lists on the models below.
    PERSONAL_DATA_FIELDS = (
        "street",
        "house_number",
        "house_number_addition",
        "postcode",
        "description",
    )

    class Meta:
        verbose_name = "casus"
        verbose_name_plural = "casussen"
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("registered_on")),
                name="case_closed_not_before_registered",
                violation_error_message="De afsluitdatum ligt voor de registratiedatum.",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.OPEN, closed_on__isnull=True)
                | Q(status=Status.CLOSED, closed_on__isnull=False),
                name="case_closed_on_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(corporation__isnull=True) | Q(housing_type=HousingType.CORPORATIE),
                name="case_corporation_only_for_corporatie",
                violation_error_message="Een woningcorporatie hoort alleen bij woningtype "
                "corporatie.",
            ),
            models.CheckConstraint(
                condition=Q(housing_type__in=HousingType.values),
                name="case_housing_type_valid",
            ),
        ]
        indexes = [
            # Tabel 5.1: the cases registered in a year, grouped by wijk and housing type.
            models.Index(
                fields=["registered_on", "district", "housing_type"], name="case_registered_idx"
            ),
            # Lists and the live overview: open cases per wijk, per casemanager.
            models.Index(fields=["status", "district", "housing_type"], name="case_status_idx"),
            models.Index(fields=["casemanager", "status"], name="case_casemanager_idx"),
            # A casemanager's search (querysets.text_condition) reads the closed cases they
            # may see by these: their own and those they registered, in the working term
            # (docs/performance.md). They also serve the foreign keys (db_index=False there).
            models.Index(
                F("casemanager"), working_term_closing(), name="case_casemanager_term_idx"
            ),
            models.Index(F("created_by"), working_term_closing(), name="case_created_by_term_idx"),
            # The counts over all open cases (the overview's blocks, the team leader's start
            # page, stalled per casemanager): an index-only scan of the open cases, a few MB,
            # instead of reading them from the whole table (docs/performance.md).
            # `status` too, although always "open" here: querysets.stalled names it, and a
            # query that names a column the index lacks must read the table. `id`: COUNT(id),
            # and the join of the team's pending follow-ups to their cases' casemanagers.
            models.Index(
                fields=[
                    "district",
                    "housing_type",
                    "complexity",
                    "casemanager",
                    "registered_on",
                    "last_activity_on",
                    "status",
                    "id",
                ],
                condition=Q(status=Status.OPEN),
                name="case_open_counts_idx",
            ),
            # The team's pending follow-ups counted per casemanager (followups.selection):
            # the open cases in the order of their id, with their casemanager, so that the
            # follow-ups (action_case_pending_idx, also in case order) meet them in a merge
            # of two index-only scans instead of a hash of all open cases.
            models.Index(
                fields=["id", "casemanager"],
                condition=Q(status=Status.OPEN),
                name="case_open_id_idx",
            ),
            # Termijnbewaking and the overview: open cases stalled since a date.
            models.Index(fields=["status", "last_activity_on"], name="case_last_activity_idx"),
            # Termijnbewaking: the cases closed in the nazorg window, the reviews due; without
            # them, each read every open or closed case.
            models.Index(
                fields=["closed_on"], condition=Q(status=Status.CLOSED), name="case_closed_idx"
            ),
            models.Index(
                fields=["next_review_on"],
                condition=Q(status=Status.OPEN, next_review_on__isnull=False),
                name="case_review_idx",
            ),
            models.Index(fields=["postcode", "house_number"], name="case_address_idx"),
            # The list's search on "street number": with the street's trigram index, so that
            # "Lucypad 154" reads the few cases at number 154, not every case in the street.
            models.Index(fields=["house_number"], name="case_house_number_idx"),
            # The intake's matches on the same street a few numbers away (intake.matching).
            models.Index(
                Upper("street"),
                Substr("postcode", 1, 4),
                "house_number",
                name="case_street_number_idx",
            ),
            # The services' uniqueness check (reference__iexact): without it every import row
            # scanned all cases (docs/performance.md).
            models.Index(Upper("reference"), name="case_reference_upper_idx"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("cases:detail", kwargs={"reference": self.reference})

    @property
    def address(self) -> str:
        number = f"{self.house_number or ''}{self.house_number_addition}".strip()
        street = f"{self.street} {number}".strip()
        return ", ".join(part for part in (street, self.postcode) if part)

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN


class Correctable(models.Model):
    """What a party, melding or action records about its corrections (services.corrections).

    Nothing is deleted: an entry entered in error is *withdrawn* (ingetrokken: verkeerd
    vastgelegd) with a reason and stays visible, struck through, while every count, follow-up,
    last activity and stalled computation leaves it out. An edit keeps the last correction's
    date and author here; the old values are in the audit log.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="vastgelegd door",
    )
    corrected_at = models.DateTimeField("gecorrigeerd op", null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gecorrigeerd door",
    )
    withdrawn_at = models.DateTimeField("ingetrokken op", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ingetrokken door",
    )
    withdrawal_reason = models.TextField(
        "reden intrekken", blank=True, validators=FREE_TEXT_VALIDATORS
    )

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def author_id(self) -> int | None:
        """Who entered it (accounts.roles.can_correct_entry): its author may correct it."""
        return self.created_by_id


PARTY_ANONYMISED = {
    "name": REMOVED,
    "phone": "",
    "email": "",
    "address": "",
    "notes": "",
    "withdrawal_reason": "",
}
MELDING_ANONYMISED = {"text": REMOVED, "withdrawal_reason": ""}
ACTION_ANONYMISED = {"notes": "", "present": "", "findings": "", "withdrawal_reason": ""}


class Party(Correctable):
    """A person involved in a case. Personal data lives here, apart from the case's facts,
    so that it can be protected and anonymised on its own."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="parties", verbose_name="casus"
    )
    role = models.CharField("rol", max_length=12, choices=PartyRole.choices)
    name = models.CharField("naam", max_length=200)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    address = models.CharField(
        "adres", max_length=250, blank=True, help_text="Alleen als het afwijkt van de casus."
    )
    notes = models.TextField("notities", blank=True, validators=FREE_TEXT_VALIDATORS)
    anonymised_at = models.DateTimeField("geanonimiseerd op", null=True, blank=True)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("name", "phone", "email", "address", "notes", "withdrawal_reason")
    ANONYMISED = PARTY_ANONYMISED

    class Meta:
        verbose_name = "betrokkene"
        verbose_name_plural = "betrokkenen"
        ordering = ["case", "role", "id"]
        indexes = [
            # The intake looks for cases with the same melder (intake.matching).
            models.Index(
                Lower("email"),
                condition=Q(role=PartyRole.REPORTER),
                name="party_reporter_email_idx",
            ),
            models.Index(
                "phone", condition=Q(role=PartyRole.REPORTER), name="party_reporter_phone_idx"
            ),
            # The bewaartermijn looks up the parties that still hold personal data.
            models.Index(
                fields=["case"],
                condition=holds_personal_data(PARTY_ANONYMISED),
                name="party_personal_data_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.name}"


class Melding(Correctable):
    """A melding: one complaint of nuisance. Tabel 5.1 counts cases, not meldingen."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="meldingen", verbose_name="casus"
    )
    received_on = models.DateField("datum melding")
    source = models.CharField("bron", max_length=12, choices=MeldingSource.choices)
    text = models.TextField("melding", validators=FREE_TEXT_VALIDATORS)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("text", "withdrawal_reason")
    ANONYMISED = MELDING_ANONYMISED

    class Meta:
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        ordering = ["case", "received_on", "id"]
        indexes = [
            models.Index(
                fields=["case"],
                condition=holds_personal_data(MELDING_ANONYMISED),
                name="melding_personal_data_idx",
            ),
        ]

    def __str__(self):
        return f"Melding {self.received_on:%d-%m-%Y} ({self.get_source_display()})"


class StatusChange(models.Model):
    """One change of a case's status: append-only history.

    `ended_on` is the effective date of the next change (empty for the latest), so the status
    on a reference date P is the one row with effective_on <= P < ended_on: a range condition
    in one join, which keeps Tabel 5.1 for a past year fast and stable. Only
    services.status writes these rows.
    """

    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        db_index=False,  # statuschange_case_idx begins with it
        related_name="status_changes",
        verbose_name="casus",
    )
    status = models.CharField("status", max_length=6, choices=Status.choices)
    effective_on = models.DateField("ingangsdatum")
    ended_on = models.DateField("einddatum", null=True, blank=True)
    closing_reason = models.CharField(
        "reden afsluiten", max_length=14, choices=ClosingReason.choices, blank=True
    )
    note = models.TextField("toelichting", blank=True, validators=FREE_TEXT_VALIDATORS)
    # A correction by a team leader (services.status.status_correct): this row replaces
    # `corrects`, which stays as it was but is no longer in effect on any date.
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by_row",
        verbose_name="corrigeert",
    )
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="vastgelegd door",
    )

    objects = StatusChangeQuerySet.as_manager()

    PERSONAL_DATA_FIELDS = ("note",)

    class Meta:
        verbose_name = "statuswijziging"
        verbose_name_plural = "statuswijzigingen"
        ordering = ["case", "effective_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.OPEN, closing_reason="")
                | Q(status=Status.CLOSED) & ~Q(closing_reason=""),
                name="statuschange_reason_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("effective_on")),
                name="statuschange_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_on__isnull=True),
                name="statuschange_one_current_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "effective_on"], name="statuschange_case_idx"),
        ]

    def __str__(self):
        return f"{self.case}: {self.get_status_display()} per {self.effective_on:%d-%m-%Y}"


# A follow-up still to be done, of an open case (Action.case_open): the condition of the
# pending follow-ups' partial indexes, as querysets.follow_ups_due_by asks it.
PENDING_FOLLOW_UP = Q(
    follow_up_on__isnull=False,
    follow_up_done_on__isnull=True,
    withdrawn_at__isnull=True,
    case_open=True,
)


class Action(Correctable):
    """An actie: something the team did on a case, with an optional follow-up date."""

    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name="casus",
        db_index=False,  # action_case_idx begins with it
    )
    action_type = models.CharField("soort actie", max_length=20, choices=ActionType.choices)
    performed_on = models.DateField("datum")
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="uitgevoerd door",
    )
    notes = models.TextField("notities", blank=True, validators=FREE_TEXT_VALIDATORS)
    follow_up_on = models.DateField("vervolgdatum", null=True, blank=True)
    follow_up_done_on = models.DateField("vervolg afgehandeld op", null=True, blank=True)
    # The case's status, on the action: True while the case is open. Kept by
    # services.open_follow_ups after every status change and new action, so that the partial
    # index of pending follow-ups (action_follow_up_pending_idx) holds only those of open
    # cases: at 1,000,000 cases most follow-ups never marked done belong to cases closed
    # since (docs/performance.md).
    case_open = models.BooleanField("bij een lopende casus", default=True, editable=False)
    # Only for a huisbezoek.
    present = models.CharField("aanwezig", max_length=500, blank=True)
    findings = models.TextField("bevindingen", blank=True, validators=FREE_TEXT_VALIDATORS)
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("notes", "present", "findings", "withdrawal_reason")
    ANONYMISED = ACTION_ANONYMISED
    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "actie"
        verbose_name_plural = "acties"
        ordering = ["case", "performed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=F("performed_on")),
                name="action_follow_up_after_action",
            ),
            models.CheckConstraint(
                condition=Q(action_type=ActionType.HOME_VISIT) | Q(present="", findings=""),
                name="action_visit_fields_only_for_visits",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "performed_on"], name="action_case_idx"),
            models.Index(
                fields=["case"],
                condition=holds_personal_data(ACTION_ANONYMISED),
                name="action_personal_data_idx",
            ),
            # Termijnen: the pending follow-ups of open cases, with what the team's counts
            # read (the case to join, the id to count), so they come from the index alone.
            models.Index(
                fields=["follow_up_on", "case", "id"],
                condition=PENDING_FOLLOW_UP,
                name="action_follow_up_pending_idx",
            ),
            # A casemanager's due list: the pending follow-ups of each of their open cases,
            # with what the list shows (PostgreSQL: from the index alone). Without it each
            # of 1,600 cases read all its actions (docs/performance.md).
            models.Index(
                fields=["case", "follow_up_on"],
                include=["id", "performed_on", "action_type"],
                condition=PENDING_FOLLOW_UP,
                name="action_case_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_type_display()} {self.performed_on:%d-%m-%Y}"

    @property
    def follow_up_pending(self) -> bool:
        """querysets.follow_up_pending for this row: a follow-up not done on an open case."""
        return (
            self.follow_up_on is not None
            and self.follow_up_done_on is None
            and self.withdrawn_at is None
            and self.case_open
        )

    @property
    def author_id(self) -> int | None:
        """Who logged it; for actions logged before that was kept, who performed it."""
        return self.created_by_id or self.performed_by_id


class Reassignment(models.Model):
    """One reassignment of a case to another casemanager, with the team leader's reason.

    The audit log records that the case was reassigned and that a reason was given; the
    reason itself (free text) is kept here, like a reopening's note on its status row.
    """

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="reassignments", verbose_name="casus"
    )
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="vorige casemanager",
    )
    casemanager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="nieuwe casemanager",
    )
    reason = models.TextField("reden", max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="toegewezen door",
    )
    created_at = models.DateTimeField("toegewezen op", auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("reason",)

    class Meta:
        verbose_name = "toewijzing"
        verbose_name_plural = "toewijzingen"
        ordering = ["case", "created_at", "id"]

    def __str__(self):
        return f"{self.case} → {self.casemanager}"


class ActionMonth(models.Model):
    """How many actions of one type (in force) were performed in one month.

    The overview's "acties per maand" reads these few rows instead of counting the year's
    half a million actions at 1,000,000 cases. Derived data: kept by the services that log,
    correct and withdraw actions (services.action_months), in their own transaction; the
    tests check that it always equals the count from the actions themselves.
    """

    month = models.DateField("maand")  # its first day
    action_type = models.CharField("soort actie", max_length=20, choices=ActionType.choices)
    count = models.PositiveIntegerField("aantal", default=0)

    class Meta:
        verbose_name = "acties per maand"
        verbose_name_plural = "acties per maand"
        constraints = [
            models.UniqueConstraint(fields=["month", "action_type"], name="actionmonth_unique"),
        ]

    def __str__(self):
        return f"{self.month:%m-%Y} {self.get_action_type_display()}: {self.count}"


class Version(models.Model):
    """One row: a token that the services replace, in the transaction of a write, when they
    change what a stored count counts (services.figures.version_renew). A random token rather
    than a counter: a rolled-back write never gives a token that a later write reuses, and a
    reader of the replica reads the token that goes with the replica's own data."""

    token = models.CharField("versie", max_length=32)

    class Meta:
        abstract = True

    def __str__(self):
        return self.token


class CaseFiguresVersion(Version):
    """The version of every count of cases per year (Tabel 5.1): it changes with a
    registration, a correction of the registration date, the wijk or the housing type, any
    change of the status history, the import (services.figures.case_figures_changed).

    The stored tables (reports.stored) are keyed by it, so a table read from the cache was
    counted on exactly the data that is in the database now; so is the team leader's count of
    the open cases per wijk and housing type (cases.team_counts), which those writes change.
    """

    class Meta:
        verbose_name = "versie van de telgegevens"
        verbose_name_plural = "versie van de telgegevens"


class OpenCasesVersion(Version):
    """The version of the open cases per casemanager (the team leader's start page): it
    changes with a registration, a closing or reopening, a withdrawn status change, a
    reassignment, the import (services.open_cases.open_cases_changed).

    The stored count per casemanager (cases.team_counts) is keyed by it.
    """

    class Meta:
        verbose_name = "versie van de open casussen"
        verbose_name_plural = "versie van de open casussen"
