"""Casusoverleg: partner organisations, their convenanten, the overleggen with their agenda,
bespreking and afspraken, and the register of verstrekkingen (AVG art. 5 lid 2 and 30)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from woonoverlast.cases.validators import FREE_TEXT_VALIDATORS

from .choices import DataCategory, DisclosureChannel, ItemState, PartnerKind
from .querysets import (
    AgreementQuerySet,
    CovenantQuerySet,
    DisclosureQuerySet,
    MeetingQuerySet,
)


class Organisation(models.Model):
    """A ketenpartner organisation that takes part in the casusoverleg.

    `reference` links it to the entry of the reference list `cases.Partner` that case files
    are tagged with (the list stays as it is: cases, the import, the API and the demo use it);
    this model adds what the overleg needs: the kind, contacts and convenanten."""

    name = models.CharField("naam", max_length=150, unique=True)
    kind = models.CharField("soort", max_length=20, choices=PartnerKind.choices)
    reference = models.OneToOneField(
        "cases.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name="ketenpartner in de casussen",
    )
    is_active = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = "partnerorganisatie"
        verbose_name_plural = "partnerorganisaties"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A contact person of a partner organisation; `user` is their ketenpartner account."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name="organisatie",
    )
    name = models.CharField("naam", max_length=150)
    function = models.CharField("functie", max_length=150, blank=True)
    email = models.EmailField("e-mailadres", blank=True)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_contact",
        verbose_name="account (rol ketenpartner)",
    )
    is_active = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = "contactpersoon"
        verbose_name_plural = "contactpersonen"
        ordering = ["organisation__name", "name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class Covenant(models.Model):
    """A convenant: the organisation may receive these categories of data, for the
    casusoverleg, in this period (doelbinding, AVG art. 5 lid 1 sub b)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="covenants",
        verbose_name="organisatie",
    )
    title = models.CharField("titel", max_length=200)
    valid_from = models.DateField("geldig vanaf")
    valid_until = models.DateField("geldig tot en met", null=True, blank=True)
    # DataCategory values; a JSON list so that SQLite and PostgreSQL store it alike.
    categories = models.JSONField("gegevenscategorieën", default=list)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    objects = CovenantQuerySet.as_manager()

    class Meta:
        verbose_name = "convenant"
        verbose_name_plural = "convenanten"
        ordering = ["organisation__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="covenant_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.organisation})"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def category_labels(self) -> list[str]:
        return [
            DataCategory(value).label for value in DataCategory.values if value in self.categories
        ]


class Meeting(models.Model):
    """One casusoverleg."""

    held_on = models.DateField("datum")
    title = models.CharField("titel", max_length=200, default="Casusoverleg woonoverlast")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
        verbose_name="voorzitter",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="meetings",
        blank=True,
        verbose_name="deelnemers van het team",
    )
    partner_contacts = models.ManyToManyField(
        Contact, related_name="meetings", blank=True, verbose_name="deelnemers van partners"
    )
    agenda_set_at = models.DateTimeField("agenda vastgesteld op", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="aangemaakt door",
    )
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "casusoverleg"
        verbose_name_plural = "casusoverleggen"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"], name="meeting_held_on_idx")]

    def __str__(self):
        return f"{self.title} {self.held_on:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("overleg:detail", kwargs={"pk": self.pk})


class AgendaItem(models.Model):
    """A case proposed for (and, once the chair accepts it, on) the agenda of an overleg."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="items", verbose_name="overleg"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="agenda_items", verbose_name="casus"
    )
    question = models.TextField("vraag aan de partners", validators=FREE_TEXT_VALIDATORS)
    state = models.CharField(
        "status", max_length=20, choices=ItemState.choices, default=ItemState.PROPOSED
    )
    position = models.PositiveSmallIntegerField("volgorde", default=0)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="voorgesteld door",
    )
    proposed_at = models.DateTimeField("voorgesteld op", auto_now_add=True)
    minutes = models.TextField("bespreking", blank=True, validators=FREE_TEXT_VALIDATORS)
    minutes_at = models.DateTimeField("bespreking vastgelegd op", null=True, blank=True)
    # The action *ketenoverleg* that puts the bespreking on the case's timeline.
    minutes_action = models.OneToOneField(
        "cases.Action",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_item",
        verbose_name="actie op de tijdlijn",
    )

    PERSONAL_DATA_FIELDS = ("question", "minutes")

    class Meta:
        verbose_name = "agendapunt"
        verbose_name_plural = "agendapunten"
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="agenda_item_case_once"),
        ]

    def __str__(self):
        return f"{self.case.reference} in {self.meeting}"


class Agreement(models.Model):
    """An afspraak: who does what by when. Its owner is a colleague (then it is a follow-up
    in termijnbewaking: `action`, whose follow-up date is the due date and whose settling is
    the afspraak's) or a partner organisation, optionally one of its contacts."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="agreements", verbose_name="agendapunt"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="agreements", verbose_name="casus"
    )
    text = models.TextField("afspraak", validators=FREE_TEXT_VALIDATORS)
    due_on = models.DateField("uiterlijk op")
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name="uitvoerder (team)",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name="uitvoerder (partner)",
    )
    owner_contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name="contactpersoon",
    )
    action = models.OneToOneField(
        "cases.Action",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement",
        verbose_name="vervolgactie",
    )
    done_on = models.DateField("uitgevoerd op", null=True, blank=True)
    done_note = models.TextField("toelichting", blank=True, validators=FREE_TEXT_VALIDATORS)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="afgemeld door",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("text", "done_note")
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"
        ordering = ["due_on", "pk"]
        constraints = [
            # Exactly one owner: a colleague or an organisation.
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False, owner_organisation__isnull=True)
                | Q(owner_user__isnull=True, owner_organisation__isnull=False),
                name="agreement_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(owner_contact__isnull=True) | Q(owner_organisation__isnull=False),
                name="agreement_contact_of_organisation",
            ),
        ]
        indexes = [models.Index(fields=["owner_organisation", "done_on"], name="agreement_org_idx")]

    def __str__(self):
        return f"Afspraak {self.case.reference} uiterlijk {self.due_on:%d-%m-%Y}"

    @property
    def owner_label(self) -> str:
        if self.owner_user_id:
            return self.owner_user.get_full_name() or self.owner_user.get_username()
        if self.owner_contact_id:
            return f"{self.owner_organisation} ({self.owner_contact.name})"
        return str(self.owner_organisation)

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, on: datetime.date) -> bool:
        return self.done_on is None and self.due_on < on

    @property
    def done_in_time(self) -> bool:
        return self.done_on is not None and self.done_on <= self.due_on


class Disclosure(models.Model):
    """A verstrekking: which categories of data of which case went to which organisation and
    person, under which convenant, when and how. The register AVG art. 5 lid 2 (verantwoording)
    and art. 30 lid 1 sub d (ontvangers) ask the municipality to be able to show. Append-only."""

    disclosed_at = models.DateTimeField("verstrekt op", db_index=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="disclosures", verbose_name="casus"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="disclosures",
        verbose_name="organisatie",
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
        verbose_name="contactpersoon",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="account",
    )
    covenant = models.ForeignKey(
        Covenant, on_delete=models.PROTECT, related_name="disclosures", verbose_name="convenant"
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
        verbose_name="overleg",
    )
    categories = models.JSONField("gegevenscategorieën", default=list)
    channel = models.CharField("hoe", max_length=20, choices=DisclosureChannel.choices)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = "verstrekking"
        verbose_name_plural = "verstrekkingen"
        ordering = ["-disclosed_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "disclosed_at"], name="disclosure_org_idx"),
            models.Index(fields=["case", "disclosed_at"], name="disclosure_case_idx"),
        ]

    def __str__(self):
        return f"{self.case.reference} aan {self.organisation} op {self.disclosed_at:%d-%m-%Y}"

    def category_labels(self) -> list[str]:
        return [
            DataCategory(value).label for value in DataCategory.values if value in self.categories
        ]
