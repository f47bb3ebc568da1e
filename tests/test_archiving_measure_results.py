"""A maatregel's resultaat (Selectielijst 2020): derived by the services from what happened
(12.2 / 12.3 for the maatregel itself; 13.x for bezwaar and beroep; 18.x for invordering),
counted for the case's archiefactiedatum, and changeable on screen with a reason (audited)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import CaseFactory, casemanager, measure, teamleider
from woonoverlast.archiving.models import CaseArchive, MeasureResult, ResultType
from woonoverlast.archiving.services import (
    case_result_choose,
    cases_archive_backfill,
    further_measure_results,
    measure_result_choose,
    measure_result_settle,
)
from woonoverlast.audit.models import AuditEvent
from woonoverlast.cases import services as case_services
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.models import MeasureStep
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db
D = datetime.date


def _with_steps(*steps):
    """A maatregel with these (step, outcome) rows written directly: the derivation reads
    what was recorded, whatever route recorded it."""
    m = measure(CaseFactory(registered_on=D(2023, 1, 2)), by=teamleider())
    for number, (step, outcome) in enumerate(steps, start=1):
        MeasureStep.objects.create(
            measure=m, step=step, outcome=outcome, occurred_on=D(2023, 2, number)
        )
    return m


def _numbers(m) -> list[str]:
    return [result.number for result in further_measure_results(m)]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([(Step.DECISION, "")], []),
        ([(Step.DECISION, ""), (Step.OBJECTION_RECEIVED, "")], ["13.1"]),
        (
            [
                (Step.OBJECTION_RECEIVED, ""),
                (Step.OBJECTION_DECIDED, Outcome.UNFOUNDED),
            ],
            ["13.1"],
        ),
        (
            [(Step.OBJECTION_RECEIVED, ""), (Step.OBJECTION_DECIDED, Outcome.INADMISSIBLE)],
            ["13.1.4"],
        ),
        # Niet-ontvankelijk, but beroep followed: the dispute was handled in full.
        (
            [
                (Step.OBJECTION_RECEIVED, ""),
                (Step.OBJECTION_DECIDED, Outcome.INADMISSIBLE),
                (Step.APPEAL_FILED, ""),
            ],
            ["13.1"],
        ),
        (
            [
                (Step.OBJECTION_RECEIVED, ""),
                (Step.OBJECTION_DECIDED, Outcome.OBJECTION_WITHDRAWN),
            ],
            ["13.2"],
        ),
        ([(Step.DIRECT_APPEAL, "")], ["13.1"]),
        # Invordering: paid 18.3, not paid (verjaard) 18.4; a dispute with money at stake
        # is 13.1.1.
        ([(Step.PENALTY_INCURRED, ""), (Step.PAYMENT_RECEIVED, "")], ["18.3"]),
        ([(Step.PENALTY_INCURRED, ""), (Step.COLLECTION_ORDER, "")], ["18.4"]),
        ([(Step.COST_ORDER, ""), (Step.PAYMENT_RECEIVED, "")], ["18.3"]),
        (
            [
                (Step.OBJECTION_RECEIVED, ""),
                (Step.PENALTY_INCURRED, ""),
                (Step.PAYMENT_RECEIVED, ""),
            ],
            ["13.1.1", "18.3"],
        ),
    ],
)
def test_what_happened_gives_the_further_resultaten(steps, expected):
    assert _numbers(_with_steps(*steps)) == expected


def test_the_further_resultaten_have_the_lists_terms():
    terms = {t.number: (t.waardering, t.term_years) for t in ResultType.objects.all()}
    assert terms["13.1"] == ("vernietigen", 5)
    assert terms["13.1.1"] == ("vernietigen", 7)
    assert terms["13.1.4"] == ("vernietigen", 1)
    assert terms["13.2"] == ("vernietigen", 1)
    assert terms["18.3"] == terms["18.4"] == ("vernietigen", 7)


def _ended_measure(case, tl):
    """A closure with a besluit, withdrawn on 1 May 2023 (as tests/test_archiving.py does)."""
    m = measure(case, by=tl, kind=MeasureKind.CLOSURE, on=D(2023, 2, 1))
    measure_step_record(m, step=Step.WEIGHING, on=D(2023, 2, 1), by=tl, note="Afweging")
    measure_step_record(
        m, step=Step.DECISION, on=D(2023, 2, 1), by=tl, skip_reason="Spoed", duration_months=3
    )
    measure_step_record(m, step=Step.WITHDRAWN, on=D(2023, 5, 1), by=tl)
    return m


@pytest.fixture
def ended():
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        tl = teamleider()
        cm = casemanager()
        case = CaseFactory(registered_on=D(2023, 1, 2), casemanager=cm)
        m = _ended_measure(case, tl)
        case_services.case_close(case, on=D(2023, 4, 1), reason="opgelost", by=tl)
    return {"case": case, "measure": m, "casemanager": cm, "teamleider": tl}


def test_a_further_resultaat_counts_for_the_cases_archiefactiedatum(ended):
    """An invordering after the maatregel (7 years) does not shorten the 12.2 term (10
    years); a resultaat with a longer term would lengthen it."""
    m = ended["measure"]
    MeasureStep.objects.create(measure=m, step=Step.COST_ORDER, occurred_on=D(2023, 4, 20))
    MeasureStep.objects.create(measure=m, step=Step.PAYMENT_RECEIVED, occurred_on=D(2023, 4, 25))
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        result = measure_result_settle(m)
    assert result.result_type.number == "12.2"
    assert [t.number for t in result.further_result_types.all()] == ["18.3"]
    archive = CaseArchive.objects.get(case=ended["case"])
    assert archive.archiefactiedatum == D(2033, 5, 1)
    # Keep the 18.3 longer than 12.2: then the 18.3 decides.
    ResultType.objects.filter(number="18.3").update(term_years=12)
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        measure_result_settle(m)
    assert CaseArchive.objects.get(case=ended["case"]).archiefactiedatum == D(2035, 5, 1)
    events = AuditEvent.objects.filter(case=ended["case"], changes__has_key="bijkomende resultaten")
    assert ["18.3"] in [event.changes["bijkomende resultaten"] for event in events]


def test_the_casemanager_chooses_another_resultaat_for_the_maatregel(ended):
    m, cm = ended["measure"], ended["casemanager"]
    twelve_two_one = ResultType.objects.get(number="12.2.1")
    with pytest.raises(ValidationError) as error:
        measure_result_choose(m, result_type=twelve_two_one, reason="  ", by=cm)
    assert error.value.message_dict["reason"] == ["Geef aan waarom u een ander resultaat kiest."]
    assert MeasureResult.objects.get(measure=m).result_type.number == "12.2"  # nothing stored
    with pytest.raises(ValidationError) as error:
        measure_result_choose(
            m, result_type=ResultType.objects.get(number="6.1"), reason="x", by=cm
        )
    assert error.value.message_dict["result_type"] == ["Kies een resultaat voor een maatregel."]
    # The case's own resultaat as a handled melding (6.1), so that the maatregel's decides.
    case_result_choose(
        ended["case"], result_type=ResultType.objects.get(number="6.1"), reason="Melding", by=cm
    )
    assert CaseArchive.objects.get(case=ended["case"]).archiefactiedatum == D(2033, 5, 1)
    result = measure_result_choose(
        m, result_type=twelve_two_one, reason="Doorlopende verplichting", by=cm
    )
    assert (result.result_type, result.result_chosen_by) == (twelve_two_one, cm)
    # 12.2.1 and 6.1 (5 years each) from the brondatum, the maatregel's end.
    assert CaseArchive.objects.get(case=ended["case"]).archiefactiedatum == D(2028, 5, 1)
    events = AuditEvent.objects.filter(case=ended["case"], changes__has_key="reden")
    assert {"oud": "12.2", "nieuw": "12.2.1"} in [
        event.changes.get("resultaat maatregel") for event in events
    ]
    # A chosen resultaat stays when the maatregel is settled again.
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        measure_result_settle(m)
    assert MeasureResult.objects.get(measure=m).result_type == twelve_two_one


def test_who_may_not_write_to_the_case_may_not_choose(ended):
    with pytest.raises(PermissionDenied):
        measure_result_choose(
            ended["measure"],
            result_type=ResultType.objects.get(number="12.3"),
            reason="x",
            by=casemanager(),
        )
    assert MeasureResult.objects.get(measure=ended["measure"]).result_reason == ""


def test_a_running_maatregel_has_no_resultaat_to_choose():
    tl = teamleider()
    m = measure(CaseFactory(), by=tl)
    with pytest.raises(ValidationError) as error:
        measure_result_choose(
            m, result_type=ResultType.objects.get(number="12.3"), reason="x", by=tl
        )
    assert "helemaal is afgelopen" in error.value.messages[0]
    assert not MeasureResult.objects.filter(measure=m).exists()


def test_the_case_file_shows_it_and_the_screen_changes_it(client, ended):
    case, m = ended["case"], ended["measure"]
    client.force_login(ended["casemanager"])
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Resultaten van de maatregelen" in html and "12.2 Handhaving uitgevoerd" in html
    url = reverse("archiving:measure_result", kwargs={"reference": case.reference, "pk": m.pk})
    assert url in html
    assert client.get(url).status_code == 200
    twelve_three = ResultType.objects.get(number="12.3")
    response = client.post(url, {"result_type": twelve_three.pk, "reason": ""})
    assert response.status_code == 200 and "Dit veld is verplicht" in response.content.decode()
    response = client.post(url, {"result_type": twelve_three.pk, "reason": "Niet uitgevoerd"})
    assert response.status_code == 302
    assert MeasureResult.objects.get(measure=m).result_type == twelve_three
    # Another case's maatregel through this case's address: 404.
    other = reverse(
        "archiving:measure_result", kwargs={"reference": CaseFactory().reference, "pk": m.pk}
    )
    assert client.get(other).status_code == 404


@pytest.mark.parametrize(
    ("outcomes", "number", "term"),
    [
        ([Outcome.REQUEST_GRANTED], "6.1.8", 5),
        ([Outcome.REQUEST_REFUSED], "6.2", 1),
        ([], "6.2", 1),  # never decided (withdrawn)
        ([Outcome.REQUEST_REFUSED, Outcome.REQUEST_GRANTED], "6.1.8", 5),  # the last decides
    ],
)
def test_a_handhavingsverzoek_gets_the_resultaat_of_a_request(outcomes, number, term):
    """Selectielijst 2020, 6 Verzoeken behandelen: a granted handhavingsverzoek is 6.1.8,
    a refused one 6.2; never 12.2/12.3, whose enforcement is another maatregel's."""
    from woonoverlast.archiving.services import default_measure_result

    m = measure(
        CaseFactory(registered_on=D(2023, 1, 2)),
        by=teamleider(),
        kind=MeasureKind.ENFORCEMENT_REQUEST,
    )
    MeasureStep.objects.create(measure=m, step=Step.REQUEST_RECEIVED, occurred_on=D(2023, 2, 1))
    for day, outcome in enumerate(outcomes, start=2):
        MeasureStep.objects.create(
            measure=m, step=Step.REQUEST_DECIDED, outcome=outcome, occurred_on=D(2023, 2, day)
        )
    result = default_measure_result(m)
    assert (result.number, result.term_years) == (number, term)
    assert result.applies_to == "beide"  # choosable for a maatregel on screen too


def test_a_blijvend_bewaren_resultaat_chosen_later_takes_the_destruction_date_away(ended):
    """Selectielijst 2020, 13.1.3 (bezwaar or beroep with influence on a zaak to keep):
    blijvend bewaren. Chosen for the maatregel after its case got a destruction date, the
    case is kept for good: no archiefactiedatum any more, whatever it was."""
    m, cm = ended["measure"], ended["casemanager"]
    assert CaseArchive.objects.get(case=ended["case"]).archiefactiedatum == D(2033, 5, 1)
    measure_result_choose(
        m, result_type=ResultType.objects.get(number="13.1.3"), reason="Te bewaren", by=cm
    )
    archive = CaseArchive.objects.get(case=ended["case"])
    assert (archive.brondatum, archive.archiefactiedatum, archive.archiefnominatie) == (
        D(2023, 5, 1),
        None,
        "blijvend_bewaren",
    )


def test_a_maatregel_ended_before_its_resultaat_was_stored_counts_as_derived(ended):
    """A maatregel that ended before the archiving app stored resultaten (no MeasureResult,
    a case closed before it: cases_archive_backfill) counts for its case's archiefactiedatum
    with the resultaat derived from what happened, its bijkomende resultaten included: here
    an invordering paid (18.3), kept longer than 12.2 so that it decides."""
    m = ended["measure"]
    MeasureStep.objects.create(measure=m, step=Step.COST_ORDER, occurred_on=D(2023, 4, 20))
    MeasureStep.objects.create(measure=m, step=Step.PAYMENT_RECEIVED, occurred_on=D(2023, 4, 25))
    MeasureResult.objects.filter(measure=m).delete()
    CaseArchive.objects.filter(case=ended["case"]).delete()
    ResultType.objects.filter(number="18.3").update(term_years=12)
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        assert cases_archive_backfill() == 1
    archive = CaseArchive.objects.get(case=ended["case"])
    assert archive.result_type.number == "12.2"
    assert (archive.brondatum, archive.archiefactiedatum) == (D(2023, 5, 1), D(2035, 5, 1))


def test_a_maatregel_started_on_a_closed_case_empties_its_dates_until_it_ends(ended):
    """The brondatum waits for every maatregel of the case (Selectielijst 2020: the end of
    the zaak and what follows it): a maatregel entered later for the time the case was open
    takes the closed case's dates away at once, not at its next settle; its end brings them
    back."""
    case, tl = ended["case"], ended["teamleider"]
    before = CaseArchive.objects.get(case=case)
    assert before.archiefactiedatum == D(2033, 5, 1)
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, 0), tick=False):
        late = measure(case, by=tl, kind=MeasureKind.CLOSURE, on=D(2023, 3, 1))
        archive = CaseArchive.objects.get(case=case)
        assert (archive.brondatum, archive.archiefactiedatum) == (None, None)
        measure_step_record(late, step=Step.ENDED, on=D(2023, 3, 15), by=tl)
    archive = CaseArchive.objects.get(case=case)
    assert archive.brondatum == D(2023, 5, 1)
    assert archive.archiefactiedatum == D(2033, 5, 1)
