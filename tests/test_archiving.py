"""Archiving by the Selectielijst 2020: resultaat, brondatum, archiefactiedatum, nominatie."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import CaseFactory, casemanager, measure, teamleider
from woonoverlast.archiving import selectielijst
from woonoverlast.archiving.models import CaseArchive, MeasureResult, ResultType
from woonoverlast.archiving.services import case_result_choose
from woonoverlast.audit.models import AuditEvent
from woonoverlast.cases import services as case_services
from woonoverlast.common.calendar import add_years
from woonoverlast.measures.choices import MeasureKind, Step
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db
D = datetime.date


def archive_of(case) -> CaseArchive | None:
    return CaseArchive.objects.filter(case=case).select_related("result_type").first()


FEBRUARY = D(2023, 2, 1)


def decided_measure(case, tl, *, on=FEBRUARY, end=None, kind=MeasureKind.CLOSURE):
    """A maatregel with a besluit (recorded by a team leader, urgency as the reason), ended
    on `end` when given."""
    m = measure(case, by=tl, kind=kind, on=on)
    measure_step_record(m, step=Step.WEIGHING, on=on, by=tl, note="Afweging")
    measure_step_record(m, step=Step.DECISION, on=on, by=tl, skip_reason="Spoed", duration_months=3)
    if end:
        measure_step_record(m, step=Step.WITHDRAWN, on=end, by=tl)
    return m


def test_the_table_holds_the_selectielijst_numbers_checked_against_the_list():
    rows = {row.number: row for row in ResultType.objects.all()}
    assert {number for number, *_ in selectielijst.RESULT_TYPES} == set(rows)
    # The numbers the issue named, with the list's term and waardering.
    expected = {
        "6.1": 5,
        "6.2": 1,
        "6.3": 1,
        "6.1.8": 5,
        "12.2": 10,
        "13.1": 5,
        "13.1.1": 7,
        "13.1.4": 1,
        "18.3": 7,
        "19.1.11": 5,
    }
    for number, term in expected.items():
        assert rows[number].term_years == term
        assert rows[number].waardering == "vernietigen"
    assert rows["13.1.3"].waardering == "blijvend_bewaren" and rows["13.1.3"].term_years is None


def test_a_closed_case_without_maatregel_is_a_handled_melding_kept_five_years():
    case = CaseFactory(registered_on=D(2023, 1, 2), closed_on=D(2023, 3, 1))
    archive = archive_of(case)
    assert archive.result_type.number == "6.1"
    assert archive.brondatum == D(2023, 3, 1)
    assert archive.archiefactiedatum == D(2028, 3, 1)
    assert archive.archiefnominatie == "vernietigen"


def test_no_nuisance_found_is_not_taken_up_one_year():
    case = CaseFactory(registered_on=D(2023, 1, 2))
    case_services.case_close(case, on=D(2023, 3, 1), reason="geen_overlast", by=None)
    assert archive_of(case).result_type.number == "6.2"
    assert archive_of(case).archiefactiedatum == D(2024, 3, 1)


def test_an_open_case_has_no_archive_data():
    assert archive_of(CaseFactory()) is None


def test_a_maatregel_with_a_besluit_makes_it_12_2_ten_years_from_the_maatregels_end():
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        tl = teamleider()
        case = CaseFactory(registered_on=D(2023, 1, 2))
        m = decided_measure(case, tl, end=D(2023, 5, 1))
        case_services.case_close(case, on=D(2023, 4, 1), reason="opgelost", by=tl)
    assert MeasureResult.objects.get(measure=m).result_type.number == "12.2"
    archive = archive_of(case)
    assert archive.result_type.number == "12.2"
    # The maatregel ended after the closing: the brondatum is its end.
    assert archive.brondatum == D(2023, 5, 1)
    assert archive.archiefactiedatum == D(2033, 5, 1)


def test_a_running_maatregel_keeps_the_case_from_dates_until_it_ends():
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        tl = teamleider()
        case = CaseFactory(registered_on=D(2023, 1, 2))
        m = decided_measure(case, tl)
        measure_step_record(m, step=Step.NOTIFIED, on=D(2023, 2, 2), by=tl)
        case_services.case_close(case, on=D(2023, 4, 1), reason="opgelost", by=tl)
        archive = archive_of(case)
        assert archive.result_type.number == "12.2"
        assert (archive.brondatum, archive.archiefactiedatum, archive.archiefnominatie) == (
            None,
            None,
            "",
        )
        measure_step_record(m, step=Step.ENDED, on=D(2024, 2, 1), by=tl)
    archive = archive_of(case)
    assert archive.brondatum == D(2024, 2, 1)
    assert archive.archiefactiedatum == D(2034, 2, 1)


def test_a_maatregel_without_besluit_is_12_3_and_the_case_keeps_its_own_term():
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        tl = teamleider()
        case = CaseFactory(registered_on=D(2023, 1, 2))
        m = measure(case, by=tl, on=D(2023, 1, 10))
        measure_step_record(m, step=Step.ENDED, on=D(2023, 2, 1), by=tl)
        case_services.case_close(case, on=D(2023, 3, 1), reason="opgelost", by=tl)
    assert MeasureResult.objects.get(measure=m).result_type.number == "12.3"
    archive = archive_of(case)
    assert archive.result_type.number == "6.1"
    assert archive.archiefactiedatum == D(2028, 3, 1)  # the longest term: 6.1's five years


def test_any_blijvend_bewaren_makes_the_case_blijvend_bewaren_without_a_destruction_date():
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        tl = teamleider()
        case = CaseFactory(registered_on=D(2023, 1, 2))
        m = decided_measure(case, tl, end=D(2023, 3, 1))
        MeasureResult.objects.filter(measure=m).update(
            result_type=ResultType.objects.get(number="13.1.3")
        )
        case_services.case_close(case, on=D(2023, 4, 1), reason="opgelost", by=tl)
    archive = archive_of(case)
    assert archive.archiefnominatie == "blijvend_bewaren"
    assert archive.archiefactiedatum is None and archive.brondatum == D(2023, 4, 1)


def test_reopening_clears_and_closing_again_derives_anew():
    case = CaseFactory(registered_on=D(2023, 1, 2), closed_on=D(2023, 3, 1))
    case_services.case_reopen(case, on=D(2023, 4, 1), reason="Nieuwe meldingen", by=None)
    assert archive_of(case) is None
    case_services.case_close(case, on=D(2023, 5, 1), reason="opgelost", by=None)
    assert archive_of(case).archiefactiedatum == D(2028, 5, 1)


def test_a_withdrawn_closing_clears_them_too():
    tl = teamleider()
    case = CaseFactory(registered_on=D(2023, 1, 2), closed_on=D(2023, 3, 1))
    case_services.status_change_withdraw(case, reason="Per abuis afgesloten", by=tl)
    assert archive_of(case) is None


def test_a_corrected_closing_date_moves_the_dates():
    tl = teamleider()
    case = CaseFactory(registered_on=D(2023, 1, 2), closed_on=D(2023, 3, 1))
    case_services.status_date_correct(case, on=D(2023, 2, 1), reason="Tikfout", by=tl)
    assert archive_of(case).archiefactiedatum == D(2028, 2, 1)


def test_the_casemanager_may_choose_another_resultaat_with_a_reason():
    cm = casemanager()
    case = CaseFactory(registered_on=D(2023, 1, 2), casemanager=cm, closed_on=D(2023, 3, 1))
    overleg = ResultType.objects.get(number="19.1.10")
    with pytest.raises(ValidationError) as error:
        case_result_choose(case, result_type=overleg, reason=" ", by=cm)
    assert "reason" in error.value.error_dict
    archive = case_result_choose(case, result_type=overleg, reason="Bestuurlijk overleg", by=cm)
    assert archive.result_type == overleg
    assert archive.archiefactiedatum == D(2033, 3, 1)
    assert AuditEvent.objects.filter(case=case, changes__resultaat__nieuw="19.1.10").exists()


def test_a_measure_resultaat_cannot_be_chosen_for_a_case():
    cm = casemanager()
    case = CaseFactory(registered_on=D(2023, 1, 2), casemanager=cm, closed_on=D(2023, 3, 1))
    with pytest.raises(ValidationError):
        case_result_choose(
            case, result_type=ResultType.objects.get(number="18.3"), reason="x", by=cm
        )


def test_who_may_not_write_to_the_closed_case_may_not_choose_its_resultaat():
    case = CaseFactory(registered_on=D(2023, 1, 2), closed_on=D(2023, 3, 1))
    with pytest.raises(PermissionDenied):
        case_result_choose(
            case, result_type=ResultType.objects.get(number="6.3"), reason="x", by=casemanager()
        )


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [(D(2024, 2, 29), 1, D(2025, 2, 28)), (D(2024, 2, 29), 4, D(2028, 2, 29))],
)
def test_years_from_29_february(day, years, expected):
    assert add_years(day, years) == expected


def test_a_team_leader_changes_a_term_in_the_admin_and_it_is_audited(client):
    tl = teamleider(is_staff=True)
    client.force_login(tl)
    row = ResultType.objects.get(number="6.1")
    url = f"/beheer/archiving/resulttype/{row.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        "number": "6.1",
        "description": row.description,
        "waardering": "vernietigen",
        "term_years": "6",
        "applies_to": "casus",
        "active": "on",
    }
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert row.term_years == 6
    event = AuditEvent.objects.get(object_type=ResultType._meta.verbose_name, object_id=str(row.pk))
    assert event.changes == {"term_years": {"oud": 5, "nieuw": 6}} and event.actor == tl


def test_a_casemanager_has_no_admin_for_the_table(client):
    client.force_login(casemanager(is_staff=True))
    response = client.get("/beheer/archiving/resulttype/")
    assert response.status_code in (302, 403)


def test_a_maatregel_ended_while_its_bezwaar_is_open_keeps_the_case_from_dates():
    """The maatregel's own last step is not its end for the archive while a bezwaar against
    the besluit is undecided (measures.selection.measure_end_date): the besluit is still
    being contested, and destroying it would destroy a record in use."""
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        tl = teamleider()
        case = CaseFactory(registered_on=D(2023, 1, 2))
        m = decided_measure(case, tl)
        measure_step_record(m, step=Step.NOTIFIED, on=D(2023, 2, 2), by=tl)
        measure_step_record(m, step=Step.OBJECTION_RECEIVED, on=D(2023, 3, 1), by=tl)
        measure_step_record(m, step=Step.ENDED, on=D(2023, 3, 20), by=tl)
        case_services.case_close(case, on=D(2023, 4, 1), reason="opgelost", by=tl)
        archive = archive_of(case)
        assert (archive.brondatum, archive.archiefactiedatum) == (None, None)
        assert not MeasureResult.objects.filter(measure=m).exists()


def test_another_cases_besluit_does_not_make_this_case_12_2():
    """The resultaat is that of the case's own process (Selectielijst 2020: 12.2 only when
    a maatregel of this case reached a besluit): a besluit in another case changes nothing."""
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        tl = teamleider()
        other = CaseFactory(registered_on=D(2023, 1, 2))
        decided_measure(other, tl, end=D(2023, 5, 1))
        case = CaseFactory(registered_on=D(2023, 1, 2))
        case_services.case_close(case, on=D(2023, 3, 1), reason="opgelost", by=tl)
    archive = archive_of(case)
    assert archive.result_type.number == "6.1"
    assert archive.archiefactiedatum == D(2028, 3, 1)


def test_a_maatregel_entered_later_for_the_open_time_empties_the_closed_cases_dates():
    """A closed case whose maatregel runs has no brondatum, archiefactiedatum or nominatie
    (Archiefwet art. 5: the term starts when the matter has ended). A maatregel entered
    afterwards for the time the case was open runs: when the case's archive data are next
    brought in step (here by a chosen resultaat) the dates it had are emptied, all three."""
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        tl = teamleider()
        case = CaseFactory(registered_on=D(2023, 1, 2), casemanager=tl)
        case_services.case_close(case, on=D(2023, 3, 1), reason="opgelost", by=tl)
        archive = archive_of(case)
        assert (archive.brondatum, archive.archiefactiedatum, archive.archiefnominatie) == (
            D(2023, 3, 1),
            D(2028, 3, 1),
            "vernietigen",
        )
        measure(case, by=tl, on=D(2023, 2, 1))
        overleg = ResultType.objects.get(number="19.1.10")
        case_result_choose(case, result_type=overleg, reason="Bestuurlijk overleg", by=tl)
    archive = archive_of(case)
    assert archive.result_type == overleg
    assert (archive.brondatum, archive.archiefactiedatum, archive.archiefnominatie) == (
        None,
        None,
        "",
    )
