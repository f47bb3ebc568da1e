"""The bewaartermijn blanks the notes of a maatregel's steps; the steps and counts stay."""

import datetime

import pytest
import time_machine

from tests.factories import CaseFactory, measure, teamleider
from woonoverlast.cases.services import case_close, cases_anonymise
from woonoverlast.measures.choices import MeasureKind, Step
from woonoverlast.measures.models import MeasureStep
from woonoverlast.measures.reports import measures_per_year
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db
D = datetime.date


def test_step_notes_are_blanked_and_the_counts_stay():
    with time_machine.travel(datetime.datetime(2023, 6, 1, 12, 0), tick=False):
        tl = teamleider()
        case = CaseFactory(registered_on=D(2023, 1, 2))
        m = measure(case, by=tl, kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY)
        measure_step_record(
            m,
            step=Step.INTENTION_SENT,
            on=D(2023, 2, 1),
            by=tl,
            note="Naam buur",
            skip_reason="Spoed",
        )
        measure_step_record(m, step=Step.ENDED, on=D(2023, 3, 1), by=tl, note="Verhuisd")
        case_close(case, on=D(2023, 3, 2), reason="opgelost", by=tl)
    before = measures_per_year(2023).rows
    with time_machine.travel(datetime.datetime(2025, 6, 1, 12, 0), tick=False):
        assert cases_anonymise(case_ids=[case.pk]) == [case.reference]
    steps = MeasureStep.objects.filter(measure=m)
    assert steps.count() == 2
    assert {(row.note, row.skip_reason) for row in steps} == {("", "")}
    assert measures_per_year(2023).rows == before
