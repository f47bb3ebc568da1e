"""Destruction as a procedure (Archiefbesluit 1995 art. 6-8): a monthly proposal, a team
leader's review, the archivaris's approval, the background job, the verklaring van
vernietiging; and the working-term bewaartermijn that destroys nothing."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests import documents_helpers as files
from tests.factories import CaseFactory, UserFactory, casemanager, measure, teamleider
from woonoverlast.accounts.roles import Role
from woonoverlast.archiving import services
from woonoverlast.archiving.choices import ListStatus
from woonoverlast.archiving.models import CaseArchive, DestructionStatement
from woonoverlast.archiving.pdf import statement_pdf
from woonoverlast.audit.models import AuditAction, AuditEvent
from woonoverlast.cases import services as case_services
from woonoverlast.cases.choices import PartyRole
from woonoverlast.cases.services.retention import REMOVED
from woonoverlast.documents.services import documents_upload
from woonoverlast.measures.choices import MeasureKind, Step
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    """The approved list is destroyed by a background job: here in this process, also on
    CI's run with Redis as the broker."""


D = datetime.date


def archivaris():
    return UserFactory(role=Role.ARCHIVARIS)


def old_case(**kwargs):
    """Closed 1 March 2020 as a handled melding (6.1): archiefactiedatum 1 March 2025."""
    kwargs.setdefault("registered_on", D(2020, 1, 2))
    kwargs.setdefault("closed_on", D(2020, 3, 1))
    case = CaseFactory(**kwargs)
    return case


def with_party(case):
    case_services.party_add(case, role=PartyRole.RESPONDENT, name="Piet Jansen", by=None)
    return case


def approved(destruction_list, django_capture_on_commit_callbacks):
    """Review and approve; the background job runs after the commit."""
    services.destruction_list_review(destruction_list, by=teamleider())
    with django_capture_on_commit_callbacks(execute=True):
        services.destruction_list_approve(destruction_list, by=archivaris())
    destruction_list.refresh_from_db()
    return destruction_list


# -- the proposal ------------------------------------------------------------------------------


def test_the_proposal_holds_the_cases_whose_archiefactiedatum_came():
    due = old_case()
    not_yet = old_case(closed_on=D(2020, 3, 2))
    open_case = CaseFactory(registered_on=D(2019, 1, 2))
    proposal = services.destruction_list_propose(on=D(2025, 3, 1))
    assert [item.case for item in proposal.items.all()] == [due]
    assert proposal.items.get().result_type.number == "6.1"
    assert not_yet not in [item.case for item in proposal.items.all()]
    assert open_case not in [item.case for item in proposal.items.all()]
    # The day after, the other one too; the first is not proposed twice.
    second = services.destruction_list_propose(on=D(2025, 3, 2))
    assert [item.case for item in second.items.all()] == [not_yet]
    assert services.destruction_list_propose(on=D(2025, 3, 2)) is None


def test_blijvend_bewaren_is_never_proposed():
    case = old_case()
    CaseArchive.objects.filter(case=case).update(
        archiefnominatie="blijvend_bewaren", archiefactiedatum=None
    )
    assert services.destruction_list_propose(on=D(2040, 1, 1)) is None


def test_a_case_with_a_maatregel_in_beroep_is_never_on_a_list():
    with time_machine.travel(datetime.datetime(2020, 6, 1, 12, 0), tick=False):
        tl = teamleider()
        case = CaseFactory(registered_on=D(2020, 1, 2))
        m = measure(case, by=tl, kind=MeasureKind.CLOSURE, on=D(2020, 1, 10))
        measure_step_record(m, step=Step.WEIGHING, on=D(2020, 1, 10), by=tl, note="Afweging")
        measure_step_record(
            m, step=Step.DECISION, on=D(2020, 1, 10), by=tl, skip_reason="Spoed", duration_months=3
        )
        measure_step_record(m, step=Step.NOTIFIED, on=D(2020, 1, 11), by=tl)
        measure_step_record(m, step=Step.OBJECTION_RECEIVED, on=D(2020, 1, 20), by=tl)
        measure_step_record(m, step=Step.HEARING, on=D(2020, 1, 27), by=tl, outcome="gehoord")
        measure_step_record(
            m, step=Step.OBJECTION_DECIDED, on=D(2020, 2, 1), by=tl, outcome="ongegrond"
        )
        measure_step_record(m, step=Step.NOTIFIED, on=D(2020, 2, 3), by=tl)  # the beslissing
        measure_step_record(m, step=Step.APPEAL_FILED, on=D(2020, 2, 10), by=tl)
        case_services.case_close(case, on=D(2020, 3, 1), reason="opgelost", by=tl)
    assert services.destruction_list_propose(on=D(2060, 1, 1)) is None


def test_the_command_prints_the_references_it_proposes(time_machine):
    time_machine.move_to(datetime.datetime(2025, 4, 1, 12, 0))
    case = old_case()
    out = StringIO()
    call_command("vernietigingslijst", stdout=out)
    assert case.reference in out.getvalue()
    assert "6.1" in out.getvalue()


# -- review and approval -----------------------------------------------------------------------


def test_approval_by_the_wrong_role_is_refused():
    old_case()
    proposal = services.destruction_list_propose(on=D(2025, 4, 1))
    with pytest.raises(PermissionDenied):
        services.destruction_list_review(proposal, by=archivaris())
    with pytest.raises(PermissionDenied):
        services.destruction_list_review(proposal, by=casemanager())
    services.destruction_list_review(proposal, by=teamleider())
    for wrong in (teamleider(), casemanager(), UserFactory(role=Role.RAPPORTAGE)):
        with pytest.raises(PermissionDenied):
            services.destruction_list_approve(proposal, by=wrong)
    proposal.refresh_from_db()
    assert proposal.status == ListStatus.REVIEWED


def test_an_unreviewed_list_cannot_be_approved():
    old_case()
    proposal = services.destruction_list_propose(on=D(2025, 4, 1))
    with pytest.raises(ValidationError):
        services.destruction_list_approve(proposal, by=archivaris())


def test_a_team_leader_takes_a_case_off_with_a_reason(django_capture_on_commit_callbacks):
    kept = with_party(old_case())
    gone = with_party(old_case())
    proposal = services.destruction_list_propose(on=D(2025, 4, 1))
    item = proposal.items.get(case=kept)
    with pytest.raises(ValidationError):
        services.destruction_list_item_exclude(item, reason=" ", by=teamleider())
    with pytest.raises(PermissionDenied):
        services.destruction_list_item_exclude(item, reason="Lopende klacht", by=archivaris())
    services.destruction_list_item_exclude(item, reason="Lopende klacht", by=teamleider())
    approved(proposal, django_capture_on_commit_callbacks)
    assert kept.parties.get().name == "Piet Jansen"
    assert gone.parties.get().name == REMOVED
    assert proposal.statement.content["uitgezonderd"] == [kept.reference]


def test_a_case_reopened_after_its_list_was_proposed_drops_off(django_capture_on_commit_callbacks):
    case = with_party(old_case())
    proposal = services.destruction_list_propose(on=D(2025, 4, 1))
    case_services.case_reopen(case, on=D(2025, 4, 2), reason="Weer overlast", by=None)
    item = proposal.items.get()
    assert item.excluded
    approved(proposal, django_capture_on_commit_callbacks)
    assert case.parties.get().name == "Piet Jansen"
    assert proposal.statement.content["aantal"] == 0


def test_a_case_reopened_after_approval_is_kept_too(django_capture_on_commit_callbacks):
    case = with_party(old_case())
    proposal = services.destruction_list_propose(on=D(2025, 4, 1))
    services.destruction_list_review(proposal, by=teamleider())
    services.destruction_list_approve(proposal, by=archivaris())  # job not run yet
    case_services.case_reopen(case, on=D(2025, 4, 2), reason="Weer overlast", by=None)
    services.destruction_list_execute(proposal.pk)
    assert case.parties.get().name == "Piet Jansen"


# -- destruction -------------------------------------------------------------------------------


def test_destruction_blanks_deletes_files_and_makes_the_statement(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    cm = casemanager()
    case = with_party(old_case(casemanager=cm))
    (document,) = documents_upload(
        case=case,
        files=[SimpleUploadedFile("brief.pdf", files.pdf())],
        document_type="overig",
        by=cm,
    )
    assert files.stored_files(tmp_path)
    proposal = services.destruction_list_propose(on=D(2025, 4, 1))
    done = approved(proposal, django_capture_on_commit_callbacks)
    assert done.status == ListStatus.DESTROYED
    assert case.parties.get().name == REMOVED
    document.refresh_from_db()
    assert document.file.name == "" and document.files_removed_at
    assert files.stored_files(tmp_path) == []
    assert CaseArchive.objects.get(case=case).destroyed_at is not None
    statement = DestructionStatement.objects.get(destruction_list=done)
    assert statement.content["casussen"] == [
        {
            "referentie": case.reference,
            "resultaat": "6.1",
            "omschrijving": "Melding behandeld (ingewilligd)",
            "brondatum": "2020-03-01",
            "archiefactiedatum": "2025-03-01",
            "bestanden": 1,
        }
    ]
    assert statement.content["periode"] == ["01-03-2020", "01-03-2020"]
    assert statement.approved_by_name and statement.reviewed_by_name
    pdf = statement_pdf(statement)
    assert pdf.startswith(b"%PDF-1.4") and case.reference.encode() in pdf
    # Kept permanently: the record refuses change and deletion.
    with pytest.raises(PermissionError):
        statement.delete()
    # Running the job again changes nothing.
    services.destruction_list_execute(done.pk)
    assert DestructionStatement.objects.count() == 1


def test_a_destroyed_case_cannot_be_reopened(django_capture_on_commit_callbacks):
    case = old_case()
    approved(
        services.destruction_list_propose(on=D(2025, 4, 1)), django_capture_on_commit_callbacks
    )
    with pytest.raises(PermissionDenied):
        case_services.case_reopen(case, on=D(2025, 5, 1), reason="x", by=None)


@pytest.mark.usefixtures("demo_data")
def test_tabel_51_of_a_past_year_is_identical_after_a_destruction(
    django_capture_on_commit_callbacks,
):
    from reports import tabel51
    from reports.exports import csv_text

    def tables():
        return {
            (year, as_of): (
                csv_text(tabel51.compute(year, as_of)),
                csv_text(tabel51.carried_over(year, as_of)),
            )
            for year in (2022, 2023)
            for as_of in (D(year, 6, 30), D(year, 12, 31))
        }

    services.cases_archive_backfill()
    before = tables()
    proposal = services.destruction_list_propose(on=D(2040, 1, 1))
    assert proposal.items.count() > 100
    approved(proposal, django_capture_on_commit_callbacks)
    assert proposal.statement.content["aantal"] > 100
    assert tables() == before
    assert before[2023, D(2023, 12, 31)][0].splitlines()[-1] == "Totaal,31,56,71,107,11,8,284"


# -- the bewaartermijn of the working screens ---------------------------------------------------


def test_bewaartermijn_leaves_a_besluit_its_parties_and_letters_of_a_case_closed_three_years_ago(
    settings, tmp_path, time_machine
):
    settings.MEDIA_ROOT = str(tmp_path)
    time_machine.move_to(datetime.datetime(2023, 6, 1, 12, 0))
    tl = teamleider()
    case = with_party(CaseFactory(registered_on=D(2023, 1, 2), casemanager=tl))
    m = measure(case, by=tl, kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY, on=D(2023, 1, 10))
    measure_step_record(m, step=Step.WEIGHING, on=D(2023, 1, 10), by=tl, note="Afweging")
    measure_step_record(
        m,
        step=Step.DECISION,
        on=D(2023, 2, 1),
        by=tl,
        skip_reason="Spoed",
        note="Besluit",
        duration_months=6,
        penalty_amount=500,
        penalty_maximum=5000,
    )
    measure_step_record(m, step=Step.WITHDRAWN, on=D(2023, 3, 1), by=tl)
    (letter,) = documents_upload(
        case=case,
        files=[SimpleUploadedFile("besluit.pdf", files.pdf())],
        document_type="overig",
        by=tl,
    )
    case_services.case_close(case, on=D(2023, 4, 1), reason="opgelost", by=tl)

    time_machine.move_to(datetime.datetime(2026, 4, 2, 12, 0))  # three years later
    call_command("bewaartermijn", stdout=StringIO())
    from woonoverlast.cases.tasks import anonymise_past_retention

    assert anonymise_past_retention() >= 1  # past the working term, nothing blanked
    assert case.parties.filter(name="Piet Jansen").exists()
    assert REMOVED not in set(case.parties.values_list("name", flat=True))
    assert m.steps.get(step=Step.DECISION).note == "Besluit"
    letter.refresh_from_db()
    assert letter.file.name and letter.files_removed_at is None
    assert letter.file.storage.exists(letter.file.name)
    assert not AuditEvent.objects.filter(action=AuditAction.ANONYMISE, case=case).exists()
    assert CaseArchive.objects.get(case=case).archiefactiedatum == D(2033, 4, 1)


def test_destruction_tells_the_subscribers_of_each_case(django_capture_on_commit_callbacks):
    """An abonnement on casussen hears of each destroyed case (actie destroy), after the
    case's earlier events; a case taken off the list is not announced."""
    from woonoverlast.events.models import Event, Subscription, SubscriptionChannel

    subscription = Subscription.objects.create(name="zaakregistratie", callback_url="http://x/")
    SubscriptionChannel.objects.create(subscription=subscription, kanaal="casussen")
    destroyed = with_party(old_case())
    kept = old_case()
    proposal = services.destruction_list_propose(on=D(2025, 4, 1))
    case_services.case_reopen(kept, on=D(2025, 4, 2), reason="Weer overlast", by=None)
    approved(proposal, django_capture_on_commit_callbacks)

    # (Other tests' demo data may be on lists too: only these two cases are looked at.)
    def url(case):
        return f"/api/v1/casussen/{case.reference}/"

    (event,) = Event.objects.filter(actie="destroy", hoofd_object__endswith=url(destroyed))
    assert not Event.objects.filter(actie="destroy", hoofd_object__endswith=url(kept)).exists()
    assert event.kenmerken == {"wijk": "Centrum", "woningtype": "koop", "status": "closed"}
    assert "Piet Jansen" not in str(event.message())
    of_case = Event.objects.filter(hoofd_object=event.hoofd_object).order_by("id")
    assert of_case.last() == event
    assert event.deliveries.filter(subscription=subscription).exists()
