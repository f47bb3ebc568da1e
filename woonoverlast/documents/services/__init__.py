"""The dossier's use cases: one function each, used by views, admin, tasks and commands."""

from .files import document_download, documents_remove_files, documents_remove_if_rolled_back
from .letters import letter_make, letter_template_upload
from .pdf import (
    document_make_pdf,
    dossier_export_downloaded,
    dossier_export_request,
    dossier_export_run,
)
from .uploads import document_add_version, document_set_type, documents_upload

__all__ = [
    "document_add_version",
    "document_download",
    "document_make_pdf",
    "document_set_type",
    "documents_remove_files",
    "documents_remove_if_rolled_back",
    "documents_upload",
    "dossier_export_downloaded",
    "dossier_export_request",
    "dossier_export_run",
    "letter_make",
    "letter_template_upload",
]
