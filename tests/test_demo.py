"""The demo data set reproduces the published Tabel 5.1 of 2023, cell by cell."""

import csv
import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.urls import reverse

from woonoverlast.accounts.roles import Role, roles_of
from woonoverlast.cases.choices import ActionType, Status
from woonoverlast.cases.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from woonoverlast.cases.models import Action, Case, Melding, Party, StatusChange

PUBLISHED = Path(__file__).parent / "data" / "tabel-5.1-2023.csv"
# The jaarverslag's table truncates the official name of this wijk.
PUBLISHED_NAMES = {"Buytenweg": "Buytenwegh"}
D = datetime.date
P = D(2023, 12, 31)

pytestmark = pytest.mark.usefixtures("demo_data", "db")


def published_cells() -> dict[tuple[str, str, str], int]:
    cells = {}
    with PUBLISHED.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            district = PUBLISHED_NAMES.get(row["wijk"], row["wijk"])
            if district == "Totaal":
                continue
            for housing_type in ("koop", "corporatie", "particulier"):
                for status, column in ((Status.OPEN, "lopend"), (Status.CLOSED, "afgerond")):
                    cells[district, housing_type, status] = int(row[f"{housing_type}_{column}"])
    return cells


def counted_cells() -> dict[tuple[str, str, str], int]:
    """Counted here on purpose without the reports app, as an independent check."""
    rows = (
        Case.objects.registered_between(D(2023, 1, 1), P)
        .with_status_on(P)
        .values("district__name", "housing_type", "status_on")
        .annotate(n=Count("pk"))
    )
    return {(r["district__name"], r["housing_type"], r["status_on"]): r["n"] for r in rows}


def test_every_cell_of_the_published_table():
    counted = counted_cells()
    for cell, expected in published_cells().items():
        assert counted.get(cell, 0) == expected, cell
    assert sum(counted.values()) == 284


def test_the_totals_in_the_prose():
    counted = counted_cells()

    def total(status, housing_type=None):
        return sum(
            n
            for (_, h, s), n in counted.items()
            if s == status and (housing_type is None or h == housing_type)
        )

    assert total(Status.CLOSED) == 171
    assert total(Status.OPEN) == 113
    assert (total(Status.OPEN, "corporatie"), total(Status.OPEN, "koop")) == (71, 31)
    assert total(Status.OPEN, "particulier") == 11


def test_the_year_holds_the_boundary_cases():
    in_2023 = Case.objects.registered_between(D(2023, 1, 1), P)
    assert in_2023.filter(registered_on=D(2023, 1, 1)).exists()
    assert in_2023.filter(registered_on=P).exists()
    closings = StatusChange.objects.filter(case__in=in_2023, status=Status.CLOSED)
    assert closings.filter(effective_on=P).exists()  # closed on the reference date: afgerond
    assert closings.filter(effective_on=D(2024, 1, 2)).exists()  # closed after it: lopend
    reopened_after_p = StatusChange.objects.filter(
        case__in=in_2023, status=Status.OPEN, effective_on__gt=P
    ).exclude(effective_on=F("case__registered_on"))
    assert reopened_after_p.exists()


def test_the_other_years_are_there_for_comparison():
    years = {d.year for d in Case.objects.dates("registered_on", "year")}
    assert {2022, 2023, 2024, 2025} <= years


def test_every_case_has_its_history_and_work():
    cases = Case.objects.annotate(
        n_rows=Count("status_changes", distinct=True),
        n_current=Count("status_changes", filter=Q(status_changes__ended_on=None), distinct=True),
        n_parties=Count("parties", distinct=True),
        n_meldingen=Count("meldingen", distinct=True),
        n_actions=Count("actions", distinct=True),
    )
    incomplete = Q(n_rows=0) | ~Q(n_current=1) | Q(n_parties=0) | Q(n_meldingen=0) | Q(n_actions=0)
    assert not cases.filter(incomplete).exists()
    assert Action.objects.filter(action_type=ActionType.HOME_VISIT).exclude(findings="").exists()
    assert Melding.objects.count() > Case.objects.count()  # several meldingen make one case


def test_the_case_agrees_with_its_latest_status_row():
    for case in Case.objects.prefetch_related("status_changes"):
        latest = list(case.status_changes.all())[-1]
        assert latest.ended_on is None
        assert case.status == latest.status
        assert case.closed_on == (latest.effective_on if latest.status == Status.CLOSED else None)


def test_running_it_again_doubles_nothing():
    counts = [m.objects.count() for m in (Case, Party, Melding, Action, StatusChange)]
    assert load_demo() == 0
    call_command("demo_laden", stdout=StringIO())
    assert [m.objects.count() for m in (Case, Party, Melding, Action, StatusChange)] == counts


def test_one_login_per_role(client):
    from woonoverlast.accounts.models import User

    for username, _first, _last, role in DEMO_LOGINS:
        user = User.objects.get(username=username)
        assert roles_of(user) == {role}
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
    assert User.objects.get(username="teamleider").is_staff
    assert set(Role) == {role for *_, role in DEMO_LOGINS}


def test_the_demo_loads_the_example_letter_templates_once(settings, tmp_path):
    """`make demo` gives a new user letter templates to choose from; running it again (or
    after the team replaced one) leaves them as they are."""
    from woonoverlast.documents.examples import EXAMPLES
    from woonoverlast.documents.models import LetterTemplate, LetterTemplateVersion

    settings.MEDIA_ROOT = str(tmp_path)
    call_command("demo_laden", stdout=StringIO())
    assert sorted(LetterTemplate.objects.values_list("name", flat=True)) == sorted(
        example.name for example in EXAMPLES
    )
    call_command("demo_laden", stdout=StringIO())
    assert LetterTemplate.objects.count() == len(EXAMPLES)
    assert LetterTemplateVersion.objects.count() == len(EXAMPLES)
