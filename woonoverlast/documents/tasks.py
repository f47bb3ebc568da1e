"""Background work of the dossier: thin tasks that take ids and call a service."""

from celery import shared_task

from woonoverlast.audit.models import AuditRoute
from woonoverlast.audit.recorder import audit_context


@shared_task(name="documents.make_document_pdf")
def make_document_pdf(document_id: int) -> None:
    from .services import document_make_pdf

    with audit_context(route=AuditRoute.JOB):
        document_make_pdf(document_id=document_id)


@shared_task(name="documents.make_dossier_pdf")
def make_dossier_pdf(export_id: int) -> None:
    from .services import dossier_export_run

    with audit_context(route=AuditRoute.JOB):
        dossier_export_run(export_id=export_id)
