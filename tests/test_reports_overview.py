"""The blocks of the live overview, computed on a fixed day."""

import datetime

import pytest
import time_machine

from reports import overview, tabel51
from tests.factories import CaseFactory, action, casemanager, district
from woonoverlast.cases.choices import ActionType, Complexity, HousingType

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2024, 6, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 6, 15, 12, 0), tick=False):
        yield


def stale_by_district():
    return overview.stale_by_district(
        tabel51.districts_in_order(), overview.count_open_cases(TODAY)
    )


def row(grid, name):
    return next(r for r in grid.all_rows if r.name == name)


def test_open_cases_per_wijk_and_housing_type():
    CaseFactory(registered_on=D(2024, 1, 1), housing_type=HousingType.CORPORATIE)
    CaseFactory(registered_on=D(2024, 1, 1), district=district("Oosterheem"))
    CaseFactory(registered_on=D(2024, 1, 1), closed_on=D(2024, 2, 1))
    grid = overview.open_by_district(tabel51.districts_in_order(), overview.count_open_cases(TODAY))
    assert row(grid, "Centrum").cells == (0, 1, 0)
    assert row(grid, "Oosterheem").cells == (1, 0, 0)
    assert grid.total.total == 2 and len(grid.rows) == 8
    assert row(grid, "Centrum").params == {"status": "open", "wijk": district("Centrum").pk}


def test_how_long_open_on_the_bucket_edges():
    three, six, twelve = D(2024, 3, 15), D(2023, 12, 15), D(2023, 6, 15)
    for registered in (
        three + datetime.timedelta(days=1),  # under 3 months
        three,  # exactly 3 months: 3 to 6
        six + datetime.timedelta(days=1),  # 3 to 6
        six,  # 6 to 12
        twelve + datetime.timedelta(days=1),  # 6 to 12
        twelve,  # 12 or more
    ):
        CaseFactory(registered_on=registered)
    grid = overview.open_by_age(tabel51.districts_in_order(), overview.count_open_cases(TODAY))
    assert row(grid, "Centrum").cells == (1, 2, 2, 1)
    buckets = {column.key: column.params for column in grid.columns}
    assert buckets["3to6"] == {
        "geregistreerd_van": six + datetime.timedelta(1),
        "geregistreerd_tot": three,
    }
    assert buckets["gt12"] == {"geregistreerd_van": None, "geregistreerd_tot": twelve}


def test_open_cases_without_an_action_since_30_days():
    # The stalled definition of termijnbewaking (querysets.stalled): activity 30 days ago or
    # earlier is stalled today; the registration and a reopening count as activity.
    last_day = TODAY - datetime.timedelta(days=30)
    on_the_edge = CaseFactory(registered_on=D(2024, 1, 1))
    action(on_the_edge, performed_on=last_day)
    just_after = CaseFactory(registered_on=D(2024, 1, 1))
    action(just_after, performed_on=last_day + datetime.timedelta(days=1))
    CaseFactory(registered_on=D(2024, 1, 1))  # no action at all
    CaseFactory(registered_on=TODAY)  # registered today: not stalled
    CaseFactory(registered_on=last_day + datetime.timedelta(days=1))  # registered 29 days ago
    grid = stale_by_district()
    assert row(grid, "Centrum").cells == (2,)
    since = last_day + datetime.timedelta(days=1)
    assert grid.columns[0].params == {"geen_actie_sinds": since}


def test_the_overview_counts_what_termijnbewaking_calls_stalled():
    from woonoverlast.cases.models import Case
    from woonoverlast.followups.selection import due_for_team

    for registered_on in (D(2024, 1, 1), D(2024, 5, 16), D(2024, 5, 17), TODAY):
        CaseFactory(registered_on=registered_on)
    reopened = CaseFactory(registered_on=D(2024, 1, 1), closed_on=D(2024, 2, 1))
    from woonoverlast.cases import services

    services.case_reopen(reopened, on=D(2024, 6, 1), reason="terug", by=None)
    stalled = {item.reference for item in due_for_team().stalled}
    grid = stale_by_district()
    assert row(grid, "Centrum").cells == (len(stalled),) == (2,)
    # ... and the case list's link from that number lists the same cases.
    listed = Case.objects.without_action_since(grid.columns[0].params["geen_actie_sinds"])
    assert {case.reference for case in listed} == stalled


def test_cases_per_casemanager():
    sanne = casemanager(first_name="Sanne", last_name="de Vries")
    CaseFactory(registered_on=D(2024, 1, 1), casemanager=sanne)
    CaseFactory(registered_on=D(2024, 1, 1), casemanager=sanne, complexity=Complexity.COMPLEX)
    recent = CaseFactory(registered_on=D(2024, 1, 1))
    action(recent, performed_on=TODAY)
    grid = overview.by_casemanager(overview.count_open_cases(TODAY))
    assert [(r.name, r.cells) for r in grid.rows] == [
        ("Sanne de Vries", (1, 1)),
        ("Niet toegewezen", (1, 0)),
    ]
    assert grid.rows[1].params == {"status": "open", "casemanager": "geen"}
    assert grid.stale_of(grid.rows[0]) == 2 and grid.stale_of(grid.rows[1]) == 0
    assert grid.stale_of(grid.total) == 2


def test_actions_per_month_and_type_over_twelve_months():
    case = CaseFactory(registered_on=D(2023, 1, 1))
    action(case, performed_on=D(2023, 6, 30))  # before the twelve months
    action(case, performed_on=D(2023, 7, 1))
    action(
        case,
        action_type=ActionType.HOME_VISIT,
        performed_on=D(2024, 6, 1),
        present="a",
        findings="b",
    )
    action(case, performed_on=D(2024, 6, 15))
    months = overview.actions_per_month(TODAY)
    assert months.months[0] == D(2023, 7, 1) and months.months[-1] == D(2024, 6, 1)
    assert months.rows[0][0] == ActionType.HOME_VISIT
    assert months.rows[0][1][-1] == 1
    conversations = dict(months.rows)[ActionType.CONVERSATION]
    assert conversations[0] == 1 and conversations[-1] == 1
    assert sum(months.totals) == 3
    assert overview.month_end(D(2024, 2, 1)) == D(2024, 2, 29)
