"""Letters from DOCX templates: the example templates render every field and convert to PDF;
unknown fields are refused on upload; a letter from a maatregel step gets its terms and is
attached to the step; without LibreOffice the DOCX alone is made and the page says why."""

import datetime
import io
import os
import re

import docx
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.factories import CaseFactory, casemanager, measure, respondent, teamleider
from woonoverlast.audit.models import AuditEvent
from woonoverlast.common.jobs import JobState
from woonoverlast.documents import conversion, merge_fields
from woonoverlast.documents.examples import EXAMPLES, FOLDER
from woonoverlast.documents.models import Document, LetterTemplate
from woonoverlast.documents.services import (
    dossier_export_request,
    letter_make,
    letter_template_upload,
)
from woonoverlast.documents.services.letters import render_letter, template_fields
from woonoverlast.documents.services.pdf import dossier_html
from woonoverlast.measures.choices import Step
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def needs_libreoffice_fixture():
    """Skips without LibreOffice; `.ci/run` sets WOONOVERLAST_REQUIRE_LIBREOFFICE=1, which
    makes that a failure, so CI always converts."""
    if conversion.libreoffice_available():
        return
    if os.environ.get("WOONOVERLAST_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail("WOONOVERLAST_REQUIRE_LIBREOFFICE=1 but soffice is not installed")
    pytest.skip("LibreOffice (soffice) is not installed")


needs_libreoffice = pytest.mark.usefixtures("needs_libreoffice_fixture")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    """The PDF tasks run in this process, also where a broker is configured (CI's Redis run)."""


@pytest.fixture
def examples():
    call_command("voorbeeldsjablonen", stdout=io.StringIO())
    return {template.name: template for template in LetterTemplate.objects.all()}


def full_context() -> dict:
    """Every merge field with a value of its own, to find each one back in the letter."""
    context = {"vandaag": "VANDAAG-1"}
    for name, fields in merge_fields.FIELDS.items():
        if fields:
            context[name] = {field: f"{name.upper()}-{field.upper()}-1" for field in fields}
    return context


def letter_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def docx_with(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_committed_example_files_are_the_examples():
    assert sorted(path.name for path in FOLDER.glob("*.docx")) == sorted(
        example.filename for example in EXAMPLES
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.filename)
def test_every_example_template_renders_every_field(examples, example):
    version = examples[example.name].current_version
    assert version.fields_used  # the fields were found on upload
    text = letter_text(render_letter(version, full_context()))
    assert "{{" not in text and "}}" not in text and "{%" not in text
    for field in version.fields_used:
        name, _, attribute = field.partition(".")
        value = full_context()[name] if not attribute else full_context()[name][attribute]
        assert value in text, field
    assert re.search(r"[A-Z]+-[A-Z_]+-1", text)  # values filled in, not left out


@needs_libreoffice
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.filename)
def test_every_example_template_converts_to_pdf(examples, example):
    data = render_letter(examples[example.name].current_version, full_context())
    pdf = conversion.to_pdf(data, suffix="docx")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000


def test_the_besluit_has_the_bezwaarclausule_and_the_voornemen_the_zienswijze(examples):
    besluit = examples["Besluit gedragsaanwijzing"].current_version.fields_used
    voornemen = examples["Voornemen gedragsaanwijzing"].current_version.fields_used
    assert "maatregel.bezwaartermijn" in besluit and "maatregel.begunstigingstermijn" in besluit
    # The last days exist only once the bekendmaking is recorded: the example, made before
    # it, does not use them.
    assert "maatregel.bezwaartermijn_einde" not in besluit
    assert "maatregel.zienswijze_termijn_einde" in voornemen
    assert examples["Besluit gedragsaanwijzing"].current_version.uses_measure


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Uw BSN: {{ casus.bsn }}", "casus.bsn"),
        ("{{ geheim }}", "geheim"),
        ("{{ casus.__class__ }}", "casus.__class__"),
        ("{{ casus.referentie.upper() }}", "(…)"),
        ("{{ betrokkene['naam'] }}", "[…]"),
    ],
)
def test_a_template_with_an_unknown_field_is_refused_naming_it(text, named):
    with pytest.raises(ValidationError) as refused:
        letter_template_upload(
            name="Fout", file=SimpleUploadedFile("fout.docx", docx_with(text)), by=None
        )
    assert named in refused.value.messages[0]
    assert "onbekende velden" in refused.value.messages[0]
    assert not LetterTemplate.objects.exists()


def test_a_template_with_broken_syntax_or_not_docx_is_refused():
    with pytest.raises(ValidationError, match="fout in de velden"):
        template_fields(docx_with("{{ casus.referentie "))
    with pytest.raises(ValidationError, match="Word-bestand"):
        template_fields(b"%PDF-1.4 nee")


def test_a_new_template_version_keeps_the_old_and_is_used_from_then_on(examples):
    template = examples["Uitnodiging gesprek"]
    version = letter_template_upload(
        name=template.name,
        template=template,
        file=SimpleUploadedFile("v2.docx", docx_with("Versie twee {{ casus.referentie }}")),
        by=teamleider(),
    )
    assert version.number == 2 and template.versions.count() == 2
    assert template.current_version == version


def test_the_admin_refuses_an_unknown_field(client):
    user = teamleider(is_staff=True)
    client.force_login(user)
    response = client.post(
        reverse("admin:documents_lettertemplate_add"),
        {
            "name": "Fout",
            "description": "",
            "is_active": "on",
            "new_file": SimpleUploadedFile("fout.docx", docx_with("{{ casus.iban }}")),
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "casus.iban" in response.content.decode()
    assert not LetterTemplate.objects.exists()


def voornemen_step(case, cm, tl):
    m = measure(case, by=cm, on=D(2026, 1, 5))
    measure_step_record(m, step=Step.INVESTIGATION_REPORT, on=D(2026, 1, 5), by=cm)
    measure_step_record(m, step=Step.WEIGHING, on=D(2026, 1, 5), by=cm, note="Afweging")
    measure_step_record(m, step=Step.WARNING_SENT, on=D(2026, 1, 6), by=cm)
    return m, measure_step_record(
        m, step=Step.INTENTION_SENT, on=D(2026, 1, 7), by=cm, zienswijze_days=14
    )


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 1, 9, 12, 0), tick=False):
        yield


@needs_libreoffice
def test_a_letter_from_a_maatregel_step(examples, frozen, django_capture_on_commit_callbacks):
    cm, tl = casemanager(), teamleider()
    case = CaseFactory(registered_on=D(2026, 1, 5), casemanager=cm)
    m, step = voornemen_step(case, cm, tl)
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_make(
            case=case, template=examples["Voornemen gedragsaanwijzing"], step=step, by=cm
        )
    letter.refresh_from_db()
    assert letter.document_type == "brief" and letter.measure_step == step
    assert letter.party == m.respondent
    assert letter.template_version == examples["Voornemen gedragsaanwijzing"].current_version
    text = letter_text(letter.file.open("rb").read())
    assert "21 januari 2026" in text  # voornemen 7 January + 14 days
    assert m.respondent.name in text and case.reference in text and "{{" not in text
    assert letter.pdf_state == JobState.DONE and letter.pdf_progress == 100
    assert letter.pdf_file.open("rb").read().startswith(b"%PDF-")
    assert AuditEvent.objects.filter(object_id=str(letter.pk), action="create").exists()


def decided(cm, tl):
    """A case of `cm` with a last onder dwangsom decided on 23 March 2026 (14 days to comply),
    not yet bekendgemaakt; returns the measure and its besluit step."""
    case = CaseFactory(registered_on=D(2026, 1, 5), casemanager=cm)
    m, _ = voornemen_step(case, cm, tl)
    measure_step_record(m, step=Step.VIEW_WAIVED, on=D(2026, 1, 8), by=cm)
    decision = measure_step_record(
        m,
        step=Step.DECISION,
        on=D(2026, 3, 23),
        by=tl,
        begunstigingstermijn_days=14,
        duration_months=6,
        penalty_amount=250,
        penalty_maximum=1000,
    )
    return m, decision


def besluit_letter(examples, cm, step, *, on):
    with time_machine.travel(datetime.datetime.combine(on, datetime.time(12)), tick=False):
        letter = letter_make(
            case=step.measure.case,
            template=examples["Besluit gedragsaanwijzing"],
            step=step,
            by=cm,
        )
    return letter_text(letter.file.open("rb").read())


def test_a_besluit_letter_before_bekendmaking_counts_from_the_day_of_sending(examples, settings):
    """Art. 6:7/6:8 Awb: six weeks from the day after bekendmaking, which is the sending of
    this very letter: no date is made up from the day the letter is made."""
    settings.LIBREOFFICE_BINARY = ""
    cm, tl = casemanager(), teamleider()
    with time_machine.travel(datetime.datetime(2026, 3, 23, 12, 0), tick=False):
        _, decision = decided(cm, tl)
    text = besluit_letter(examples, cm, decision, on=D(2026, 3, 23))
    assert (
        "Dan kunt u binnen zes weken na de dag van verzending van dit besluit een "
        "bezwaarschrift indienen bij de burgemeester (artikel 6:7 en 6:8" in text
    )
    assert (
        "U moet aan dit besluit voldoen binnen 14 dagen na de dag van verzending van dit " in text
    )
    assert "23 maart 2026" in text  # the besluit's date
    assert "mei 2026" not in text and "april 2026" not in text and "uiterlijk" not in text


def test_a_besluit_letter_after_bekendmaking_gives_the_atw_exact_last_days(examples, settings):
    """Bekendgemaakt Tuesday 24 March 2026: six weeks end on Tuesday 5 May (5 mei, art. 3
    Atw), so Wednesday 6 May; the 14 days to comply end on 7 April. A letter made later from
    the besluit step counts from the recorded bekendmaking, not from the day it is made."""
    settings.LIBREOFFICE_BINARY = ""
    cm, tl = casemanager(), teamleider()
    with time_machine.travel(datetime.datetime(2026, 3, 24, 12, 0), tick=False):
        m, decision = decided(cm, tl)
        measure_step_record(m, step=Step.NOTIFIED, on=D(2026, 3, 24), by=cm)
    for made_on in (D(2026, 3, 24), D(2026, 4, 2)):
        text = besluit_letter(examples, cm, decision, on=made_on)
        assert "Dan kunt u uiterlijk op 6 mei 2026 een bezwaarschrift indienen" in text
        assert "U moet aan dit besluit voldoen uiterlijk op 7 april 2026." in text
        assert "verzending" not in text


def test_a_template_that_needs_the_last_day_waits_for_the_bekendmaking(examples, settings):
    settings.LIBREOFFICE_BINARY = ""
    cm, tl = casemanager(), teamleider()
    template = letter_template_upload(
        name="Eigen besluit",
        file=SimpleUploadedFile(
            "eigen.docx", docx_with("Bezwaar tot en met {{ maatregel.bezwaartermijn_einde }}.")
        ),
        by=tl,
    ).template
    with time_machine.travel(datetime.datetime(2026, 3, 23, 12, 0), tick=False):
        m, decision = decided(cm, tl)
        with pytest.raises(ValidationError) as refused:
            letter_make(case=m.case, template=template, step=decision, by=cm)
    assert "laatste dag van de bezwaartermijn" in refused.value.messages[0]
    assert not Document.objects.exists()
    with time_machine.travel(datetime.datetime(2026, 3, 24, 12, 0), tick=False):
        measure_step_record(m, step=Step.NOTIFIED, on=D(2026, 3, 24), by=cm)
        letter = letter_make(case=m.case, template=template, step=decision, by=cm)
    assert letter_text(letter.file.open("rb").read()) == "Bezwaar tot en met 6 mei 2026."


def test_an_invorderingsbeschikking_letter_has_its_own_bezwaartermijn():
    """Art. 5:37 Awb: the invorderingsbeschikking is a besluit with its own bezwaartermijn,
    counted from its own bekendmaking."""
    cm, tl = casemanager(), teamleider()
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, 0), tick=False):
        m, _ = decided(cm, tl)
        measure_step_record(m, step=Step.NOTIFIED, on=D(2026, 3, 24), by=cm)
        measure_step_record(m, step=Step.CHECK, on=D(2026, 4, 8), by=cm, outcome="overtreden")
        measure_step_record(m, step=Step.PENALTY_INCURRED, on=D(2026, 4, 8), by=cm)
        order = measure_step_record(
            m, step=Step.COLLECTION_ORDER, on=D(2026, 5, 26), by=tl, amount=250
        )
        values = merge_fields.measure_values(order, on=D(2026, 5, 26))
        assert values["bezwaartermijn"] == SENT
        assert values["besluit_op"] == "26 mei 2026" and values["bezwaartermijn_einde"] == ""
        measure_step_record(m, step=Step.NOTIFIED, on=D(2026, 5, 27), by=cm)
        values = merge_fields.measure_values(order, on=D(2026, 6, 1))
    # 27 May + six weeks: Wednesday 8 July 2026.
    assert values["bezwaartermijn"] == "uiterlijk op 8 juli 2026"
    assert values["bekendgemaakt_op"] == "27 mei 2026"
    # The order's begunstigingstermijn stays the order's.
    assert values["begunstigingstermijn_einde"] == "7 april 2026"


SENT = "binnen zes weken na de dag van verzending van dit besluit"


def test_a_maatregel_letter_needs_a_step_and_the_step_the_right_data(examples):
    cm, tl = casemanager(), teamleider()
    case = CaseFactory(casemanager=cm)
    party = respondent(case)
    with pytest.raises(ValidationError, match="vanuit de stap"):
        letter_make(case=case, template=examples["Besluit gedragsaanwijzing"], party=party, by=cm)
    with time_machine.travel(datetime.datetime(2026, 1, 9, 12, 0), tick=False):
        case = CaseFactory(registered_on=D(2026, 1, 5), casemanager=cm)
        _, step = voornemen_step(case, cm, tl)
        with pytest.raises(ValidationError, match="bezwaartermijn"):
            letter_make(case=case, template=examples["Besluit gedragsaanwijzing"], step=step, by=cm)
    assert not Document.objects.exists()


def test_without_libreoffice_the_docx_alone_and_the_page_says_why(examples, client, settings):
    settings.LIBREOFFICE_BINARY = ""
    cm = casemanager()
    case = CaseFactory(casemanager=cm)
    party = respondent(case)
    client.force_login(cm)
    form = client.get(reverse("documents:letter", kwargs={"reference": case.reference}))
    assert "LibreOffice is niet geïnstalleerd" in form.content.decode()
    response = client.post(
        reverse("documents:letter", kwargs={"reference": case.reference}),
        {"template": examples["Schriftelijke waarschuwing"].pk, "party": party.pk},
        follow=True,
    )
    letter = Document.objects.get()
    assert letter.pdf_state == JobState.UNAVAILABLE and not letter.pdf_file
    page = response.content.decode()
    assert "LibreOffice is niet geïnstalleerd" in page and "Downloaden" in page


@needs_libreoffice
def test_the_dossier_pdf_is_made_in_the_background_and_audited(
    examples, client, django_capture_on_commit_callbacks
):
    from woonoverlast.documents.models import DossierExport

    cm = casemanager()
    case = CaseFactory(casemanager=cm, closed_on=D(2023, 6, 1))
    respondent(case, name="Jan Geheimnaam")
    client.force_login(cm)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:export_request", kwargs={"reference": case.reference})
        )
    export = DossierExport.objects.get()
    assert response.url == export.get_absolute_url()
    export.refresh_from_db()
    assert export.state == JobState.DONE and export.with_parties
    assert AuditEvent.objects.filter(action="export", case=case).exists()
    download = client.get(
        reverse("documents:export_download", kwargs={"reference": case.reference, "pk": export.pk})
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="view", object_id=str(export.pk)).exists()


def test_the_dossier_pdf_hides_parties_from_who_may_not_see_them(settings):
    settings.LIBREOFFICE_BINARY = ""
    tl, other = teamleider(), casemanager()
    case = CaseFactory(casemanager=casemanager())
    respondent(case, name="Jan Geheimnaam")
    assert "Jan Geheimnaam" in dossier_html(dossier_export_request(case=case, by=tl))
    export = dossier_export_request(case=case, by=other)  # open case: the team sees parties
    assert export.with_parties and export.state == JobState.UNAVAILABLE
    export.with_parties = False
    assert "Jan Geheimnaam" not in dossier_html(export)


def test_a_conversion_that_breaks_marks_the_pdf_failed(examples, monkeypatch, settings):
    from woonoverlast.documents.services import document_make_pdf

    cm = casemanager()
    case = CaseFactory(casemanager=cm)
    settings.LIBREOFFICE_BINARY = ""
    letter = letter_make(
        case=case, template=examples["Schriftelijke waarschuwing"], party=respondent(case), by=cm
    )
    Document.objects.filter(pk=letter.pk).update(pdf_state=JobState.PENDING)
    settings.LIBREOFFICE_BINARY = "soffice"
    monkeypatch.setattr(conversion, "libreoffice_binary", lambda: "/usr/bin/soffice")

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(conversion, "to_pdf", broken)
    document_make_pdf(document_id=letter.pk)
    letter.refresh_from_db()
    assert letter.pdf_state == JobState.FAILED and letter.pdf_message


def test_without_letter_templates_the_page_says_who_adds_them(client):
    """A fresh installation (without the demo) has no templates: no empty 'Sjabloon' choice."""
    cm = casemanager()
    case = CaseFactory(casemanager=cm)
    client.force_login(cm)
    response = client.get(reverse("documents:letter", kwargs={"reference": case.reference}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Er zijn nog geen briefsjablonen" in page and "Briefsjablonen" in page
    assert "Kies een sjabloon" not in page and ">Brief maken</button>" not in page


def test_with_a_letter_template_the_form_is_offered(examples, client):
    cm = casemanager()
    case = CaseFactory(casemanager=cm)
    client.force_login(cm)
    page = client.get(reverse("documents:letter", kwargs={"reference": case.reference}))
    assert "Schriftelijke waarschuwing" in page.content.decode()
    assert "Er zijn nog geen briefsjablonen" not in page.content.decode()


@pytest.mark.parametrize(
    ("address", "street_line", "place_line"),
    [
        ("", "Stenpad 108", "2711 DM  ZOETERMEER"),  # at the home of the case
        ("Dorpsstraat 1, 2611ab Delft", "Dorpsstraat 1", "2611 AB  DELFT"),
        ("Postbus 15 2700 AA  zoetermeer", "Postbus 15", "2700 AA  ZOETERMEER"),
    ],
)
def test_the_letter_has_the_place_line_postnl_asks_for(
    examples, settings, address, street_line, place_line
):
    settings.LIBREOFFICE_BINARY = ""
    cm = casemanager()
    case = CaseFactory(casemanager=cm, street="Stenpad", house_number=108, postcode="2711DM")
    party = respondent(case, name="Jan Jansen", address=address)
    letter = letter_make(
        case=case, template=examples["Schriftelijke waarschuwing"], party=party, by=cm
    )
    lines = letter_text(letter.file.open("rb").read()).split("\n")
    assert lines[:3] == ["Jan Jansen", street_line, place_line]


def test_an_address_without_postcode_and_place_cannot_be_posted(examples, settings):
    settings.LIBREOFFICE_BINARY = ""
    cm = casemanager()
    case = CaseFactory(casemanager=cm)
    party = respondent(case, address="Dorpsstraat 1")
    with pytest.raises(ValidationError, match="geen postcode en woonplaats"):
        letter_make(case=case, template=examples["Schriftelijke waarschuwing"], party=party, by=cm)
    assert not Document.objects.exists()
