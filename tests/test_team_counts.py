"""The stored counts of the team leader's start page (cases/team_counts.py) always equal a
fresh count of the open cases per wijk and housing type and per casemanager.

They are read from the cache under two versions: the count per wijk and housing type under
Tabel 5.1's (services.figures: every change of a case's status, wijk or housing type renews
it), the count per casemanager under the open cases' (services.open_cases: every change of a
case's status and every reassignment). Each write of tests/test_reports_stored.py (every
write service of the case domain, the intake's registration, the anonymisation, an admin
edit of a wijk) and a few more is run once against stored counts; afterwards the stored
counts must equal a fresh count, and the open cases' version must have changed exactly for
the writes that change the count per casemanager (on SQLite and PostgreSQL: the suite runs
on both).
"""

import datetime
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from tests.concurrency_helpers import at_once
from tests.factories import CaseFactory, casemanager
from tests.test_reports_stored import WRITES, _register, world  # noqa: F401
from woonoverlast.cases import services, team_counts
from woonoverlast.cases.choices import ActionType, ClosingReason, HousingType, Status
from woonoverlast.cases.models import Case, CaseFiguresVersion, District, OpenCasesVersion
from woonoverlast.cases.services.figures import case_figures_version
from woonoverlast.cases.services.open_cases import open_cases_version

pytestmark = pytest.mark.django_db

D = datetime.date


def fresh() -> tuple[dict, dict]:
    """The open cases counted here, in Python, without the store's queries."""
    rows = list(
        Case.objects.filter(status=Status.OPEN).values_list(
            "district_id", "housing_type", "casemanager_id"
        )
    )
    return (
        dict(Counter((district, housing_type) for district, housing_type, _ in rows)),
        dict(Counter(manager for *_, manager in rows)),
    )


def stored() -> tuple[dict, dict]:
    counts = team_counts.team_counts()
    return counts.by_district_and_housing_type, counts.by_casemanager


def _access_grant(w):
    from woonoverlast.accounts.services import case_access_grant

    case_access_grant(w["closed"], user=casemanager(), reason="Nieuwe melding", by=w["leader"])


# The writes of the Tabel 5.1 test (every write service of cases.services: that test fails
# when one is missing), and those that matter to these counts only.
TEAM_WRITES = {
    **WRITES,
    # The form and the API pass every fact: an unchanged wijk changes nothing.
    "case_update:district unchanged": lambda w: services.case_update(
        w["open"], by=w["leader"], district=w["open"].district, description="Andere tekst"
    ),
    # A closed case is not counted: correcting its wijk changes Tabel 5.1 only.
    "case_update:district of a closed case": lambda w: services.case_update(
        w["closed"], by=w["leader"], district=w["wijken"][2]
    ),
    "action_log:huisbezoek": lambda w: services.action_log(
        w["open"],
        action_type=ActionType.HOME_VISIT,
        performed_on=D(2024, 6, 1),
        by=w["worker"],
        present="Bewoner",
        findings="Rustig",
    ),
    "case_access_grant": _access_grant,
    # Not a service: the admin's edit of a user. Names are read per request.
    "casemanager renamed": lambda w: (
        get_user_model()
        .objects.filter(pk=w["worker"].pk)
        .update(first_name="Anders", last_name="Genoemd")
    ),
}

# The writes that change which cases are open, or an open case's casemanager: they, and only
# they, renew the version of the count per casemanager. (The count per wijk and housing type
# is stored under Tabel 5.1's version: test_reports_stored checks which writes renew that.)
CHANGE_THE_OPEN_CASES = {
    "case_register",
    "intake_melding_register_case",
    "cases_register_many",
    "case_close",
    "case_reopen",
    "status_change_withdraw",
    "case_reassign",
    "case_reassign_many",
    "case_reassign_matching",
}


@pytest.mark.parametrize("write", list(TEAM_WRITES))
def test_the_stored_counts_equal_a_fresh_count_after_every_write(world, write):  # noqa: F811
    assert stored() == fresh()  # counted and stored
    assert stored() == fresh()  # read from the cache
    version = open_cases_version()
    TEAM_WRITES[write](world)
    assert (open_cases_version() != version) == (write in CHANGE_THE_OPEN_CASES)
    assert stored() == fresh()
    assert stored() == fresh()


def test_stored_counts_are_read_without_counting(world, django_assert_num_queries):  # noqa: F811
    stored()
    with django_assert_num_queries(1):  # the versions
        counts = stored()
    assert counts == fresh()


def test_counting_costs_the_versions_twice(world, django_assert_num_queries):  # noqa: F811
    with django_assert_num_queries(4):  # the versions, the two counts, the versions again
        stored()


def test_a_reassignment_leaves_the_count_per_wijk_stored(world, django_assert_num_queries):  # noqa: F811
    stored()
    services.case_reassign(world["open"], casemanager=world["leader"], reason="Ziek", by=None)
    with django_assert_num_queries(3):  # the versions, the count per casemanager, the versions
        counts = stored()
    assert counts == fresh()


def test_a_write_while_counting_stores_nothing(world, monkeypatch, django_assert_num_queries):  # noqa: F811
    """The counts may or may not include a write that commits while they are counted: they
    are used for that request, not stored (under the versions read before the write, which
    no one reads after it: the rule keeps the cache free of counts of an unknown version)."""
    from django.core.cache import cache

    count = team_counts._count
    old_keys = [
        f"{team_counts.KEY_PREFIX}:{kind}:{version}"
        for kind, version in team_counts._versions("default").items()
    ]

    def count_then_register(kind, using):
        rows = count(kind, using)
        if kind == team_counts.BY_CASEMANAGER:
            _register(world)  # commits between the counts and the version read after them
        return rows

    monkeypatch.setattr(team_counts, "_count", count_then_register)
    before = stored()
    monkeypatch.undo()
    assert cache.get_many(old_keys) == {}
    with django_assert_num_queries(4):  # counted again
        again = stored()
    assert again == fresh() != before


def test_counts_inside_a_rolled_back_write_are_never_read(world):  # noqa: F811
    """A transaction that writes and then reads the counts stores them under its own new
    version; after its rollback no later write can give that version again."""
    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_close(
            world["open"], on=D(2024, 6, 1), reason=ClosingReason.RESOLVED, by=world["leader"]
        )
        assert stored() == fresh()
        raise RuntimeError("rolled back")
    assert stored() == fresh()
    _register(world)
    assert stored() == fresh()


def test_without_a_version_row_nothing_is_stored(world, django_assert_num_queries):  # noqa: F811
    OpenCasesVersion.objects.all().delete()
    assert stored() == fresh()
    with django_assert_num_queries(2):  # the versions, the count per casemanager: counted again
        stored()
    CaseFiguresVersion.objects.all().delete()
    assert stored() == fresh()
    with django_assert_num_queries(3):  # the versions, both counts
        stored()
    _register(world)  # makes the rows again
    assert open_cases_version() and case_figures_version()
    assert stored() == fresh()
    with django_assert_num_queries(1):
        stored()


def test_the_start_page_shows_names_wijken_and_writes_at_once(world, client):  # noqa: F811
    """Only ids and counts are stored: a renamed wijk or casemanager, a deactivated wijk
    without open cases and a reassignment show on the next view."""
    leader, worker, wijken = world["leader"], world["worker"], world["wijken"]
    client.force_login(leader)

    def page():
        response = client.get(reverse("home"))
        assert response.status_code == 200
        return response

    first = page()
    assert {row["name"]: row["count"] for row in first.context["workload"]} == {
        str(worker): sum(fresh()[1].values())
    }
    District.objects.filter(pk=wijken[0].pk).update(name="Centrum-Oost")
    get_user_model().objects.filter(pk=worker.pk).update(first_name="Anders", last_name="Naam")
    empty = District.objects.create(name="Nieuwbouw", is_active=True)
    second = page()
    html = second.content.decode()
    assert "Centrum-Oost" in html and "Anders Naam" in html and "Nieuwbouw" in html
    District.objects.filter(pk=empty.pk).update(is_active=False)
    assert "Nieuwbouw" not in page().content.decode()

    services.case_reassign(world["open"], casemanager=leader, reason="Verlof", by=leader)
    workload = {row["name"]: row["count"] for row in page().context["workload"]}
    assert workload[str(leader)] == 1
    assert sum(workload.values()) == sum(fresh()[1].values())


def test_a_registration_through_the_screen_shows_at_once(world, client):  # noqa: F811
    client.force_login(world["leader"])
    before = client.get(reverse("home")).context["total"]
    CaseFactory(district=world["wijken"][1], housing_type=HousingType.KOOP)
    assert client.get(reverse("home")).context["total"] == before + 1


@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (concurrent transactions)",
)
@pytest.mark.django_db(transaction=True)
def test_a_reassignment_of_many_and_a_close_at_once_both_succeed():
    """A reassignment of several cases holds the version's row from its first case on; a
    close of its last case at the same time (that case's row, then the version's row) must
    wait for it rather than deadlock. The counts follow both."""
    from tests.factories import teamleider

    leader = teamleider()
    cases = [CaseFactory(casemanager=casemanager()) for _ in range(3)]
    assert stored() == fresh()
    errors = at_once(
        lambda: services.case_reassign_many(cases, casemanager=leader, reason="Verlof", by=leader),
        lambda: services.case_close(
            cases[-1], on=D(2024, 6, 1), reason=ClosingReason.RESOLVED, by=None
        ),
    )
    assert not errors
    assert stored() == fresh()
