"""PDFs made in the background: next to a letter, and of a whole case file."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from woonoverlast.accounts.roles import (
    can_see_documents,
    can_see_dossier_export,
    can_see_parties,
)
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.common.jobs import JobState

from .. import conversion
from ..models import Document, DossierExport
from .files import StoredFiles, storage_name

logger = logging.getLogger(__name__)


def _set(model, pk, **values):
    model.objects.filter(pk=pk).update(**values)


def document_make_pdf(*, document_id: int) -> None:
    """The PDF next to a letter (task body; idempotent: a finished one is left alone)."""
    document = Document.objects.select_related("case").get(pk=document_id)
    if document.pdf_state not in (JobState.PENDING, JobState.RUNNING) or not document.file:
        return
    _set(Document, document.pk, pdf_state=JobState.RUNNING, pdf_progress=20)
    try:
        with document.file.open("rb") as handle:
            source = handle.read()
        _set(Document, document.pk, pdf_progress=40)
        pdf = conversion.to_pdf(source, suffix="docx")
    except Exception as error:
        if not isinstance(error, conversion.ConversionError):
            logger.exception("PDF of document %s failed", document.pk)
            error = conversion.ConversionError("De PDF kon niet worden gemaakt.")
        state = JobState.UNAVAILABLE if not conversion.libreoffice_available() else JobState.FAILED
        _set(Document, document.pk, pdf_state=state, pdf_progress=0, pdf_message=str(error))
        return
    with StoredFiles() as stored, transaction.atomic():
        name = stored.save(storage_name(document.case, "pdf"), pdf)
        _set(
            Document,
            document.pk,
            pdf_file=name,
            pdf_state=JobState.DONE,
            pdf_progress=100,
            pdf_message="",
        )


@transaction.atomic
def dossier_export_request(*, case, by) -> DossierExport:
    """Ask for the PDF of the whole case file; audited as an export."""
    if not can_see_documents(by, case):
        raise PermissionDenied
    export = DossierExport.objects.create(
        case=case, requested_by=by, with_parties=can_see_parties(by, case)
    )
    record(
        AuditAction.EXPORT,
        by=by,
        obj=export,
        case=case,
        changes={"dossier als PDF": True, "betrokkenen": export.with_parties},
    )
    if not conversion.libreoffice_available():
        export.state = JobState.UNAVAILABLE
        export.error = (
            "Er kan geen PDF worden gemaakt: LibreOffice is niet geïnstalleerd op de server."
        )
        export.save(update_fields=["state", "error"])
        return export
    from ..tasks import make_dossier_pdf

    transaction.on_commit(lambda: make_dossier_pdf.delay(export.pk))
    return export


def breakable(text: str, every: int = 16) -> str:
    """`text` with a zero-width space inside every run of `every` characters without a space:
    LibreOffice widens a table column to its longest word, and a long title or a SHA-256
    pushed the document table off the page."""
    return " ".join(
        "\u200b".join(word[i : i + every] for i in range(0, len(word), every)) if word else word
        for word in text.split(" ")
    )


def dossier_html(export: DossierExport) -> str:
    """The case file as HTML for LibreOffice: the summary, parties, meldingen, timeline, the
    maatregelen with every step and computed term, and the documents. Offered for AVG
    inzage: art. 15 lid 3 AVG gives the person a copy of the personal data processed, which
    the maatregelen hold too; lid 4 (not at the cost of others' rights) is why the parties
    are left out for whoever may not see them."""
    from woonoverlast.cases.models import Case
    from woonoverlast.cases.timeline import timeline
    from woonoverlast.measures.presentation import measure_cards

    case = Case.objects.for_file().get(pk=export.case_id)
    documents = (
        Document.objects.visible_to(export.requested_by, case)
        .current()
        .for_list()
        .order_by("uploaded_at", "pk")
    )
    made_at = timezone.localtime()
    return render_to_string(
        "documents/dossier_pdf.html",
        {
            "case": case,
            "timeline": timeline(case),
            "show_parties": export.with_parties,
            "measure_cards": measure_cards(case, user=export.requested_by, today=made_at.date()),
            "documents": [
                (document, breakable(document.title), breakable(document.sha256, 8))
                for document in documents
            ],
            "export": export,
            "made_at": made_at,
        },
    )


def dossier_export_run(*, export_id: int) -> None:
    """Task body: render the case file as HTML, let LibreOffice print it to PDF."""
    export = DossierExport.objects.select_related("case", "requested_by").get(pk=export_id)
    if export.is_finished:
        return
    _set(DossierExport, export.pk, state=JobState.RUNNING, progress=10)
    try:
        html = dossier_html(export)
        _set(DossierExport, export.pk, progress=40)
        pdf = conversion.to_pdf(html.encode("utf-8"), suffix="html")
    except Exception as error:
        if not isinstance(error, conversion.ConversionError):
            logger.exception("PDF of dossier export %s failed", export.pk)
            error = conversion.ConversionError("De PDF kon niet worden gemaakt.")
        _set(
            DossierExport,
            export.pk,
            state=JobState.FAILED,
            error=str(error),
            finished_at=timezone.now(),
        )
        return
    with StoredFiles() as stored, transaction.atomic():
        name = stored.save(storage_name(export.case, "pdf", folder="exports"), pdf)
        _set(
            DossierExport,
            export.pk,
            file=name,
            state=JobState.DONE,
            progress=100,
            finished_at=timezone.now(),
        )


def dossier_export_downloaded(*, export: DossierExport, by) -> None:
    """Audit the download of a case-file PDF (the request was audited as an export)."""
    if not can_see_dossier_export(by, export):
        raise PermissionDenied
    record(AuditAction.VIEW, by=by, obj=export, case=export.case, changes={"gedownload": "dossier"})
