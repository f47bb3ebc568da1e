"""The MDTO package of a case: every XML document validates against the Nationaal Archief's
MDTO-XML 1.0.1 schema (shipped in woonoverlast/archiving/schemas/); files and checksums."""

import datetime
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from tests import documents_helpers as files
from tests.factories import CaseFactory, casemanager, teamleider
from woonoverlast.archiving import services
from woonoverlast.audit.models import AuditAction, AuditEvent
from woonoverlast.documents.services import documents_upload

pytestmark = pytest.mark.django_db
D = datetime.date
XSD = Path(services.__file__).parent / "schemas" / "MDTO-XML1.0.1.xsd"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD)))


def test_a_case_package_validates_against_the_mdto_schema(schema, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    tl = teamleider()
    case = CaseFactory(registered_on=D(2023, 1, 2), casemanager=tl)
    photo, report = documents_upload(
        case=case,
        files=[
            SimpleUploadedFile("keuken.jpg", files.jpeg()),
            SimpleUploadedFile("verslag.pdf", files.pdf()),
        ],
        document_type="overig",
        by=tl,
    )
    from woonoverlast.cases import services as case_services

    case_services.case_close(case, on=D(2023, 3, 1), reason="opgelost", by=tl)
    package = zipfile.ZipFile(io.BytesIO(services.mdto_export([case], by=tl)))
    names = package.namelist()
    xml_names = [name for name in names if name.endswith(".xml")]
    # The case, two documents, two files.
    assert len(xml_names) == 5
    for name in xml_names:
        document = etree.fromstring(package.read(name))
        assert schema.validate(document), (name, schema.error_log)
    case_xml = etree.fromstring(package.read(f"{case.reference}/{case.reference}.mdto.xml"))
    ns = {"m": "https://www.nationaalarchief.nl/mdto"}
    assert case_xml.findtext(".//m:bewaartermijn/m:termijnEinddatum", namespaces=ns) == "2028-03-01"
    assert case_xml.findtext(".//m:classificatie/m:begripCode", namespaces=ns) == "6.1"
    # Each file is in the package with its checksum.
    for document in (photo, report):
        (name,) = [
            n
            for n in names
            if n.startswith(f"{case.reference}/document-{document.pk}/1-")
            and not n.endswith(".xml")
        ]
        data = package.read(name)
        bestand = etree.fromstring(package.read(f"{name}.bestand.mdto.xml"))
        assert (
            bestand.findtext(".//m:checksumWaarde", namespaces=ns)
            == hashlib.sha256(data).hexdigest()
        )
        assert bestand.findtext(".//m:omvang", namespaces=ns) == str(len(data))
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, case=case).count() == 1


def test_an_invalid_document_is_refused_by_the_schema(schema):
    document = etree.fromstring(
        b'<MDTO xmlns="https://www.nationaalarchief.nl/mdto"><informatieobject>'
        b"<naam>zonder identificatie</naam></informatieobject></MDTO>"
    )
    assert not schema.validate(document)


def test_only_a_team_leader_exports(settings, tmp_path):
    case = CaseFactory()
    with pytest.raises(PermissionDenied):
        services.mdto_export([case], by=casemanager())


@pytest.mark.skipif(
    not __import__("shutil").which("soffice"), reason="LibreOffice (soffice) is not installed"
)
def test_a_letter_gets_a_pdfa_rendition(schema, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    tl = teamleider()
    case = CaseFactory(registered_on=D(2023, 1, 2), casemanager=tl)
    (letter,) = documents_upload(
        case=case,
        files=[SimpleUploadedFile("besluit.docx", files.docx_bytes("Besluit gedragsaanwijzing"))],
        document_type="brief",
        by=tl,
    )
    package = zipfile.ZipFile(io.BytesIO(services.mdto_export([case], by=tl)))
    name = f"{case.reference}/document-{letter.pk}/2-document-{letter.pk}-pdfa.pdf"
    pdf = package.read(name)
    assert pdf.startswith(b"%PDF") and b"pdfaid:part" in pdf
    bestand = etree.fromstring(package.read(f"{name}.bestand.mdto.xml"))
    assert schema.validate(bestand), schema.error_log
