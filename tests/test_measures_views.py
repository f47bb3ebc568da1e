"""The maatregelen screens through the client, per role: the case file section, starting a
measure, one step form, the team list and its export, and the termijnen items."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from tests.factories import CaseFactory, casemanager, measure, respondent, teamleider, with_looptijd
from woonoverlast.audit.models import AuditEvent
from woonoverlast.followups.selection import Kind, Urgency, due_for_case, due_for_team
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.models import Measure, MeasureStep
from woonoverlast.measures.services import measure_step_record

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0), tick=False):
        yield


@pytest.fixture
def cm(client):
    user = casemanager()
    client.force_login(user)
    return user


@pytest.fixture
def tl(client):
    user = teamleider()
    client.force_login(user)
    return user


def new_case(**kwargs):
    return CaseFactory(registered_on=D(2026, 1, 5), **kwargs)


def step(m, name, on, by, **data):
    return measure_step_record(m, step=name, on=on, by=by, **with_looptijd(m, name, data))


APRIL_FIRST = D(2026, 4, 1)


def objected(by_cm, by_tl, *, notified_on=APRIL_FIRST):
    """A dwangsom order, bekendgemaakt on `notified_on`, with a bezwaar."""
    m = measure(new_case(casemanager=by_cm), by=by_cm, kind=MeasureKind.OTHER)
    step(m, Step.INTENTION_SENT, D(2026, 1, 6), by_cm)
    step(m, Step.VIEW_WAIVED, D(2026, 1, 7), by_cm)
    step(m, Step.DECISION, D(2026, 1, 8), by_tl, begunstigingstermijn_days=14)
    step(m, Step.NOTIFIED, notified_on, by_cm)
    step(m, Step.OBJECTION_RECEIVED, notified_on, by_cm)
    return m


class TestCaseFile:
    def test_shows_the_measure_its_steps_dates_and_offered_steps(self, client, cm):
        m = measure(new_case(), by=cm)
        step(m, Step.INVESTIGATION_REPORT, D(2026, 1, 10), cm, note="Geluid gemeten")
        html = client.get(m.case.get_absolute_url()).content.decode()
        assert "Maatregelen" in html and m.get_kind_display() in html
        assert escape(m.respondent.name) in html and "Geluid gemeten" in html
        assert reverse("measures:step", kwargs={"pk": m.pk, "step": Step.WARNING_SENT}) in html
        # A casemanager is not offered the voornemen (waarschuwing missing) nor the besluit.
        for refused in (Step.INTENTION_SENT, Step.DECISION):
            assert reverse("measures:step", kwargs={"pk": m.pk, "step": refused}) not in html

    def test_a_team_leader_is_offered_the_voornemen_as_a_deviation(self, client, tl):
        m = measure(new_case(), by=tl)
        html = client.get(m.case.get_absolute_url()).content.decode()
        assert reverse("measures:step", kwargs={"pk": m.pk, "step": Step.INTENTION_SENT}) in html
        assert "(afwijking)" in html

    def test_the_computed_bezwaartermijn_says_the_atw_moved_it(self, client, cm):
        tl = teamleider()
        m = objected(cm, tl, notified_on=D(2026, 3, 24))
        html = client.get(m.case.get_absolute_url()).content.decode()
        assert "woensdag 06-05-2026" in html and "dinsdag 05-05-2026" in html


class TestStart:
    def test_starts_a_measure_against_a_veroorzaker(self, client, cm):
        case = new_case()
        person = respondent(case)
        response = client.post(
            reverse("measures:start", kwargs={"reference": case.reference}),
            {"respondent": person.pk, "kind": MeasureKind.CLOSURE, "on": "01-06-2026"},
        )
        m = Measure.objects.get()
        assert response.status_code == 302 and response.url.endswith(f"#maatregel-{m.pk}")
        assert (m.respondent, m.started_on) == (person, D(2026, 6, 1))

    def test_an_error_keeps_the_input(self, client, cm):
        case = new_case()
        respondent(case)
        response = client.post(
            reverse("measures:start", kwargs={"reference": case.reference}),
            {"kind": MeasureKind.CLOSURE, "on": "01-06-2030"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Kies de veroorzaker" in html
        assert re.search(r'value="sluiting"[^>]*checked', html)
        assert not Measure.objects.exists()

    def test_without_a_veroorzaker_it_says_what_to_do(self, client, cm):
        case = new_case()
        html = client.get(reverse("measures:start", kwargs={"reference": case.reference}))
        assert "Voeg eerst de veroorzaker toe" in html.content.decode()


class TestStep:
    def test_records_a_besluit_with_a_dwangsom_as_team_leader(self, client, tl):
        m = measure(new_case(), by=tl)
        step(m, Step.INVESTIGATION_REPORT, D(2026, 1, 10), tl)
        step(m, Step.WEIGHING, D(2026, 1, 10), tl, note="Afweging vastgelegd")
        step(m, Step.WARNING_SENT, D(2026, 1, 11), tl)
        step(m, Step.INTENTION_SENT, D(2026, 1, 12), tl)
        step(m, Step.VIEW_RECEIVED, D(2026, 1, 13), tl)
        response = client.post(
            reverse("measures:step", kwargs={"pk": m.pk, "step": Step.DECISION}),
            {
                "on": "14-01-2026",
                "penalty_amount": "250",
                "penalty_maximum": "1.500,00",
                "begunstigingstermijn_days": "14",
                "duration_months": "12",
            },
        )
        assert response.status_code == 302
        decision = MeasureStep.objects.get(step=Step.DECISION)
        assert decision.penalty_maximum == Decimal("1500.00")
        assert decision.duration_months == 12

    def test_a_refused_step_shows_the_service_error_and_keeps_input(self, client, cm):
        m = measure(new_case(), by=cm)
        response = client.post(
            reverse("measures:step", kwargs={"pk": m.pk, "step": Step.INVESTIGATION_REPORT}),
            {"on": "16-06-2026", "note": "Mijn tekst"},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "De datum mag niet in de toekomst liggen." in html and "Mijn tekst" in html
        assert not MeasureStep.objects.exists()

    def test_the_step_form_builds_the_measures_state_once_per_request(
        self, client, tl, monkeypatch
    ):
        """The steps offered, the form and the preconditions shown read one state."""
        from woonoverlast.measures import presentation, views

        built = []

        class Counted(views.MeasureState):
            def __init__(self, *args, **kwargs):
                built.append(self)
                super().__init__(*args, **kwargs)

        monkeypatch.setattr(views, "MeasureState", Counted)
        monkeypatch.setattr(presentation, "MeasureState", Counted)
        m = measure(new_case(), by=tl)
        url = reverse("measures:step", kwargs={"pk": m.pk, "step": Step.INTENTION_SENT})
        html = client.get(url).content.decode()
        assert "onderzoeksverslag" in html  # the precondition not met, shown
        assert len(built) == 1
        built.clear()
        response = client.post(url, {"on": "16-06-2026", "zienswijze_days": "7"})
        assert response.status_code == 200  # refused: the form again, with its reasons
        assert len(built) == 1
        assert not MeasureStep.objects.exists()

    def test_a_step_not_offered_redirects_with_a_message(self, client, cm):
        m = measure(new_case(), by=cm)
        response = client.get(reverse("measures:step", kwargs={"pk": m.pk, "step": Step.DECISION}))
        assert response.status_code == 302
        assert (
            client.get(
                reverse("measures:step", kwargs={"pk": m.pk, "step": "bestaat_niet"})
            ).status_code
            == 404
        )

    def test_the_team_leader_gives_a_reason_to_skip(self, client, tl):
        m = measure(new_case(), by=tl)
        url = reverse("measures:step", kwargs={"pk": m.pk, "step": Step.INTENTION_SENT})
        html = client.get(url).content.decode()
        assert "Reden om af te wijken" in html and "onderzoeksverslag" in html
        response = client.post(url, {"on": "15-06-2026", "zienswijze_days": "7"})
        assert "Geef een reden" in response.content.decode()
        client.post(url, {"on": "15-06-2026", "zienswijze_days": "7", "skip_reason": "Spoed"})
        assert MeasureStep.objects.get().skip_reason == "Spoed"


class TestTeamList:
    def test_lists_running_measures_by_next_deadline_and_filters(self, client, cm):
        tl = teamleider()
        late = objected(cm, tl, notified_on=D(2026, 1, 9))  # beslistermijn has passed
        soon = objected(cm, tl, notified_on=D(2026, 6, 1))
        ended = measure(new_case(), by=cm, kind=MeasureKind.OTHER)
        step(ended, Step.ENDED, D(2026, 2, 1), cm)
        response = client.get(reverse("measures:list"))
        cards = response.context["cards"]
        assert [card.measure for card in cards] == [late, soon]
        assert cards[0].deadline_missed and "(verstreken)" in response.content.decode()
        response = client.get(reverse("measures:list"), {"soort": MeasureKind.CLOSURE})
        assert response.context["cards"] == []

    @pytest.mark.parametrize("file_format", ["csv", "xlsx"])
    def test_team_leaders_export(self, client, tl, file_format):
        objected(casemanager(), tl)
        response = client.get(reverse("measures:export", kwargs={"file_format": file_format}))
        assert response.status_code == 200
        if file_format == "csv":
            text = response.content.decode("utf-8-sig")
            assert text.startswith("Casus;Wijk;") and "Bezwaar ontvangen" in text
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            assert sheet.cell(3, 1).value == "Casus" and sheet.cell(4, 7).value
        assert AuditEvent.objects.filter(action="export").exists()

    @pytest.mark.parametrize("file_format", ["csv", "xlsx"])
    def test_the_export_writes_dates_as_dates(self, client, tl, file_format):
        """Issue 27, item 19: the XLSX stored dates as text (Excel cannot sort them)."""
        started = objected(casemanager(), tl).started_on
        response = client.get(reverse("measures:export", kwargs={"file_format": file_format}))
        if file_format == "csv":
            row = response.content.decode("utf-8-sig").split("\r\n")[1].split(";")
            assert row[5] == started.strftime("%d-%m-%Y")
        else:
            cell = load_workbook(io.BytesIO(response.content)).active.cell(4, 6)
            assert cell.is_date and cell.value.date() == started
            assert cell.number_format == "dd-mm-yyyy"

    def test_same_number_of_queries_for_1_and_20_measures(self, client, cm):
        tl = teamleider()

        def queries(count):
            for _ in range(count):
                objected(cm, tl)
            with CaptureQueriesContext(connection) as captured:
                client.get(reverse("measures:list"))
            return len(captured)

        first = queries(1)
        assert queries(19) == first


class TestTermijnen:
    def test_a_missed_beslistermijn_is_overdue_on_the_case_and_the_team(self, cm):
        tl = teamleider()
        m = objected(cm, tl, notified_on=D(2026, 1, 9))
        items = [item for item in due_for_case(m.case) if item.measure_id == m.pk]
        kinds = {item.kind: item for item in items}
        decision = kinds[Kind.MEASURE_PREFIX + "beslistermijn"]
        assert decision.urgency == Urgency.OVERDUE
        assert decision.url.endswith(f"#maatregel-{m.pk}")
        assert m.respondent.name not in decision.description
        # The bezwaartermijn lapsed long ago and is not listed.
        assert Kind.MEASURE_PREFIX + "bezwaartermijn" not in kinds
        assert due_for_team().counts["overdue"] >= 1

    def test_a_planned_controle_this_week_and_none_after_the_end(self, cm):
        tl = teamleider()
        m = objected(cm, tl, notified_on=D(2026, 6, 1))
        step(
            m,
            Step.CHECK,
            D(2026, 6, 15),
            cm,
            outcome=Outcome.COMPLIED,
            next_check_on=D(2026, 6, 18),
        )
        kinds = {item.kind: item for item in due_for_case(m.case)}
        assert kinds[Kind.MEASURE_PREFIX + "controle"].urgency == Urgency.THIS_WEEK
        step(m, Step.ENDED, D(2026, 6, 15), cm)
        assert not [item for item in due_for_case(m.case) if item.measure_id]

    def test_the_termijnen_page_shows_the_items(self, client, cm):
        m = objected(cm, teamleider(), notified_on=D(2026, 1, 9))
        html = client.get(reverse("followups:due")).content.decode()
        assert "Beslistermijn op bezwaar" in html and m.case.reference in html


class TestSubmitOnce:
    def test_a_step_page_saved_twice_stores_once(self, client, cm):
        m = measure(new_case(), by=cm)
        url = reverse("measures:step", kwargs={"pk": m.pk, "step": Step.INVESTIGATION_REPORT})
        html = client.get(url).content.decode()
        token = re.search(r'name="submission_token" value="(\w+)"', html).group(1)
        data = {"on": "15-06-2026", "submission_token": token}
        first = client.post(url, data)
        second = client.post(url, data)
        assert first.status_code == second.status_code == 302
        assert second.url == first.url
        assert MeasureStep.objects.count() == 1

    def test_a_start_page_saved_twice_starts_once(self, client, cm):
        case = new_case()
        person = respondent(case)
        url = reverse("measures:start", kwargs={"reference": case.reference})
        token = re.search(
            r'name="submission_token" value="(\w+)"', client.get(url).content.decode()
        ).group(1)
        data = {"respondent": person.pk, "kind": MeasureKind.OTHER, "submission_token": token}
        data["on"] = "01-06-2026"
        client.post(url, data)
        client.post(url, data)
        assert Measure.objects.count() == 1


def test_the_daily_digest_names_a_missed_beslistermijn_without_the_person(cm):
    from woonoverlast.followups.digest import personal_digest
    from woonoverlast.followups.selection import due_for_user

    m = objected(cm, teamleider(), notified_on=D(2026, 1, 9))
    digest = personal_digest(due_for_user(cm))
    assert "Te laat" in digest["body"] and "beslistermijn op bezwaar" in digest["body"]
    assert m.case.reference in digest["body"] and m.respondent.name not in digest["body"]


def test_the_dwangsom_fields_are_not_optional_where_the_service_requires_them():
    """Issue 27, item 20: "(optioneel)" on the amount and maximum of a last onder dwangsom."""
    from woonoverlast.measures.forms import MeasureStepForm

    penalty = MeasureStepForm(
        step=Step.DECISION, needs_reason=False, kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY
    )
    assert penalty.fields["penalty_amount"].required
    assert penalty.fields["penalty_maximum"].required
    penalty = MeasureStepForm(
        {"on": "01-02-2026"},
        step=Step.DECISION,
        needs_reason=False,
        kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY,
    )
    assert penalty.errors["penalty_amount"] == [
        "Vul het bedrag per overtreding van de dwangsom in."
    ]
    closure = MeasureStepForm(step=Step.DECISION, needs_reason=False, kind=MeasureKind.CLOSURE)
    assert closure.fields["duration_months"].required
    assert not closure.fields["penalty_amount"].required


class TestEveryNextStep:
    def test_a_casemanager_sees_what_others_record_and_what_is_not_yet_possible(self, client):
        cm, tl = casemanager(), teamleider()
        client.force_login(cm)
        m = measure(new_case(casemanager=cm), by=cm, kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY)
        step(m, Step.INVESTIGATION_REPORT, D(2026, 1, 6), cm)
        step(m, Step.WEIGHING, D(2026, 1, 6), cm, note="Afweging vastgelegd")
        step(m, Step.WARNING_SENT, D(2026, 1, 6), cm)
        step(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
        step(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
        html = client.get(m.get_absolute_url()).content.decode()
        assert "Besluit genomen: door een teamleider" in html
        step(
            m,
            Step.DECISION,
            D(2026, 6, 1),
            tl,
            begunstigingstermijn_days=30,
            penalty_amount=Decimal("2500"),
            penalty_maximum=Decimal("25000"),
        )
        step(m, Step.NOTIFIED, D(2026, 6, 10), cm)
        html = client.get(m.get_absolute_url()).content.decode()
        # The term ends 10 July 2026: forfeiture can from the day after.
        assert "Dwangsom verbeurd: kan vanaf 11-07-2026: de begunstigingstermijn loopt nog" in html
        assert "€ 2.500,00 per overtreding, maximaal € 25.000,00" in html

    def test_a_passed_begunstigingstermijn_is_the_task_controle_uitvoeren(self, client):
        cm, tl = casemanager(), teamleider()
        client.force_login(cm)
        m = measure(new_case(casemanager=cm), by=cm, kind=MeasureKind.OTHER)
        step(m, Step.INTENTION_SENT, D(2026, 1, 6), cm)
        step(m, Step.VIEW_WAIVED, D(2026, 1, 7), cm)
        step(m, Step.DECISION, D(2026, 1, 8), tl, begunstigingstermijn_days=14)
        step(m, Step.NOTIFIED, D(2026, 4, 1), cm)  # bezwaartermijn until 13 May: passed
        html = client.get(m.get_absolute_url()).content.decode()
        url = reverse("measures:step", kwargs={"pk": m.pk, "step": "controle"})
        assert f'<a href="{url}">Controle uitvoeren</a>' in html
        assert "Begunstigingstermijn eindigt: " not in html.split("Taak")[1].split("</dd>")[0]
        # The dates in date order, the past ones marked.
        dates = re.findall(
            r"<dt>([^<]+eindigt)</dt>\s*<dd>[^<]*<span class=\"muted\">\(voorbij\)", html
        )
        assert dates == [
            "Zienswijzetermijn eindigt",
            "Begunstigingstermijn eindigt",
            "Bezwaartermijn eindigt",
        ]
