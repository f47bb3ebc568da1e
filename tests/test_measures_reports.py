"""Maatregelen per year (from step dates) and the doorlooptijd: boundaries, groupings, query
counts, the page, the exports and the command."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from reports.leadtime import lead_times, percentile_cont
from tests.factories import CaseFactory, district, measure, rapportage, teamleider
from woonoverlast.cases.choices import HousingType
from woonoverlast.cases.services import case_close, case_reopen
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.reports import BY_DISTRICT, BY_HOUSING_TYPE, measures_per_year
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0), tick=False):
        yield


@pytest.fixture
def tl():
    return teamleider()


def row(report, kind_label):
    return next(item.counts for item in report.rows if item.kind == kind_label)


def kind_label(kind):
    return MeasureKind(kind).label


def flow(
    tl,
    *,
    started,
    voornemen=None,
    besluit=None,
    bezwaar=None,
    verbeurd=None,
    ended=None,
    kind=MeasureKind.OTHER,
    **case,
):
    m = measure(CaseFactory(registered_on=started, **case), by=tl, kind=kind, on=started)
    if voornemen:
        measure_step_record(m, step=Step.INTENTION_SENT, on=voornemen, by=tl, zienswijze_days=1)
    if besluit and not voornemen:
        measure_step_record(m, step=Step.INTENTION_SENT, on=besluit, by=tl, zienswijze_days=1)
    if besluit:
        extra = (
            {
                "penalty_amount": 100,
                "penalty_maximum": 1000,
                "duration_indefinite": True,
                "indefinite_reason": "Structurele overlast",
            }
            if kind == MeasureKind.OTHER
            else {}
        )
        measure_step_record(m, step=Step.VIEW_WAIVED, on=besluit, by=tl)
        measure_step_record(m, step=Step.DECISION, on=besluit, by=tl, **extra)
        measure_step_record(m, step=Step.NOTIFIED, on=besluit, by=tl)
    if bezwaar:
        measure_step_record(m, step=Step.OBJECTION_RECEIVED, on=bezwaar, by=tl)
    if verbeurd:
        measure_step_record(m, step=Step.CHECK, on=verbeurd, by=tl, outcome=Outcome.BREACHED)
        measure_step_record(m, step=Step.PENALTY_INCURRED, on=verbeurd, by=tl, amount=100)
    if ended:
        measure_step_record(m, step=Step.EXPIRED, on=ended, by=tl)
    return m


class TestMeasuresPerYear:
    def test_steps_on_1_january_and_31_december_count_the_days_around_them_not(self, tl):
        flow(
            tl,
            started=D(2024, 12, 31),
            voornemen=D(2025, 1, 1),
            besluit=D(2025, 12, 31),
            bezwaar=D(2026, 1, 1),
        )
        report = measures_per_year(2025)
        # gestart, voornemen, besluit, bezwaar, verbeurd, beëindigd
        assert row(report, kind_label(MeasureKind.OTHER)) == (0, 1, 1, 0, 0, 0)
        assert row(measures_per_year(2024), kind_label(MeasureKind.OTHER)) == (1, 0, 0, 0, 0, 0)
        assert row(measures_per_year(2026), kind_label(MeasureKind.OTHER)) == (0, 0, 0, 1, 0, 0)

    def test_the_peildatum_counts_its_own_day_and_not_the_next(self, tl):
        flow(tl, started=D(2025, 3, 1), voornemen=D(2025, 6, 30), besluit=D(2025, 7, 1))
        report = measures_per_year(2025, D(2025, 6, 30))
        assert row(report, kind_label(MeasureKind.OTHER)) == (1, 1, 0, 0, 0, 0)
        assert report.subtitle.endswith("30-06-2025")

    def test_a_measure_counts_once_per_column_and_all_figures(self, tl):
        flow(
            tl,
            started=D(2025, 1, 2),
            voornemen=D(2025, 1, 3),
            besluit=D(2025, 2, 1),
            bezwaar=D(2025, 2, 2),
            verbeurd=D(2025, 3, 1),
            ended=D(2025, 4, 1),
        )
        report = measures_per_year(2025)
        assert row(report, kind_label(MeasureKind.OTHER)) == (1, 1, 1, 1, 1, 1)
        assert row(report, "Totaal") == (1, 1, 1, 1, 1, 1)
        assert row(report, kind_label(MeasureKind.CLOSURE)) == (0,) * 6

    def test_by_wijk_and_by_housing_type(self, tl):
        flow(tl, started=D(2025, 1, 2), district=district("Meerzicht"))
        flow(tl, started=D(2025, 1, 2), housing_type=HousingType.KOOP)
        by_wijk = measures_per_year(2025, by=BY_DISTRICT)
        counts = {item.group: item.counts[0] for item in by_wijk.rows}
        assert counts["Meerzicht"] == 1 and counts["Totaal"] == 2
        assert by_wijk.header[:2] == ["Wijk", "Soort maatregel"]
        by_type = measures_per_year(2025, by=BY_HOUSING_TYPE)
        assert sum(item.counts[0] for item in by_type.rows[:-1]) == 2

    @pytest.mark.parametrize("count", [1, 20])
    def test_one_aggregate_query(self, tl, count, django_assert_num_queries):
        for _ in range(count):
            flow(tl, started=D(2025, 1, 2), voornemen=D(2025, 1, 3))
        with django_assert_num_queries(1):
            report = measures_per_year(2025)
        assert row(report, "Totaal")[:2] == (count, count)
        with django_assert_num_queries(2):  # and the wijken
            measures_per_year(2025, by=BY_DISTRICT)


class TestLeadTimes:
    def test_percentile_cont_interpolates_like_postgresql(self):
        assert percentile_cont([10, 40, 20], 0.5) == 20
        assert percentile_cont([10, 20, 40], 0.8) == pytest.approx(32.0)
        assert percentile_cont([], 0.5) is None

    def test_median_and_p80_per_wijk_housing_type_and_totals(self):
        for days in (10, 20, 40):
            CaseFactory(
                registered_on=D(2024, 1, 1), closed_on=D(2024, 1, 1) + datetime.timedelta(days=days)
            )
        CaseFactory(registered_on=D(2023, 6, 1), closed_on=D(2023, 12, 31))  # other year
        table = lead_times(2024)
        centrum = district("Centrum")
        stat = table.stat(centrum.pk, HousingType.KOOP)
        assert (stat.n, stat.median, stat.p80) == (3, 20.0, pytest.approx(32.0))
        assert table.stat(None, None).n == 3 and table.stat(None, HousingType.KOOP).n == 3
        assert table.rows()[-1][0] == "Totaal"

    def test_a_reopened_case_counts_with_its_last_closing_in_the_year(self):
        case = CaseFactory(registered_on=D(2024, 1, 1), closed_on=D(2024, 1, 11))
        case_reopen(case, on=D(2024, 2, 1), reason="Opnieuw", by=None)
        case_close(case, on=D(2024, 3, 1), reason="opgelost", by=None)
        stat = lead_times(2024).stat(None, None)
        assert (stat.n, stat.median) == (1, 60.0)

    def test_a_year_without_closings_has_no_figures(self):
        """PostgreSQL's grand total of no rows has a count of 0 and no median."""
        CaseFactory(registered_on=D(2024, 1, 1))
        stat = lead_times(2024).stat(None, None)
        assert (stat.n, stat.median, stat.shown) == (0, None, "–")

    def test_a_closing_corrected_away_is_not_one(self):
        """A team leader withdrew a closing entered in error: the case stayed open."""
        from tests.factories import teamleider
        from woonoverlast.cases.services import status_change_withdraw, status_date_correct

        wrong = CaseFactory(registered_on=D(2024, 1, 1), closed_on=D(2024, 1, 11))
        status_change_withdraw(wrong, reason="Per vergissing afgesloten", by=teamleider())
        moved = CaseFactory(registered_on=D(2024, 1, 1), closed_on=D(2024, 1, 11))
        status_date_correct(moved, on=D(2024, 1, 31), reason="Datum", by=teamleider())
        stat = lead_times(2024).stat(None, None)
        assert (stat.n, stat.median) == (1, 30.0)

    @pytest.mark.parametrize("count", [1, 20])
    def test_one_query(self, count, django_assert_num_queries):
        for _ in range(count):
            CaseFactory(registered_on=D(2024, 1, 1), closed_on=D(2024, 2, 1))
        districts = []
        with django_assert_num_queries(1):
            lead_times(2024, districts=districts)


class TestPagesAndExports:
    def test_the_page_opens_on_the_latest_year_with_measures(self, client, tl):
        """Issue 27, item 19: it opened on last year, all zeros, while this year had some."""
        client.force_login(rapportage())
        assert client.get(reverse("reports:maatregelen")).context["report"].year == 2025
        flow(tl, started=D(2024, 3, 1))
        assert client.get(reverse("reports:maatregelen")).context["report"].year == 2024
        flow(tl, started=D(2026, 1, 2))
        html = client.get(reverse("reports:maatregelen")).content.decode()
        assert "<h1>Maatregelen 2026</h1>" in html
        by_wijk = client.get(reverse("reports:maatregelen"), {"indeling": "wijk"})
        assert by_wijk.context["report"].year == 2026

    def test_the_grouped_total_row_says_totaal_once(self, client, tl):
        flow(tl, started=D(2025, 1, 2))
        client.force_login(rapportage())
        html = client.get(reverse("reports:maatregelen"), {"jaar": 2025, "indeling": "wijk"})
        html = html.content.decode()
        assert '<th scope="row" colspan="2">Totaal</th>' in html
        assert "<td>Totaal</td>" not in html
        report = measures_per_year(2025, by=BY_DISTRICT)
        assert report.table()[-1][:3] == ["Totaal", "", 1]

    def test_rapportage_sees_the_counts_and_downloads_them(self, client, tl):
        flow(tl, started=D(2025, 1, 2), voornemen=D(2025, 1, 3))
        client.force_login(rapportage())
        html = client.get(reverse("reports:maatregelen"), {"jaar": 2025}).content.decode()
        assert "Maatregelen 2025" in html and "Voornemen verzonden" in html
        response = client.get(
            reverse("reports:maatregelen_export", kwargs={"file_format": "csv"}), {"jaar": 2025}
        )
        text = response.content.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("Soort maatregel;Gestart;Voornemen verzonden")
        assert "Overige maatregel;1;1;0;0;0;0" in text

    def test_a_bad_year_is_a_dutch_error(self, client):
        client.force_login(rapportage())
        html = client.get(reverse("reports:maatregelen"), {"jaar": 1990}).content.decode()
        assert "Kies een jaar vanaf 2000." in html
        html = client.get(reverse("reports:doorlooptijd"), {"jaar": 1990}).content.decode()
        assert "Kies een jaar vanaf 2000." in html and 'value="1990"' in html

    def test_the_doorlooptijd_page_shows_a_year_and_exports_it(self, client):
        CaseFactory(registered_on=D(2025, 1, 1), closed_on=D(2025, 1, 31))
        CaseFactory(registered_on=D(2024, 1, 1), closed_on=D(2024, 1, 11))
        client.force_login(rapportage())
        html = client.get(reverse("reports:doorlooptijd")).content.decode()
        assert "Doorlooptijd van de casussen afgerond in 2025" in html and "30 / 30 (1)" in html
        html = client.get(reverse("reports:doorlooptijd"), {"jaar": 2024}).content.decode()
        assert "afgerond in 2024" in html and "10 / 10 (1)" in html
        # The overview of today links to it instead of computing a year's closings.
        html = client.get(reverse("reports:overview")).content.decode()
        assert reverse("reports:doorlooptijd") in html and "30 / 30" not in html
        response = client.get(
            reverse("reports:doorlooptijd_export", kwargs={"file_format": "csv"}), {"jaar": 2025}
        )
        assert "Totaal;1;30.0;30.0" in response.content.decode("utf-8-sig")


class TestCommand:
    def test_csv_and_tekst(self, tl):
        flow(tl, started=D(2025, 1, 2), besluit=D(2025, 2, 1))
        out = io.StringIO()
        call_command("maatregelen", "--jaar", "2025", stdout=out)
        assert "Overige maatregel;1;1;1;0;0;0" in out.getvalue()
        out = io.StringIO()
        call_command(
            "maatregelen", "--jaar", "2025", "--format", "tekst", "--indeling", "wijk", stdout=out
        )
        assert out.getvalue().startswith("Maatregelen 2025\n") and "Centrum" in out.getvalue()

    def test_refuses_bad_arguments_in_dutch(self):
        with pytest.raises(CommandError, match="geen geldig jaar"):
            call_command("maatregelen", "--jaar", "20x5")
        with pytest.raises(CommandError, match="Onbekende indeling"):
            call_command("maatregelen", "--jaar", "2025", "--indeling", "straat")
