"""The MDTO package of a case (Metagegevens voor Duurzaam Toegankelijke Overheidsinformatie,
Nationaal Archief, XML schema MDTO-XML 1.0.1, shipped in schemas/): for the e-depot
(overbrenging of a `blijvend_bewaren` case) or a municipality's central zaaksysteem.

A ZIP per case or list of cases. Per case: the case as an informatieobject (aggregatieniveau
Zaak) with its resultaat, waardering and bewaartermijn; each dossier document as an
informatieobject (Archiefstuk) that is part of it; each stored file as a bestand (size,
format, SHA-256 checksum) that represents its document, the PDF rendition of a letter as a
second bestand of the same document. Every XML document is one MDTO root (the schema allows
one object per document).
"""

import hashlib
import io
import zipfile
from xml.etree import ElementTree as ET

from django.utils import timezone

from woonoverlast.documents.models import Document

from .choices import Waardering
from .models import CaseArchive

NS = "https://www.nationaalarchief.nl/mdto"
SOURCE = "Woonoverlast"
ARCHIEFVORMER = "Gemeente, team Woonoverlast"
SCHEMA = "MDTO-XML1.0.1.xsd"

ET.register_namespace("", NS)


def _el(parent, name, text=None):
    element = ET.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = str(text)
    return element


def _begrip(parent, name, label, lijst, code=None):
    element = _el(parent, name)
    _el(element, "begripLabel", label)
    if code:
        _el(element, "begripCode", code)
    _el(_el(element, "begripBegrippenlijst"), "verwijzingNaam", lijst)
    return element


def _identificatie(parent, kenmerk):
    element = _el(parent, "identificatie")
    _el(element, "identificatieKenmerk", kenmerk)
    _el(element, "identificatieBron", SOURCE)


def _verwijzing(parent, name, naam, kenmerk=None):
    element = _el(parent, name)
    _el(element, "verwijzingNaam", naam)
    if kenmerk:
        identificatie = _el(element, "verwijzingIdentificatie")
        _el(identificatie, "identificatieKenmerk", kenmerk)
        _el(identificatie, "identificatieBron", SOURCE)


def _document(root) -> bytes:
    tree = ET.ElementTree(root)
    out = io.BytesIO()
    tree.write(out, encoding="UTF-8", xml_declaration=True)
    return out.getvalue()


def _waardering(parent, archive):
    keep = archive is not None and archive.archiefnominatie == Waardering.KEEP
    _begrip(
        parent,
        "waardering",
        "Blijvend te bewaren" if keep else "Tijdelijk te bewaren",
        "Begrippenlijst Waarderingen MDTO",
        code="B" if keep else "V",
    )


def _bewaartermijn(parent, archive):
    if archive is None or archive.brondatum is None:
        return
    termijn = _el(parent, "bewaartermijn")
    _begrip(
        termijn,
        "termijnTriggerStartLooptijd",
        "Brondatum",
        "Selectielijst gemeenten en intergemeentelijke organen 2020",
    )
    _el(termijn, "termijnStartdatumLooptijd", archive.brondatum.isoformat())
    if archive.archiefactiedatum:
        years = archive.archiefactiedatum.year - archive.brondatum.year
        _el(termijn, "termijnLooptijd", f"P{years}Y")
        _el(termijn, "termijnEinddatum", archive.archiefactiedatum.isoformat())


def _beperking(parent):
    beperking = _el(parent, "beperkingGebruik")
    _begrip(
        beperking,
        "beperkingGebruikType",
        "beperkt openbaar; eerbiediging van de persoonlijke levenssfeer (Archiefwet 1995)",
        "Begrippenlijst BeperkingGebruik MDTO",
    )


def case_xml(case, archive, documents) -> bytes:
    """The case as an MDTO informatieobject (aggregatieniveau Zaak)."""
    root = ET.Element(f"{{{NS}}}MDTO")
    io_ = _el(root, "informatieobject")
    _identificatie(io_, case.reference)
    _el(io_, "naam", f"Casus woonoverlast {case.reference}")
    _begrip(io_, "aggregatieniveau", "Zaak", "Begrippenlijst Aggregatieniveaus MDTO")
    if archive is not None:
        _begrip(
            io_,
            "classificatie",
            f"{archive.result_type.number} {archive.result_type.description}",
            "Selectielijst gemeenten en intergemeentelijke organen 2020",
            code=archive.result_type.number,
        )
    dekking = _el(io_, "dekkingInTijd")
    _begrip(dekking, "dekkingInTijdType", "Looptijd", "Begrippenlijst DekkingInTijd MDTO")
    _el(dekking, "dekkingInTijdBegindatum", case.registered_on.isoformat())
    if case.closed_on:
        _el(dekking, "dekkingInTijdEinddatum", case.closed_on.isoformat())
    _el(io_, "taal", "nl")
    _waardering(io_, archive)
    _bewaartermijn(io_, archive)
    for document in documents:
        _verwijzing(
            io_, "bevatOnderdeel", document.title or f"Document {document.pk}", _doc_id(document)
        )
    _verwijzing(io_, "archiefvormer", ARCHIEFVORMER)
    _beperking(io_)
    return _document(root)


def _doc_id(document) -> str:
    return f"{document.case.reference}/document-{document.pk}"


def document_xml(document, archive) -> bytes:
    """A dossier document as an MDTO informatieobject (Archiefstuk) of its case."""
    root = ET.Element(f"{{{NS}}}MDTO")
    io_ = _el(root, "informatieobject")
    _identificatie(io_, _doc_id(document))
    _el(io_, "naam", document.title or f"Document {document.pk}")
    _begrip(io_, "aggregatieniveau", "Archiefstuk", "Begrippenlijst Aggregatieniveaus MDTO")
    _waardering(io_, archive)
    _verwijzing(io_, "isOnderdeelVan", f"Casus {document.case.reference}", document.case.reference)
    _verwijzing(io_, "archiefvormer", ARCHIEFVORMER)
    _beperking(io_)
    return _document(root)


def file_xml(document, *, name: str, data: bytes, content_type: str, kenmerk: str) -> bytes:
    """A stored file as an MDTO bestand: size, format, SHA-256 checksum."""
    root = ET.Element(f"{{{NS}}}MDTO")
    bestand = _el(root, "bestand")
    _identificatie(bestand, kenmerk)
    _el(bestand, "naam", name)
    _el(bestand, "omvang", len(data))
    _begrip(bestand, "bestandsformaat", content_type, "MIME-typen (IANA)")
    checksum = _el(bestand, "checksum")
    _begrip(checksum, "checksumAlgoritme", "SHA256", "Begrippenlijst ChecksumAlgoritme MDTO")
    _el(checksum, "checksumWaarde", hashlib.sha256(data).hexdigest())
    _el(checksum, "checksumDatum", timezone.now().replace(microsecond=0).isoformat())
    _verwijzing(
        bestand,
        "isRepresentatieVan",
        document.title or f"Document {document.pk}",
        _doc_id(document),
    )
    return _document(root)


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def pdfa_rendition(document, data: bytes) -> bytes | None:
    """A PDF/A-2b of a letter (a DOCX made or uploaded in the dossier), for the e-depot; None
    for other files, or when LibreOffice cannot make it (the DOCX is in the package anyway)."""
    from woonoverlast.documents.conversion import ConversionError, to_pdf

    if document.content_type != DOCX:
        return None
    try:
        return to_pdf(data, suffix="docx", pdfa=True)
    except ConversionError:
        return None


def add_case(package: zipfile.ZipFile, case) -> None:
    archive = CaseArchive.objects.filter(case=case).select_related("result_type").first()
    documents = list(
        Document.objects.filter(case=case, files_removed_at__isnull=True)
        .select_related("case")
        .order_by("uploaded_at", "pk")
    )
    folder = case.reference
    package.writestr(f"{folder}/{case.reference}.mdto.xml", case_xml(case, archive, documents))
    for document in documents:
        base = f"{folder}/document-{document.pk}"
        package.writestr(f"{base}.mdto.xml", document_xml(document, archive))
        data = _read(document.file)
        renditions = [(data, document.original_name or "bestand", document.content_type)]
        pdfa = pdfa_rendition(document, data)
        if pdfa is not None:
            renditions.append((pdfa, f"document-{document.pk}-pdfa.pdf", "application/pdf"))
        for number, (data, name, content_type) in enumerate(renditions, start=1):
            kenmerk = f"{_doc_id(document)}/bestand-{number}"
            package.writestr(f"{base}/{number}-{name}", data)
            package.writestr(
                f"{base}/{number}-{name}.bestand.mdto.xml",
                file_xml(
                    document, name=name, data=data, content_type=content_type, kenmerk=kenmerk
                ),
            )


def cases_package(cases) -> bytes:
    """The MDTO package (ZIP) of these cases."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for case in cases:
            add_case(package, case)
    return out.getvalue()
