"""Every write of the reports app: freezing a table and running a background export.

Same conventions as woonoverlast.cases.services: keyword-only arguments, one transaction,
ValidationError with Dutch messages keyed by the argument names.
"""

import datetime
import logging
from collections import Counter

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from woonoverlast.accounts.roles import can_lead_team, can_view_reports
from woonoverlast.cases.models import Case
from woonoverlast.common.validation import Errors, format_date, today
from woonoverlast.db_router import use_replica

from . import exports, tabel51
from .models import ExportJob, FrozenCase, FrozenTable
from .period import check_period, check_year

logger = logging.getLogger(__name__)

# More years than this in one export is almost certainly a typing error.
MAX_EXPORT_YEARS = 30


@transaction.atomic
def table_freeze(*, year: int, as_of: datetime.date, by, note: str = "") -> FrozenTable:
    """Freeze Tabel 5.1 of `year` on `as_of` as published: its cells and, per case, the cell
    it is counted in, so that later differences can be explained case by case."""
    errors = Errors()
    if not can_lead_team(by):
        errors.add(None, "Alleen een teamleider kan een tabel vaststellen.", code="permission")
    check_period(errors, year, as_of)
    if as_of and as_of > today():
        errors.add(
            "as_of",
            "De peildatum ligt in de toekomst. Stel de tabel vast als de peildatum voorbij is.",
            code="as_of_in_future",
        )
    existing = FrozenTable.objects.filter(year=year).select_related("frozen_by").first()
    if existing:
        errors.add(
            "year",
            f"Tabel 5.1 van {year} is al vastgesteld op "
            f"{format_date(timezone.localdate(existing.frozen_at))} door {existing.frozen_by}.",
            code="already_frozen",
        )
    errors.raise_if_any()

    first, last = tabel51.registration_window(year, as_of)
    entries = list(
        Case.objects.registered_between(first, last)
        .with_status_on(as_of)
        .order_by("pk")
        .values_list("pk", "reference", "district_id", "housing_type", "status_on")
    )
    # The cells are counted from the same rows that are stored per case, so they always agree.
    counts = Counter((district, housing, status) for _, _, district, housing, status in entries)
    table = tabel51.layout(
        counts,
        tabel51.districts_in_order(),
        kind=tabel51.YEAR,
        year=year,
        as_of=as_of,
        registered_from=first,
        registered_to=last,
    )
    try:
        with transaction.atomic():
            frozen = FrozenTable.objects.create(
                year=year,
                as_of=as_of,
                rows=[
                    {"district_id": row.district_id, "name": row.name, "cells": list(row.cells)}
                    for row in table.rows
                ],
                note=note.strip(),
                frozen_by=by,
            )
    except IntegrityError:  # someone else froze the same year a moment ago
        errors.add("year", f"Tabel 5.1 van {year} is al vastgesteld.", code="already_frozen")
        errors.raise_if_any()
    FrozenCase.objects.bulk_create(
        [
            FrozenCase(
                table=frozen,
                case_id=pk,
                reference=reference,
                district_id=district,
                housing_type=housing,
                status=status,
            )
            for pk, reference, district, housing, status in entries
        ],
        batch_size=2000,
    )
    return frozen


@transaction.atomic
def export_request(
    *,
    by,
    year_from: int | None,
    year_to: int | None,
    file_format: str,
    carried_over: bool = False,
) -> ExportJob:
    """Queue an export of Tabel 5.1 for the years `year_from` to `year_to` (inclusive).

    The work starts once this transaction has committed (in-process when no broker is set).
    """
    errors = Errors()
    if not can_view_reports(by):
        errors.add(None, "U heeft geen toegang tot de rapportages.", code="permission")
    for field, year in (("year_from", year_from), ("year_to", year_to)):
        if year is None:
            errors.add(field, "Vul een jaar in.", code="required")
        check_year(errors, field, year)
    if year_from and year_to and year_to < year_from:
        errors.add(
            "year_to", "Het laatste jaar mag niet voor het eerste jaar liggen.", code="order"
        )
    elif year_from and year_to and year_to - year_from + 1 > MAX_EXPORT_YEARS:
        errors.add(
            "year_to",
            f"Exporteer hoogstens {MAX_EXPORT_YEARS} jaar tegelijk.",
            code="too_many_years",
        )
    if file_format not in ExportJob.Format.values:
        errors.add("file_format", "Kies een formaat: XLSX of CSV.", code="format")
    errors.raise_if_any()

    job = ExportJob.objects.create(
        requested_by=by,
        year_from=year_from,
        year_to=year_to,
        file_format=file_format,
        carried_over=carried_over,
    )
    transaction.on_commit(lambda: _export_start(job))
    return job


BROKER_DOWN = (
    "De export kon niet worden gestart: de achtergrondverwerking is niet bereikbaar. "
    "Probeer het later opnieuw; blijft het mislukken, meld het dan bij de beheerder."
)
STALLED = (
    "De export is afgebroken: er is {minutes} minuten geen voortgang geweest. "
    "Probeer het opnieuw; blijft het mislukken, meld het dan bij de beheerder."
)


def _export_start(job: ExportJob) -> None:
    """After commit: hand the job to a worker (or run it here without a broker). When the
    broker cannot be reached the job is marked failed, instead of waiting for ever."""
    from kombu.exceptions import OperationalError

    from .tasks import run_export

    try:
        run_export.delay(job.pk)
    except (OperationalError, OSError):
        logger.exception("Export %s could not be queued", job.pk)
        _set_progress(
            job, state=ExportJob.State.FAILED, error=BROKER_DOWN, finished_at=timezone.now()
        )


def _set_progress(job: ExportJob, **fields) -> None:
    """Save progress at once (outside any transaction) so that the status page sees it."""
    fields["heartbeat_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    ExportJob.objects.filter(pk=job.pk).update(**fields)


def exports_expire(*, now: datetime.datetime | None = None, pk: int | None = None) -> int:
    """Mark waiting or running jobs that stopped moving (EXPORT_STALE_MINUTES) as failed, all
    of them or only job `pk`; returns how many. Run by the pages and a periodic task."""
    from django.conf import settings

    now = now or timezone.now()
    stale = ExportJob.objects.stale(now)
    if pk is not None:
        stale = stale.filter(pk=pk)
    return stale.update(
        state=ExportJob.State.FAILED,
        error=STALLED.format(minutes=settings.EXPORT_STALE_MINUTES),
        finished_at=now,
        heartbeat_at=now,
    )


def export_run(*, job_id: int) -> ExportJob:
    """Build the file of an export job. Idempotent: a finished job is left as it is.

    Not one transaction on purpose: the progress must be visible while the job runs.
    """
    job = ExportJob.objects.get(pk=job_id)
    if job.state == ExportJob.State.DONE:
        return job
    _set_progress(
        job, state=ExportJob.State.RUNNING, progress=0, error="", started_at=timezone.now()
    )
    try:
        districts = tabel51.districts_in_order()
        years = list(range(job.year_from, job.year_to + 1))
        tables = []
        for done, year in enumerate(years, start=1):
            with use_replica():  # the heavy reads; progress is written to the primary
                tables.append(tabel51.compute(year, districts=districts))
                if job.carried_over:
                    tables.append(tabel51.carried_over(year, districts=districts))
            _set_progress(job, progress=min(95, done * 95 // len(years)))
        name, content = _export_file(job, tables)
        job.file.save(name, ContentFile(content), save=False)
        _set_progress(
            job,
            file=job.file.name,
            state=ExportJob.State.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
    except Exception as error:  # recorded on the job for the user; the traceback goes to the log
        logger.exception("Export %s failed", job.pk)
        _set_progress(
            job,
            state=ExportJob.State.FAILED,
            error=f"Het maken van de export is mislukt ({type(error).__name__}). "
            "Probeer het opnieuw; blijft het mislukken, meld het dan bij de beheerder.",
            finished_at=timezone.now(),
        )
    return job


def export_filename(job: ExportJob) -> str:
    """tabel-5.1-2022-2023.xlsx; a ZIP of CSV files for the csv format."""
    stem = f"tabel-5.1-{job.year_from}"
    if job.year_to != job.year_from:
        stem += f"-{job.year_to}"
    return f"{stem}.{'xlsx' if job.file_format == ExportJob.Format.XLSX else 'zip'}"


def _export_file(job: ExportJob, tables: list[tabel51.Table]) -> tuple[str, bytes]:
    name = export_filename(job)
    if job.file_format == ExportJob.Format.XLSX:
        return name, exports.xlsx_bytes(tables)
    files = [(exports.filename(table, "csv"), exports.csv_bytes(table)) for table in tables]
    return name, exports.zip_bytes(files)
