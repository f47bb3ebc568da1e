"""The maatregel endpoints: start, read with computed deadlines, record steps (the rules of
woonoverlast.measures.services), and the yearly figures."""

import datetime

import pytest
from django.urls import reverse

from tests.api_helpers import field_names, problem, token_client
from tests.factories import CaseFactory, casemanager, rapportage, respondent, teamleider
from woonoverlast.audit.models import AuditAction, AuditEvent, AuditRoute
from woonoverlast.measures.models import Measure, MeasureStep

pytestmark = pytest.mark.django_db
D = datetime.date


def _start(client, case, party, **extra):
    return client.post(
        f"/api/v1/casussen/{case.reference}/maatregelen/",
        {
            "soort": "gedragsaanwijzing_dwangsom",
            "betrokkene": party.pk,
            "datum": "2024-01-10",
            **extra,
        },
        format="json",
    )


def _step(client, measure_id, **data):
    return client.post(f"/api/v1/maatregelen/{measure_id}/stappen/", data, format="json")


def test_a_measure_is_started_against_a_veroorzaker_and_read_with_its_deadlines():
    case = CaseFactory(registered_on=D(2024, 1, 2))
    party = respondent(case)
    user, boss = casemanager(), teamleider()
    client, lead = token_client(user), token_client(boss)
    response = _start(client, case, party)
    assert response.status_code == 201, response.content
    measure_id = response.json()["id"]
    assert Measure.objects.get(pk=measure_id).respondent == party
    assert response.json()["termijnen"] == {
        "zienswijze_termijn_tot": None,
        "bezwaartermijn_tot": None,
        "beslistermijn_bezwaar_tot": None,
        "begunstigingstermijn_tot": None,
        "looptijd_tot": None,
        "beslistermijn_aanvraag_tot": None,
        "verjaring_tot": None,
        "beroepstermijn_tot": None,
    }
    for step, on in [
        ("onderzoeksverslag", "2024-01-11"),
        ("waarschuwing_verzonden", "2024-01-12"),
    ]:
        assert _step(client, measure_id, stap=step, datum=on).status_code == 201
    # The belangenafweging, written down (art. 3:4 lid 2 Awb): without it no besluit.
    assert (
        _step(
            client,
            measure_id,
            stap="belangenafweging",
            datum="2024-01-12",
            toelichting="Lichtere middelen hielpen niet.",
        ).status_code
        == 201
    )
    response = _step(
        client, measure_id, stap="voornemen_verzonden", datum="2024-01-15", zienswijze_dagen=14
    )
    assert response.status_code == 201, response.content
    assert response.json()["termijnen"]["zienswijze_termijn_tot"] == "2024-01-29"
    _step(client, measure_id, stap="zienswijze_afgezien", datum="2024-01-20")
    # besluit_genomen: a team leader's step, with the dwangsom in euros
    body = problem(
        _step(
            client,
            measure_id,
            stap="besluit_genomen",
            datum="2024-02-01",
            begunstigingstermijn_dagen=14,
            looptijd_maanden=6,
            dwangsom_bedrag=250,
            dwangsom_maximum=2500,
        ),
        400,
    )
    assert body["invalid_params"][0]["code"] == "role"
    response = _step(
        lead,
        measure_id,
        stap="besluit_genomen",
        datum="2024-02-01",
        begunstigingstermijn_dagen=14,
        looptijd_maanden=6,
        dwangsom_bedrag=250,
        dwangsom_maximum=2500,
    )
    assert response.status_code == 201, response.content
    response = _step(client, measure_id, stap="bekendgemaakt", datum="2024-02-02")
    terms = response.json()["termijnen"]
    # Bezwaar: six weeks from the day after bekendmaking (art. 6:7/6:8 Awb)
    assert terms["bezwaartermijn_tot"] == "2024-03-15"
    assert terms["begunstigingstermijn_tot"] is not None and terms["looptijd_tot"] is not None
    decision = next(s for s in response.json()["stappen"] if s["stap"] == "besluit_genomen")
    assert decision["dwangsom_bedrag"] == 250 and decision["dwangsom_maximum"] == 2500
    detail = client.get(f"/api/v1/maatregelen/{measure_id}/").json()
    assert detail["termijnen"] == terms and len(detail["stappen"]) == 7
    assert AuditEvent.objects.filter(
        route=AuditRoute.API, action=AuditAction.VIEW, actor=user, case=case
    ).exists()


def test_a_refused_step_is_a_400_naming_the_rule_and_stores_nothing():
    case = CaseFactory(registered_on=D(2024, 1, 2))
    client = token_client(casemanager())
    measure_id = _start(client, case, respondent(case)).json()["id"]
    body = problem(_step(client, measure_id, stap="bekendgemaakt", datum="2024-01-11"), 400)
    assert body["invalid_params"][0]["code"] == "transition"
    body = problem(_step(client, measure_id, stap="voornemen_verzonden", datum="2024-01-11"), 400)
    assert {row["code"] for row in body["invalid_params"]} == {"precondition"}
    body = problem(_step(client, measure_id, stap="onderzoeksverslag", datum="2023-01-01"), 400)
    assert field_names(body) == {"datum"}
    body = problem(
        _step(client, measure_id, stap="onderzoeksverslag", datum="2024-01-11", bedrag=5), 400
    )
    assert field_names(body) == {"bedrag"}
    assert not MeasureStep.objects.exists()


def test_starting_against_a_melder_is_refused_naming_betrokkene():
    case = CaseFactory(registered_on=D(2024, 1, 2))
    melder = respondent(case, role="melder")
    body = problem(_start(token_client(casemanager()), case, melder), 400)
    assert field_names(body) == {"betrokkene"}
    assert not Measure.objects.exists()


def test_rapportage_reads_the_yearly_figures_but_no_measure():
    case = CaseFactory(registered_on=D(2024, 1, 2))
    measure_id = _start(token_client(casemanager()), case, respondent(case)).json()["id"]
    client = token_client(rapportage())
    problem(client.get(f"/api/v1/maatregelen/{measure_id}/"), 403)
    problem(client.get(f"/api/v1/casussen/{case.reference}/maatregelen/"), 403)
    body = client.get("/api/v1/rapportages/maatregelen/", {"jaar": 2024}).json()
    rows = {row["soort"]: row for row in body["rijen"]}
    assert rows["gedragsaanwijzing_dwangsom"]["gestart"] == 1
    assert rows["gedragsaanwijzing_dwangsom"]["lopend_op_31_december"] == 1
    assert rows["totaal"]["gestart"] == 1 and body["rijen"][-1]["soort"] == "totaal"
    assert (
        client.get("/api/v1/rapportages/maatregelen/", {"jaar": 2023}).json()["rijen"][-1][
            "gestart"
        ]
        == 0
    )
    problem(client.get("/api/v1/rapportages/maatregelen/", {"jaar": 1990}), 400)


def test_an_unknown_or_huge_measure_id_is_a_404():
    client = token_client(casemanager())
    problem(client.get("/api/v1/maatregelen/123/"), 404)
    problem(client.get(f"/api/v1/maatregelen/{'9' * 25}/"), 404)


def test_forfeiture_in_the_term_is_a_400_with_the_reason_and_collection_shows_the_verjaring():
    case = CaseFactory(registered_on=D(2024, 1, 2))
    client, lead = token_client(casemanager()), token_client(teamleider())
    measure_id = _start(client, case, respondent(case)).json()["id"]
    _step(client, measure_id, stap="onderzoeksverslag", datum="2024-01-11")
    _step(client, measure_id, stap="belangenafweging", datum="2024-01-11", toelichting="Afweging")
    for stap in ("waarschuwing_verzonden", "voornemen_verzonden"):
        assert _step(client, measure_id, stap=stap, datum="2024-01-11").status_code == 201
    _step(client, measure_id, stap="zienswijze_afgezien", datum="2024-01-12")
    # No looptijd: refused with the reason, then explicitly onbepaald.
    body = problem(
        _step(
            lead,
            measure_id,
            stap="besluit_genomen",
            datum="2024-01-15",
            begunstigingstermijn_dagen=14,
            dwangsom_bedrag=250,
            dwangsom_maximum=2500,
        ),
        400,
    )
    assert body["invalid_params"][0]["name"] == "looptijd_maanden"
    assert body["invalid_params"][0]["code"] == "looptijd"
    response = _step(
        lead,
        measure_id,
        stap="besluit_genomen",
        datum="2024-01-15",
        begunstigingstermijn_dagen=14,
        dwangsom_bedrag=250,
        dwangsom_maximum=2500,
        looptijd_onbepaald=True,
        reden_onbepaald="Structurele overlast",
    )
    assert response.status_code == 201, response.content
    _step(client, measure_id, stap="bekendgemaakt", datum="2024-01-16")  # term ends 30 Jan
    body = problem(
        _step(client, measure_id, stap="controle", datum="2024-01-30", uitkomst="overtreden"),
        400,
    )
    assert body["invalid_params"][0]["code"] == "enforcement"
    assert "begunstigingstermijn loopt nog" in body["invalid_params"][0]["reason"]
    _step(client, measure_id, stap="controle", datum="2024-01-31", uitkomst="overtreden")
    response = _step(client, measure_id, stap="dwangsom_verbeurd", datum="2024-01-31")
    assert response.json()["termijnen"]["verjaring_tot"] == "2025-01-31"
    body = problem(_step(client, measure_id, stap="aanmaning", datum="2024-02-01"), 400)
    assert body["invalid_params"][0]["code"] == "sequence"
    response = _step(
        lead, measure_id, stap="invorderingsbeschikking", datum="2024-02-01", bedrag=250
    )
    assert response.status_code == 201, response.content
    # Stuit by the beschikking (art. 5:37a lid 1): a new year.
    assert response.json()["termijnen"]["verjaring_tot"] == "2025-02-01"


def test_the_api_and_the_page_count_the_maatregelen_per_year_alike(client):
    from woonoverlast.measures.choices import Step
    from woonoverlast.measures.reports import measures_per_year
    from woonoverlast.measures.services import measure_step_record

    cm, tl = casemanager(), teamleider()
    for registered in (D(2024, 1, 2), D(2024, 1, 3)):
        case = CaseFactory(registered_on=registered)
        measure_id = _start(token_client(cm), case, respondent(case)).json()["id"]
        m = Measure.objects.get(pk=measure_id)
    measure_step_record(m, step=Step.ENDED, on=D(2024, 4, 1), by=tl)
    api = token_client(rapportage()).get("/api/v1/rapportages/maatregelen/", {"jaar": 2024})
    page_rows = {row.kind_value or "totaal": row for row in measures_per_year(2024).rows}
    for row in api.json()["rijen"]:
        page = page_rows[row["soort"]]
        assert row["gestart"] == page.figure("gestart")
        assert row["besluiten"] == page.figure("besluit")
        assert row["afgesloten"] == page.figure("beeindigd")
        assert row["lopend_op_31_december"] == page.running
    total = api.json()["rijen"][-1]
    assert (total["gestart"], total["afgesloten"], total["lopend_op_31_december"]) == (2, 1, 1)
    # The page shows the same report (reports/measures_views.py calls the same function).
    client.force_login(tl)
    response = client.get(reverse("reports:maatregelen"), {"jaar": 2024})
    assert response.context["report"].rows == measures_per_year(2024).rows
