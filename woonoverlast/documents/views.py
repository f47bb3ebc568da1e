"""The dossier screens of a case: documents, uploads, versions, downloads, letters and the
case file as PDF. Access: the role check (CaseWorkerRequiredMixin / role_required), then the
object rules of accounts.roles."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from woonoverlast.accounts.access import CaseWorkerRequiredMixin, role_required
from woonoverlast.accounts.roles import (
    can_add_documents,
    can_see_document,
    can_see_documents,
    can_see_dossier_export,
    can_see_parties,
    can_work_cases,
)
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record, record_view
from woonoverlast.cases.models import Case
from woonoverlast.common.jobs import JobState
from woonoverlast.common.views import ServiceFormView
from woonoverlast.submissions.views import OnceViewMixin

from . import conversion, services, sniffing
from .forms import DocumentTypeForm, LetterForm, UploadForm, VersionForm
from .models import Document, DossierExport, LetterTemplate
from .storage import DOSSIER_STORAGE_ALIAS, PrivateFileSystemStorage, dossier_storage

EXTENSIONS = {kind.content_type: kind.extension for kind in sniffing.ALLOWED}


def _case(reference: str) -> Case:
    return get_object_or_404(
        Case.objects.select_related("district", "casemanager"), reference=reference
    )


def _case_for(request, reference: str) -> Case:
    """The case of the URL, when the user may see its dossier (else 403)."""
    case = _case(reference)
    if not can_see_documents(request.user, case):
        raise PermissionDenied
    return case


def _document_for(request, reference: str, pk: int) -> Document:
    document = get_object_or_404(
        Document.objects.select_related("case__casemanager", "case__district"),
        pk=pk,
        case__reference=reference,
    )
    if not can_see_document(request.user, document):
        raise PermissionDenied
    return document


def download_name(document: Document, *, variant: str = "file") -> str:
    extension = "pdf" if variant == "pdf" else EXTENSIONS.get(document.content_type, "bin")
    stem = get_valid_filename(document.title)[:100] or "document"
    return f"{stem}.{extension}"


def send_file(name: str, *, filename: str, content_type: str, inline: bool = False):
    """The bytes of a dossier file: by nginx (X-Accel-Redirect) when configured for the
    filesystem storage, otherwise streamed by Django. Never sniffed by the browser."""
    prefix = settings.DOCUMENT_X_ACCEL_REDIRECT_PREFIX
    if prefix and isinstance(storages[DOSSIER_STORAGE_ALIAS], PrivateFileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{name}"
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    else:
        try:
            handle = dossier_storage.open(name, "rb")
        except FileNotFoundError as missing:
            raise Http404("Dit bestand bestaat niet meer.") from missing
        response = FileResponse(
            handle, as_attachment=not inline, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@role_required(can_work_cases)
def document_list(request, reference):
    case = _case_for(request, reference)
    documents = Document.objects.visible_to(request.user, case).current().for_list()
    # The titles and descriptions of a case's documents are personal data, like the case file.
    record_view(request, case, with_parties=False, page="Dossier")
    return render(
        request,
        "documents/list.html",
        {
            "case": case,
            "documents": documents,
            "exports": case.dossier_exports.filter(requested_by=request.user)[:5],
        },
    )


@require_GET
@role_required(can_work_cases)
def document_detail(request, reference, pk):
    document = _document_for(request, reference, pk)
    versions = []
    cursor = document
    while cursor is not None:  # the chain is short: a handful of versions
        versions.append(cursor)
        cursor = cursor.previous_version
    newer = Document.objects.filter(previous_version=document).first()
    record(
        AuditAction.VIEW,
        by=request.user,
        obj=document,
        case=document.case,
        changes={"pagina": "Document"},
    )
    return render(
        request,
        "documents/detail.html",
        {
            "case": document.case,
            "document": document,
            "versions": versions,
            "newer": newer,
            "can_add": can_add_documents(request.user, document.case),
            "type_form": DocumentTypeForm(initial={"document_type": document.document_type}),
        },
    )


@role_required(can_work_cases)
@require_POST
def document_set_type(request, reference, pk):
    """Correct one document's soort (a form on its page)."""
    document = _document_for(request, reference, pk)
    form = DocumentTypeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies een soort document.")
        return redirect(document.get_absolute_url())
    try:
        services.document_set_type(
            document=document, document_type=form.cleaned_data["document_type"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "De soort van het document is gewijzigd.")
    return redirect(document.get_absolute_url())


def _download(request, reference, pk, variant):
    document = _document_for(request, reference, pk)
    try:
        name = services.document_download(document, variant=variant, by=request.user)
    except FileNotFoundError as missing:
        raise Http404("Dit document heeft (nog) geen bestand.") from missing
    if variant == "thumbnail":
        return send_file(name, filename="", content_type="image/jpeg", inline=True)
    return send_file(
        name,
        filename=download_name(document, variant=variant),
        content_type="application/pdf" if variant == "pdf" else document.content_type,
    )


@require_GET
@role_required(can_work_cases)
def document_download(request, reference, pk):
    return _download(request, reference, pk, "file")


@require_GET
@role_required(can_work_cases)
def document_thumbnail(request, reference, pk):
    return _download(request, reference, pk, "thumbnail")


@require_GET
@role_required(can_work_cases)
def document_pdf(request, reference, pk):
    return _download(request, reference, pk, "pdf")


@require_GET
@role_required(can_work_cases)
def document_pdf_status(request, reference, pk):
    document = _document_for(request, reference, pk)
    return JsonResponse(
        {
            "state": document.pdf_state,
            "state_label": document.get_pdf_state_display(),
            "progress": document.pdf_progress,
            "finished": document.pdf_finished,
        }
    )


class _DossierFormView(OnceViewMixin, CaseWorkerRequiredMixin, ServiceFormView):
    """A dossier form, saved once per rendered page (casework-a's one-time token)."""

    multipart = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # A second save of the same page at the same moment rolls the whole write back
        # (OnceViewMixin): then the bytes this request stored must go too.
        result = getattr(self, "result", None)
        if result is not None:
            services.documents_remove_if_rolled_back(
                result if isinstance(result, list) else [result]
            )
        return response

    @cached_property
    def case(self) -> Case:
        case = _case(self.kwargs["reference"])
        if not can_add_documents(self.request.user, case):
            raise PermissionDenied
        return case

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, multipart=self.multipart, **kwargs)


class UploadView(_DossierFormView):
    form_class = UploadForm
    title = "Documenten toevoegen"
    intro = "Voeg documenten of foto's toe aan het dossier van deze casus."
    submit_label = "Toevoegen"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "case": self.case,
            "max_mb": settings.DOCUMENT_MAX_UPLOAD_MB,
            "allowed": sniffing.ALLOWED_LABELS,
        }

    def get_initial(self):
        initial = super().get_initial()
        action = self.request.GET.get("actie")
        if action and action.isdigit():
            initial["action"] = action
            initial["document_type"] = "foto"
        return initial

    def perform(self, form):
        return services.documents_upload(case=self.case, by=self.request.user, **form.cleaned_data)

    def get_success_message(self):
        count = len(self.result)
        return (
            "Het document is toegevoegd." if count == 1 else f"{count} documenten zijn toegevoegd."
        )

    def get_success_url(self):
        return redirect("documents:list", reference=self.case.reference).url


class VersionView(_DossierFormView):
    form_class = VersionForm
    title = "Nieuwe versie"
    submit_label = "Nieuwe versie toevoegen"
    intro = "De vorige versies blijven in het dossier bewaard."

    @cached_property
    def document(self) -> Document:
        return _document_for(self.request, self.kwargs["reference"], self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(document=self.document, **kwargs)

    def perform(self, form):
        return services.document_add_version(
            document=self.document, file=form.cleaned_data["file"], by=self.request.user
        )

    def get_success_message(self):
        return f"Versie {self.result.version} is toegevoegd."

    def get_success_url(self):
        return self.result.get_absolute_url()


class LetterView(_DossierFormView):
    form_class = LetterForm
    template_name = "documents/letter.html"
    title = "Brief maken"
    submit_label = "Brief maken"
    multipart = False

    def get_initial(self):
        step = self.request.GET.get("stap", "")
        return {**super().get_initial(), "step": step} if step.isdigit() else super().get_initial()

    @cached_property
    def templates(self):
        templates = LetterTemplate.objects.filter(is_active=True, versions__isnull=False)
        return templates.distinct().prefetch_related("versions")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "case": self.case,
            "templates": self.templates,
            "show_parties": can_see_parties(self.request.user, self.case),
        }

    def get_context_data(self, **kwargs):
        # Without a template there is nothing to choose: say so instead of an empty choice.
        return super().get_context_data(no_templates=not self.templates, **kwargs)

    @property
    def intro(self):
        if not self.templates:
            return ""
        intro = "Kies een sjabloon; de brief wordt een document van de casus (soort brief)."
        if not conversion.libreoffice_available():
            intro += (
                " Er wordt alleen een Word-bestand gemaakt, geen PDF: LibreOffice is niet "
                "geïnstalleerd op de server."
            )
        return intro

    def perform(self, form):
        return services.letter_make(
            case=self.case,
            template=form.cleaned_data["template"],
            party=form.cleaned_data.get("party"),
            step=form.cleaned_data.get("step"),
            by=self.request.user,
        )

    def get_success_message(self):
        return f"De brief „{self.result.title}” is gemaakt."

    def get_success_url(self):
        return self.result.get_absolute_url()


@require_http_methods(["GET", "POST"])
@role_required(can_work_cases)
def export_request(request, reference):
    case = _case_for(request, reference)
    if request.method == "POST":
        export = services.dossier_export_request(case=case, by=request.user)
        return redirect(export.get_absolute_url())
    return render(
        request,
        "documents/export_request.html",
        {"case": case, "available": conversion.libreoffice_available()},
    )


def _export_for(request, reference, pk) -> DossierExport:
    export = get_object_or_404(
        DossierExport.objects.select_related("case__casemanager", "requested_by"),
        pk=pk,
        case__reference=reference,
    )
    if not can_see_dossier_export(request.user, export):
        raise PermissionDenied
    return export


@require_GET
@role_required(can_work_cases)
def export_detail(request, reference, pk):
    export = _export_for(request, reference, pk)
    return render(request, "documents/export_detail.html", {"case": export.case, "job": export})


@require_GET
@role_required(can_work_cases)
def export_status(request, reference, pk):
    export = _export_for(request, reference, pk)
    return JsonResponse(
        {
            "state": export.state,
            "state_label": export.get_state_display(),
            "progress": export.progress,
            "finished": export.is_finished,
        }
    )


@require_GET
@role_required(can_work_cases)
def export_download(request, reference, pk):
    export = _export_for(request, reference, pk)
    if export.state != JobState.DONE or not export.file:
        raise Http404("Deze PDF is (nog) niet klaar.")
    services.dossier_export_downloaded(export=export, by=request.user)
    return send_file(
        export.file.name,
        filename=f"dossier-{export.case.reference}.pdf",
        content_type="application/pdf",
    )
