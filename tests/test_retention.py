"""The bewaartermijn of the working screens blanks nothing; the blanking that an approved
vernietigingslijst runs (cases_anonymise) removes personal data and keeps the facts and the
figures."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import CaseFactory, action, casemanager, teamleider
from woonoverlast.audit.models import AuditAction, AuditEvent
from woonoverlast.cases import services
from woonoverlast.cases.choices import ActionType, ClosingReason, MeldingSource, PartyRole, Status
from woonoverlast.cases.models import Case, Category
from woonoverlast.cases.services.retention import REMOVED

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 28)  # limit with the default 24 months: 28-11-2024


@pytest.mark.parametrize(
    ("on", "limit"),
    [
        (D(2026, 11, 28), D(2024, 11, 28)),
        (D(2026, 1, 1), D(2024, 1, 1)),
        (D(2024, 2, 29), D(2022, 2, 28)),
        (D(2026, 12, 31), D(2024, 12, 31)),
    ],
)
def test_the_limit_is_the_same_day_two_years_back(on, limit):
    assert services.retention_limit(on) == limit


def test_the_limit_follows_the_setting(settings):
    settings.RETENTION_MONTHS = 18
    assert services.retention_limit(D(2026, 3, 31)) == D(2024, 9, 30)


def full_case(**kwargs) -> Case:
    case = CaseFactory(
        registered_on=D(2022, 3, 1),
        street="Dorpsstraat",
        house_number=7,
        house_number_addition="A",
        postcode="2711 AB",
        description="Buurman Jansen draait harde muziek",
        categories=[Category.objects.get(code="geluidsoverlast")],
        first_melding_text="Muziek bij Jansen",
        **kwargs,
    )
    services.party_add(
        case,
        role=PartyRole.RESPONDENT,
        name="Piet Jansen",
        phone="0612345678",
        email="piet@example.org",
        address="Dorpsstraat 7A",
        notes="Gevoelig",
        by=None,
    )
    action(
        case,
        action_type=ActionType.HOME_VISIT,
        performed_on=D(2022, 3, 5),
        present="Piet",
        findings="Vervuild",
    )
    action(case, performed_on=D(2022, 3, 6), notes="Gesprek met Piet")
    return case


def blank(*cases) -> list[str]:
    return services.cases_anonymise(case_ids=[case.pk for case in cases])


def test_anonymises_what_identifies_people_and_keeps_the_facts():
    case = full_case(closed_on=D(2024, 11, 27))
    blank(case)
    case.refresh_from_db()
    assert (case.street, case.house_number, case.house_number_addition, case.postcode) == (
        "",
        None,
        "",
        "",
    )
    assert case.description == "" and case.anonymised_at is not None
    party = case.parties.get()
    assert (party.name, party.phone, party.email, party.address, party.notes) == (
        REMOVED,
        "",
        "",
        "",
        "",
    )
    assert party.role == PartyRole.RESPONDENT and party.anonymised_at
    assert list(case.meldingen.values_list("text", "source")) == [(REMOVED, MeldingSource.RESIDENT)]
    assert list(case.actions.values_list("action_type", "performed_on", "notes", "findings")) == [
        (ActionType.HOME_VISIT, D(2022, 3, 5), "", ""),
        (ActionType.CONVERSATION, D(2022, 3, 6), "", ""),
    ]
    # The facts the reports are made of are untouched.
    assert (case.district.name, case.housing_type, case.registered_on, case.closed_on) == (
        "Centrum",
        "koop",
        D(2022, 3, 1),
        D(2024, 11, 27),
    )
    assert list(case.categories.values_list("code", flat=True)) == ["geluidsoverlast"]
    assert list(case.status_changes.values_list("status", "effective_on")) == [
        (Status.OPEN, D(2022, 3, 1)),
        (Status.CLOSED, D(2024, 11, 27)),
    ]


def test_the_working_term_selects_cases_closed_before_the_limit():
    past = full_case(closed_on=D(2024, 11, 27))
    on_the_limit = full_case(closed_on=D(2024, 11, 28))
    full_case()
    full_case(closed_on=D(2023, 1, 1), reopened_on=D(2023, 2, 1))
    assert list(services.cases_past_retention(TODAY)) == [past]
    assert on_the_limit not in services.cases_past_retention(TODAY)


def test_each_run_is_logged_with_one_entry_per_case():
    case = full_case(closed_on=D(2023, 5, 1))
    assert blank(case) == [case.reference]
    assert services.cases_anonymise(case_ids=[]) == []
    runs = AuditEvent.objects.filter(action=AuditAction.ANONYMISE, case=None).order_by("id")
    assert [run.changes["aantal"] for run in runs] == [1, 0]
    assert AuditEvent.objects.filter(action=AuditAction.ANONYMISE, case=case).count() == 1


def test_the_bewaartermijn_command_lists_and_blanks_nothing(time_machine):
    """Archiefwet 1995 art. 3 and 5: nothing is destroyed before the archiefactiedatum, and
    then only by an approved vernietigingslijst."""
    time_machine.move_to(datetime.datetime(2026, 11, 28, 12, 0))
    case = full_case(closed_on=D(2023, 5, 1))
    for arguments in (["--proef"], []):
        out = StringIO()
        call_command("bewaartermijn", *arguments, stdout=out)
        assert f"{case.reference}  afgerond op 01-05-2023" in out.getvalue()
        assert "1 casussen afgerond voor 28-11-2024" in out.getvalue()
        assert "niets gewist" in out.getvalue()
    case.refresh_from_db()
    assert case.parties.get().name == "Piet Jansen" and case.street == "Dorpsstraat"
    assert case.anonymised_at is None


def test_a_reopened_anonymised_case_is_anonymised_again_when_past_retention_again():
    """Issue 17, finding 2: the job selected on anonymised_at, so what was added after
    reopening stayed for good."""
    case = full_case(closed_on=D(2022, 6, 1))
    assert blank(case) == [case.reference]
    services.case_reopen(case, on=D(2024, 7, 2), reason="Weer overlast bij Jansen", by=None)
    services.party_add(case, role=PartyRole.REPORTER, name="Klaas de Vries", by=None)
    services.melding_add(
        case, received_on=D(2024, 7, 2), source=MeldingSource.RESIDENT, text="Weer muziek", by=None
    )
    services.case_close(case, on=D(2024, 8, 1), reason=ClosingReason.RESOLVED, by=None)
    assert list(services.cases_past_retention(D(2026, 1, 1))) == []  # not yet past it again
    assert list(services.cases_past_retention(TODAY)) == [case]
    blank(case)
    assert set(case.parties.values_list("name", flat=True)) == {REMOVED}
    assert set(case.meldingen.values_list("text", flat=True)) == {REMOVED}
    assert set(case.status_changes.values_list("note", flat=True)) == {""}
    assert list(services.cases_past_retention(TODAY)) == []


def test_any_personal_data_left_selects_the_case_whatever_its_flag():
    case = full_case(closed_on=D(2022, 6, 1))
    blank(case)
    Case.objects.filter(pk=case.pk).update(postcode="2711 AB")  # e.g. an admin correction
    assert list(services.cases_past_retention(TODAY)) == [case]
    blank(case)
    case.refresh_from_db()
    assert case.postcode == ""


def test_the_reason_of_an_access_grant_is_anonymised():
    """Issue 17, finding 3: the reason is free text with names and addresses."""
    from tests.factories import casemanager, teamleider
    from woonoverlast.accounts.services import case_access_grant

    case = full_case(closed_on=D(2023, 5, 1))
    grant = case_access_grant(
        case, user=casemanager(), reason="Buurman Jansen, Dorpsstraat 7A", by=teamleider()
    )
    blank(case)
    grant.refresh_from_db()
    assert grant.reason == REMOVED


def test_the_table_covers_every_personal_data_field():
    from woonoverlast.cases.services.retention import ANONYMISED

    for model, (_, anonymised) in ANONYMISED.items():
        assert set(getattr(model, "PERSONAL_DATA_FIELDS", anonymised)) == set(anonymised)


def test_the_selection_is_one_query():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    full_case(closed_on=D(2022, 6, 1))
    with CaptureQueriesContext(connection) as queries:
        assert len(list(services.cases_past_retention(TODAY))) == 1
    assert len(queries) == 1


@pytest.mark.usefixtures("demo_data")
def test_the_reports_do_not_change():
    from reports import tabel51
    from reports.exports import csv_text

    def tables():
        result = {}
        for year in range(2022, 2027):
            for as_of in (D(year, 6, 30), D(year, 12, 31)):
                result[year, as_of] = (
                    csv_text(tabel51.compute(year, as_of)),
                    csv_text(tabel51.carried_over(year, as_of)),
                )
        return result

    before = tables()
    anonymised = services.cases_anonymise(
        case_ids=list(services.cases_past_retention(TODAY).values_list("pk", flat=True))
    )
    assert len(anonymised) > 300  # most of 2022 and 2023 is past the limit
    assert tables() == before
    assert before[2023, D(2023, 12, 31)][0].splitlines()[-1] == "Totaal,31,56,71,107,11,8,284"


def test_a_reassignments_reason_and_a_maatregels_notes_go_too():
    """Free text on the case's other records: why it was reassigned, and the notes and the
    reason for skipping a condition on a maatregel's steps."""
    from tests.factories import measure
    from woonoverlast.measures.models import MeasureStep

    case = full_case()
    leader = teamleider()
    services.case_reassign(
        case, casemanager=casemanager(), reason="Piet Jansen wil een ander", by=leader
    )
    maatregel = measure(case, by=leader, on=D(2022, 3, 10))
    MeasureStep.objects.create(
        measure=maatregel,
        step=MeasureStep._meta.get_field("step").choices[0][0],
        occurred_on=D(2022, 3, 11),
        note="Jansen gesproken",
        skip_reason="Spoed: Jansen",
    )
    services.case_close(case, on=D(2023, 5, 1), reason=ClosingReason.RESOLVED, by=None)
    assert blank(case) == [case.reference]
    assert case.reassignments.get().reason == REMOVED
    assert set(
        MeasureStep.objects.filter(measure=maatregel).values_list("note", "skip_reason")
    ) == {("", "")}
    assert case.reference not in [c.reference for c in services.cases_past_retention(TODAY)]
