"""Letter templates (DOCX, versioned) and making a letter from one."""

import io
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateError, meta
from lxml import etree

from woonoverlast.accounts.roles import can_add_documents, can_manage_letter_templates
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.common.jobs import JobState

from .. import merge_fields, sniffing
from ..conversion import UNAVAILABLE_MESSAGE, libreoffice_available
from ..models import (
    Document,
    DocumentType,
    LetterTemplate,
    LetterTemplateVersion,
)
from .files import StoredFiles, sha256_of, storage_name
from .uploads import _audit_new, max_upload_bytes

MAX_TEMPLATE_NAME = 100


def _template_xml(template: DocxTemplate) -> str:
    """The Jinja source of a template: its body, headers and footers, as docxtpl sees them
    (the same steps as DocxTemplate.get_undeclared_template_variables)."""
    template.init_docx()
    xml = template.patch_xml(template.xml_to_string(template.docx._element.body))
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for relation in template.docx._part.rels.values():
            if relation.reltype == uri and relation.target_part.blob:
                part = etree.fromstring(relation.target_part.blob)
                xml += template.patch_xml(template.xml_to_string(part))
    return xml


def template_fields(data: bytes) -> list[str]:
    """The merge fields a DOCX template uses, or a ValidationError naming what is wrong."""
    try:
        with io.BytesIO(data) as handle:
            if sniffing.sniff(handle) is not sniffing.DOCX:
                raise ValidationError("Een briefsjabloon moet een Word-bestand (docx) zijn.")
        environment = merge_fields.sandbox()
        tree = environment.parse(_template_xml(DocxTemplate(io.BytesIO(data))))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as error:
        raise ValidationError("Dit Word-bestand is beschadigd of onleesbaar.") from error
    except TemplateError as error:
        raise ValidationError(
            f"Het sjabloon bevat een fout in de velden: {error.message}."
        ) from error
    except RecursionError as error:
        raise ValidationError(
            "Het sjabloon bevat een fout in de velden: te diep genest."
        ) from error
    try:
        # Before anything compiles the template: compiling evaluates constant expressions.
        merge_fields.check_template(tree)
    except ValueError as error:
        raise ValidationError(
            "Het sjabloon gebruikt iets wat in een brief niet kan: "
            + ", ".join(error.args[0])
            + ". Een brief toont alleen velden (zoals {{ casus.referentie }}) en kan met "
            "{% if %} een stuk tekst weglaten.",
            code="not_allowed",
        ) from error
    try:
        return merge_fields.check_fields(tree, meta.find_undeclared_variables(tree))
    except ValueError as error:
        names = ", ".join(error.args[0])
        raise ValidationError(
            f"Het sjabloon gebruikt onbekende velden: {names}. Gebruik alleen de velden uit de "
            "lijst van samenvoegvelden.",
            code="unknown_field",
        ) from error


@transaction.atomic
def letter_template_upload(
    *, name: str, file, description: str = "", template: LetterTemplate | None = None, by
) -> LetterTemplateVersion:
    """A new version of a letter template (a new template when `template` is None)."""
    if by is not None and not can_manage_letter_templates(by):
        raise PermissionDenied
    file.seek(0)
    data = file.read()
    if not data:
        raise ValidationError({"file": "Het bestand is leeg (0 bytes)."})
    if len(data) > max_upload_bytes():
        raise ValidationError({"file": "Het bestand is te groot."})
    try:
        fields = template_fields(data)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    if template is None:
        name = name.strip()[:MAX_TEMPLATE_NAME]
        if LetterTemplate.objects.filter(name__iexact=name).exists():
            raise ValidationError({"name": "Er bestaat al een sjabloon met deze naam."})
        template = LetterTemplate.objects.create(name=name, description=description)
    else:
        template = LetterTemplate.objects.select_for_update().get(pk=template.pk)
    number = (template.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = LetterTemplateVersion(
        template=template,
        number=number,
        fields_used=fields,
        uses_measure=any(field.startswith(f"{merge_fields.MEASURE}.") for field in fields),
        uploaded_by=by,
    )
    with StoredFiles() as stored:
        version.file.name = stored.save(f"sjablonen/{template.pk}-v{number}.docx", data)
        version.save()
    record(
        AuditAction.CREATE,
        by=by,
        obj=version,
        changes={"sjabloon": template.name, "versie": number, "velden": fields},
    )
    return version


CANNOT_RENDER = (
    "Met dit sjabloon kan geen brief worden gemaakt: {reason} Laat een beheerder een nieuwe "
    "versie van het sjabloon toevoegen (Beheer › Briefsjablonen)."
)


def render_letter(version: LetterTemplateVersion, context: dict) -> bytes:
    """The letter as DOCX bytes, or a ValidationError (never a 500) when the template cannot
    make one. A version uploaded before check_template existed is checked again first."""
    with version.file.open("rb") as handle:
        data = handle.read()
    try:
        template_fields(data)
    except ValidationError as error:
        reason = " ".join(error.messages)
        raise ValidationError({"template": CANNOT_RENDER.format(reason=reason)}) from error
    template = DocxTemplate(io.BytesIO(data))
    try:
        template.render(context, jinja_env=merge_fields.sandbox(), autoescape=True)
    except merge_fields.LetterTooLarge as error:
        raise ValidationError(
            {"template": CANNOT_RENDER.format(reason=f"{error.message}.")}
        ) from error
    except TemplateError as error:
        raise ValidationError(
            {"template": CANNOT_RENDER.format(reason=f"fout in de velden ({error.message}).")}
        ) from error
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _check_place_lines(context: dict, used: list[str]) -> None:
    """A letter whose address block has a place line must have one to print: without the
    postcode and place (`2711 DM  ZOETERMEER`) PostNL does not deliver it."""
    if (
        f"{merge_fields.PARTY}.postcode_plaats" in used
        and not context[merge_fields.PARTY]["postcode_plaats"]
    ):
        raise ValidationError(
            {
                "party": "Het adres van de geadresseerde heeft geen postcode en woonplaats, zodat "
                "de brief niet kan worden verstuurd. Vul het adres van de betrokkene aan, "
                "bijvoorbeeld: Dorpsstraat 1, 2711 DM Zoetermeer."
            }
        )
    if "casus.postcode_plaats" in used and not context["casus"]["postcode_plaats"]:
        raise ValidationError(
            {
                "template": "De casus heeft geen postcode, zodat de brief niet kan worden "
                "verstuurd. Vul eerst de postcode van de casus aan."
            }
        )


def letter_make(*, case, template: LetterTemplate, party=None, step=None, by) -> Document:
    """Make a letter for `case` from the newest version of `template`, as a document of
    type brief; its PDF follows in the background (when LibreOffice is there)."""
    if not can_add_documents(by, case):
        raise PermissionDenied
    version = template.current_version
    if version is None or not template.is_active:
        raise ValidationError({"template": "Dit sjabloon kan niet (meer) worden gebruikt."})
    if party is None and step is not None:
        # A maatregel's letter goes to its veroorzaker; the letter of a bekendmaking to a
        # further addressee (a rechthebbende) goes to him.
        party = step.addressee.party if step.addressee_id else step.measure.respondent
    if party is not None and party.case_id != case.pk:
        raise ValidationError({"party": "Deze betrokkene hoort niet bij deze casus."})
    if party is None and any(f.startswith(f"{merge_fields.PARTY}.") for f in version.fields_used):
        raise ValidationError({"party": "Kies aan wie de brief is gericht."})
    if version.uses_measure and step is None:
        raise ValidationError(
            {
                "template": "Deze brief hoort bij een maatregel: maak hem vanuit de stap van de "
                "maatregel."
            }
        )
    if step is not None and step.measure.case_id != case.pk:
        raise ValidationError({"step": "Deze maatregelstap hoort niet bij deze casus."})
    today = timezone.localdate()
    context = merge_fields.context_for(case=case, party=party, step=step, on=today)
    missing = merge_fields.missing_measure_fields(context, version.fields_used)
    if missing:
        raise ValidationError(
            {
                "step": "Bij deze stap van de maatregel ontbreekt voor deze brief: "
                + "; ".join(missing)
                + ". Maak de brief vanuit de stap waar die gegevens bij horen."
            }
        )
    _check_place_lines(context, version.fields_used)
    data = render_letter(version, context)
    available = libreoffice_available()
    with StoredFiles() as stored, transaction.atomic():
        document = Document.objects.create(
            case=case,
            party=party,
            measure_step=step,
            title=f"{template.name} {today:%d-%m-%Y}",
            document_type=DocumentType.LETTER,
            file=stored.save(storage_name(case, "docx"), data),
            original_name=f"{template.name}.docx"[:120],
            size=len(data),
            content_type=sniffing.DOCX.content_type,
            sha256=sha256_of(data),
            template_version=version,
            pdf_state=JobState.PENDING if available else JobState.UNAVAILABLE,
            pdf_message="" if available else UNAVAILABLE_MESSAGE,
            uploaded_by=by,
        )
        _audit_new(document, by)
        if available:
            from ..tasks import make_document_pdf

            transaction.on_commit(lambda: make_document_pdf.delay(document.pk))
    return document
