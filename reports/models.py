"""What the reports keep: frozen (vastgestelde) tables and background export jobs.

The figures themselves are never stored: Tabel 5.1 is computed from the case history. A frozen
table keeps the numbers as they were published and, per case, the cell it was counted in, so
that a later difference can be explained case by case.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from woonoverlast.accounts.roles import can_lead_team
from woonoverlast.cases.choices import HousingType, Status
from woonoverlast.common.jobs import JobState, job_state_choices


class FrozenTable(models.Model):
    """Tabel 5.1 of one year as it was vastgesteld (published): the numbers stay as they were."""

    year = models.PositiveSmallIntegerField("jaar", unique=True)
    as_of = models.DateField("peildatum")
    # The published rows: [{"district_id": 1, "name": "Centrum", "cells": [5, 3, 9, 15, 0, 5]}]
    # in display order, cells in the order of reports.tabel51.COLUMNS. Names as they were then.
    rows = models.JSONField("cellen")
    note = models.CharField(
        "toelichting",
        max_length=300,
        blank=True,
        help_text="Bijvoorbeeld waar de tabel gepubliceerd is.",
    )
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="vastgesteld door",
    )
    frozen_at = models.DateTimeField("vastgesteld op", auto_now_add=True)

    class Meta:
        verbose_name = "vastgestelde tabel"
        verbose_name_plural = "vastgestelde tabellen"
        ordering = ["-year"]

    def __str__(self):
        return f"Tabel 5.1 {self.year} (vastgesteld)"

    def get_absolute_url(self):
        return reverse("reports:tabel51_frozen", kwargs={"year": self.year})


class FrozenCase(models.Model):
    """One case of a frozen table and the cell it was counted in at freeze time."""

    table = models.ForeignKey(
        FrozenTable, on_delete=models.CASCADE, related_name="cases", verbose_name="tabel"
    )
    # Kept when the case itself is removed later (retention): the difference stays explainable.
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        related_name="frozen_entries",
        verbose_name="casus",
    )
    reference = models.CharField("referentie", max_length=20)
    district = models.ForeignKey(
        "cases.District", on_delete=models.PROTECT, related_name="+", verbose_name="wijk"
    )
    housing_type = models.CharField("woningtype", max_length=12, choices=HousingType.choices)
    status = models.CharField("status op de peildatum", max_length=6, choices=Status.choices)

    class Meta:
        verbose_name = "casus in een vastgestelde tabel"
        verbose_name_plural = "casussen in vastgestelde tabellen"
        constraints = [
            models.UniqueConstraint(
                fields=["table", "case"],
                condition=Q(case__isnull=False),
                name="frozencase_once_per_table",
            ),
        ]

    def __str__(self):
        return f"{self.table}: {self.reference}"


class ExportJobQuerySet(models.QuerySet):
    def stale(self, now=None):
        """Waiting or running jobs that have not moved for EXPORT_STALE_MINUTES."""
        now = now or timezone.now()
        limit = now - datetime.timedelta(minutes=settings.EXPORT_STALE_MINUTES)
        return self.filter(
            state__in=[ExportJob.State.PENDING, ExportJob.State.RUNNING], heartbeat_at__lt=limit
        )


class ExportJob(models.Model):
    """A Tabel 5.1 export that runs in the background (several years at once)."""

    # The states every background job has (woonoverlast.common.jobs); an export reaches
    # these four.
    State = JobState

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (XLSX, één tabblad per jaar)"
        CSV = "csv", "CSV (ZIP met één bestand per jaar)"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name="aangevraagd door",
    )
    year_from = models.PositiveSmallIntegerField("van jaar")
    year_to = models.PositiveSmallIntegerField("tot en met jaar")
    file_format = models.CharField("formaat", max_length=4, choices=Format.choices)
    carried_over = models.BooleanField("met doorlopende casussen", default=False)
    state = models.CharField(
        "status",
        max_length=8,
        choices=job_state_choices(
            JobState.PENDING, JobState.RUNNING, JobState.DONE, JobState.FAILED
        ),
        default=JobState.PENDING,
    )
    progress = models.PositiveSmallIntegerField("voortgang (%)", default=0)
    file = models.FileField("bestand", upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField("foutmelding", blank=True)
    created_at = models.DateTimeField("aangevraagd op", auto_now_add=True)
    started_at = models.DateTimeField("gestart op", null=True, blank=True)
    finished_at = models.DateTimeField("klaar op", null=True, blank=True)
    # Every step of the job moves it; a waiting or running job that has not moved for
    # EXPORT_STALE_MINUTES is taken to be lost (worker or process killed) and marked failed.
    heartbeat_at = models.DateTimeField("laatste teken van leven", default=timezone.now)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "export"
        verbose_name_plural = "exports"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="exportjob_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="exportjob_years_in_order"
            ),
        ]

    def __str__(self):
        return f"Export Tabel 5.1 {self.period_label}"

    def get_absolute_url(self):
        return reverse("reports:export_detail", kwargs={"pk": self.pk})

    @property
    def period_label(self) -> str:
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    def may_be_seen_by(self, user) -> bool:
        """The one who asked for it, or a team leader."""
        return user.pk == self.requested_by_id or can_lead_team(user)
