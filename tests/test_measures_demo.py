"""The demo maatregelen: finished ones in 2023 and 2024 (a dwangsom verbeurd, a bezwaar) and
running ones with deadlines around today. Tabel 5.1 of 2023 is checked by test_demo.py."""

import datetime

import pytest

from woonoverlast.followups.selection import due_for_team
from woonoverlast.measures.choices import Step
from woonoverlast.measures.models import Measure, MeasureStep
from woonoverlast.measures.reports import measures_per_year

pytestmark = pytest.mark.usefixtures("demo_data", "db")


def test_finished_and_running_measures():
    assert Measure.objects.filter(ended_on__year=2023).count() == 2
    assert Measure.objects.filter(ended_on__year=2024).count() == 1
    assert Measure.objects.running().count() == 6
    # Issue 24: a handhavingsverzoek with its beslistermijn running, and a last whose
    # begunstigingstermijn was extended; every besluit has a belangenafweging before it.
    assert Measure.objects.filter(kind="handhavingsverzoek").count() == 1
    assert Measure.objects.filter(kind="verbod_aanwezig", ended_on__isnull=False).count() == 1
    assert MeasureStep.objects.filter(step=Step.TERM_EXTENDED).count() == 1
    weighed = set(MeasureStep.objects.filter(step=Step.WEIGHING).values_list("measure", flat=True))
    decided = set(MeasureStep.objects.filter(step=Step.DECISION).values_list("measure", flat=True))
    assert decided <= weighed
    assert MeasureStep.objects.filter(step=Step.PENALTY_INCURRED).count() == 3
    # A dwangsom in collection: an invorderingsbeschikking and an aanmaning, none of the old
    # `invordering` step.
    assert MeasureStep.objects.filter(step=Step.COLLECTION_ORDER).count() == 2
    assert MeasureStep.objects.filter(step=Step.REMINDER).count() == 1
    assert not MeasureStep.objects.filter(step=Step.COLLECTION).exists()
    assert MeasureStep.objects.filter(step=Step.OBJECTION_RECEIVED).count() == 2


def test_the_report_counts_them_per_year():
    totals = measures_per_year(2023).rows[-1].counts
    assert totals == (2, 2, 2, 0, 1, 2)
    assert measures_per_year(2024).rows[-1].counts == (1, 1, 1, 1, 0, 1)


def test_running_deadlines_reach_termijnen():
    items = [item for item in due_for_team().items if item.measure_id]
    assert items
    assert all(item.due_on <= datetime.date.today() + datetime.timedelta(days=7) for item in items)
