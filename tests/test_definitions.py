"""One definition per term, and one date rule for everything that happens on a case
(issue 12, "Validation the screens disagree on")."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import CaseFactory, action, casemanager, teamleider
from woonoverlast.cases import services
from woonoverlast.cases.models import Action, Melding
from woonoverlast.followups.selection import due_for_team, due_for_user, team_rows

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2024, 6, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 6, 15, 12, 0), tick=False):
        yield


# -- dates: not before the registration, not in the future, in every service -----------------


@pytest.mark.parametrize(
    ("write", "field"),
    [
        (
            lambda case, on: services.action_log(
                case, action_type="gesprek", performed_on=on, by=None
            ),
            "performed_on",
        ),
        (
            lambda case, on: services.action_log(
                case, action_type="huisbezoek", performed_on=on, present="x", findings="y", by=None
            ),
            "performed_on",
        ),
        (
            lambda case, on: services.melding_add(
                case, received_on=on, source="politie", text="x", by=None
            ),
            "received_on",
        ),
        (
            lambda case, on: services.case_close(case, on=on, reason="opgelost", by=None),
            "on",
        ),
    ],
)
def test_a_date_before_registration_or_in_the_future_is_refused(write, field):
    case = CaseFactory(registered_on=D(2024, 3, 1))
    for on, code in ((D(2024, 2, 29), "before_registration"), (D(2024, 6, 16), "future")):
        with pytest.raises(ValidationError) as excinfo:
            write(case, on)
        assert [error.code for error in excinfo.value.error_dict[field]] == [code]
    assert not Action.objects.exists() and not Melding.objects.exists()
    write(case, D(2024, 3, 1))  # the registration day itself is fine


def test_the_huisbezoek_form_says_so_and_keeps_the_input(client):
    case = CaseFactory(registered_on=D(2024, 3, 1))
    client.force_login(teamleider())
    response = client.post(
        reverse("cases:visit_add", kwargs={"reference": case.reference}),
        {"performed_on": "2024-02-01", "present": "bewoner", "findings": "Rommelig"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "performed_on": ["De datum mag niet voor de registratiedatum (01-03-2024) liggen."]
    }
    assert "Rommelig" in response.content.decode()
    assert not Action.objects.exists()


def test_a_first_melding_before_registration_is_refused_on_registering():
    from woonoverlast.cases.models import Case, District

    with pytest.raises(ValidationError) as excinfo:
        services.case_register(
            district=District.objects.get(name="Centrum"),
            housing_type="koop",
            registered_on=D(2024, 3, 1),
            first_melding_text="Lawaai",
            first_melding_on=D(2024, 2, 1),
            by=None,
        )
    assert "received_on" in excinfo.value.error_dict
    assert not Case.objects.exists()


# -- "Te laat": a follow-up of a closed case is not --------------------------------------------


def test_a_closed_cases_follow_up_is_not_te_laat_on_its_timeline(client):
    case = CaseFactory(registered_on=D(2024, 1, 1))
    action(case, performed_on=D(2024, 2, 1), follow_up_on=D(2024, 3, 1))
    client.force_login(teamleider())
    assert "Te laat" in client.get(case.get_absolute_url()).content.decode()
    services.case_close(case, on=D(2024, 4, 1), reason="opgelost", by=None)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Te laat" not in html
    assert "niet meer nodig: de casus is afgerond" in html
    assert not [item for item in due_for_team() if item.is_follow_up]


# -- "Te laat" and "stilgevallen": counted the same for the casemanager and the team leader ----


def test_stalled_cases_are_not_te_laat_anywhere(client):
    worker = casemanager()
    for _ in range(3):  # stalled: no activity since January
        CaseFactory(registered_on=D(2024, 1, 1), casemanager=worker)
    late = CaseFactory(registered_on=D(2024, 6, 1), casemanager=worker)
    action(late, performed_on=D(2024, 6, 1), follow_up_on=D(2024, 6, 10))

    mine = due_for_user(worker)
    team = next(row for row in team_rows(due_for_team()) if row.casemanager_id == worker.pk)
    assert (mine.counts["overdue"], mine.counts["stalled"]) == (team.overdue, team.stalled)
    assert (team.overdue, team.stalled) == (1, 3)
    assert [item.urgency_label for item in mine.stalled] == ["Stilgevallen"] * 3

    client.force_login(worker)
    html = client.get(reverse("cases:mine")).content.decode()
    # The one overdue follow-up, in the due list, and in the list of the open cases; the
    # stalled cases carry their own label.
    assert html.count(">Te laat<") == 1
    assert html.count("badge--overdue") == 1
    html = client.get(reverse("cases:mine_open")).content.decode()
    assert html.count(">Te laat<") == 1
    assert html.count("badge--overdue") == 1
