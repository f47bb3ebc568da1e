"""The stored Tabel 5.1 (reports/stored.py) always equals a fresh count of the live data.

The tables are read from the cache under the version of the case figures, which every write
of a registration date, wijk, housing type or status history replaces
(woonoverlast.cases.services.figures). Each write service of the case domain, and those of
the apps that register cases or change what a case holds, is run once against warm stored
tables; afterwards every stored table must equal the fresh count (on SQLite and PostgreSQL:
the suite runs on both). A new write service of `cases.services` must be added to WRITES.
"""

import datetime

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse

from reports import exports, tabel51
from reports.stored import StoredTables
from tests.concurrency_helpers import at_once
from tests.factories import CaseFactory, casemanager, district, intake_melding, teamleider
from tests.factories import action as log_action
from woonoverlast.cases import services
from woonoverlast.cases.choices import ActionType, ClosingReason, HousingType, PartyRole
from woonoverlast.cases.models import District
from woonoverlast.cases.services.figures import case_figures_version

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2024, 6, 15)

# (carried over?, year, peildatum): the default peildatum, an earlier and a later one, the
# year before and the running year, the doorlopende casussen.
PERIODS = [
    (False, 2023, None),
    (False, 2023, D(2023, 6, 30)),
    (False, 2023, D(2024, 3, 1)),
    (False, 2022, None),
    (False, 2024, None),
    (True, 2023, None),
    (True, 2024, D(2024, 5, 1)),
]


def fresh() -> list[tabel51.Table]:
    return [
        (tabel51.carried_over if carried else tabel51.compute)(year, as_of)
        for carried, year, as_of in PERIODS
    ]


def stored() -> list[tabel51.Table]:
    tables = StoredTables()
    result = [
        (tables.carried_over if carried else tables.compute)(year, as_of)
        for carried, year, as_of in PERIODS
    ]
    tables.save()
    return result


@pytest.fixture
def world(time_machine):
    """Cases in three years, wijken and housing types; closed, reopened and open ones."""
    time_machine.move_to(datetime.datetime(2024, 6, 15, 12, tzinfo=datetime.UTC), tick=False)
    leader = teamleider()
    worker = casemanager()
    wijken = [district("Centrum"), district("Meerzicht"), district("Buytenwegh")]
    cases = []
    for i in range(12):
        registered_on = D(2022 + i % 3, 1 + i % 5, 1 + i % 27)
        closed_on = min(registered_on + datetime.timedelta(days=200), D(2024, 6, 1))
        cases.append(
            CaseFactory(
                district=wijken[i % 3],
                housing_type=(HousingType.KOOP, HousingType.CORPORATIE, HousingType.PARTICULIER)[
                    i % 3
                ],
                registered_on=registered_on,
                closed_on=closed_on if i % 4 == 0 else None,
                reopened_on=closed_on + datetime.timedelta(days=5) if i % 8 == 0 else None,
                casemanager=worker,
            )
        )
    # A case closed within 2023, for the corrections of the latest status change.
    closed = CaseFactory(
        district=wijken[0],
        registered_on=D(2023, 2, 1),
        closed_on=D(2023, 11, 1),
        casemanager=worker,
    )
    action = log_action(
        cases[1], performed_on=D(2024, 1, 10), by=worker, follow_up_on=D(2024, 7, 1)
    )
    party = services.party_add(cases[1], role=PartyRole.REPORTER, name="Jansen", by=worker)
    melding = services.melding_add(
        cases[1], received_on=D(2024, 1, 5), source="buurtbewoner", text="Lawaai", by=worker
    )
    return {
        "leader": leader,
        "worker": worker,
        "cases": cases,
        "open": cases[1],
        "closed": closed,
        "action": action,
        "party": party,
        "melding": melding,
        "wijken": wijken,
    }


def _register(w):
    services.case_register(
        district=w["wijken"][1],
        housing_type=HousingType.CORPORATIE,
        registered_on=D(2023, 12, 31),  # nagekomen: registered now, in the closed year
        by=w["leader"],
    )


def _register_from_intake(w):
    from woonoverlast.intake import services as intake

    melding = intake_melding()
    intake.intake_melding_register_case(
        melding, by=w["worker"], district=w["wijken"][2], housing_type="koop"
    )


def _import(w):
    services.cases_register_many(
        [
            services.NewCase(
                register={
                    "district": w["wijken"][n % 3],
                    "housing_type": HousingType.KOOP,
                    "registered_on": D(2023, 1 + n, 1),
                },
                close_on=D(2023, 12, 1) if n % 2 else None,
            )
            for n in range(4)
        ],
        by=None,
    )


def _reassign_matching(w):
    services.case_reassign_matching(
        {"q": w["open"].reference},
        expected=1,
        casemanager=w["leader"],
        reason="Verlof",
        by=w["leader"],
    )


def _anonymise(w):
    services.cases_anonymise(case_ids=[w["closed"].pk], by=None)


# Every write service: (what it does to the data the tables count).
WRITES = {
    # Registration, in every way a case comes in.
    "case_register": _register,
    "intake_melding_register_case": _register_from_intake,
    "cases_register_many": _import,
    # Corrections of the counted facts, and of facts not counted.
    "case_update:district": lambda w: services.case_update(
        w["open"], by=w["leader"], district=w["wijken"][2]
    ),
    "case_update:housing_type": lambda w: services.case_update(
        w["open"], by=w["leader"], housing_type=HousingType.PARTICULIER
    ),
    "case_update:registered_on": lambda w: services.case_update(
        w["open"], by=w["leader"], registered_on=D(2022, 12, 31)
    ),
    "case_update:description": lambda w: services.case_update(
        w["open"], by=w["leader"], description="Andere omschrijving"
    ),
    # The status history.
    "case_close": lambda w: services.case_close(
        w["open"], on=D(2023, 12, 31), reason=ClosingReason.RESOLVED, by=w["leader"]
    ),
    "case_reopen": lambda w: services.case_reopen(
        w["closed"], on=D(2024, 1, 2), reason="Opnieuw overlast", by=w["leader"]
    ),
    "status_date_correct": lambda w: services.status_date_correct(
        w["closed"], on=D(2024, 1, 3), reason="Verkeerde datum", by=w["leader"]
    ),
    "status_change_withdraw": lambda w: services.status_change_withdraw(
        w["closed"], reason="Per vergissing afgesloten", by=w["leader"]
    ),
    # Writes that leave the counted facts alone.
    "action_log": lambda w: log_action(
        w["open"], performed_on=D(2024, 2, 1), by=w["worker"], action_type=ActionType.WARNING
    ),
    "action_correct": lambda w: services.action_correct(
        w["action"], by=w["leader"], performed_on=D(2024, 1, 11)
    ),
    "entry_withdraw": lambda w: services.entry_withdraw(
        w["melding"], reason="Verkeerde casus", by=w["leader"]
    ),
    "followup_complete": lambda w: services.followup_complete(
        w["action"], on=D(2024, 6, 15), by=w["worker"]
    ),
    "party_add": lambda w: services.party_add(
        w["open"], role=PartyRole.RESPONDENT, name="De Vries", by=w["worker"]
    ),
    "party_correct": lambda w: services.party_correct(
        w["party"], by=w["leader"], role=PartyRole.REPORTER, name="Janssen"
    ),
    "melding_add": lambda w: services.melding_add(
        w["open"], received_on=D(2024, 2, 2), source="politie", text="Ruzie", by=w["worker"]
    ),
    "melding_correct": lambda w: services.melding_correct(
        w["melding"], by=w["leader"], received_on=D(2024, 1, 6), source="politie", text="Ruzie"
    ),
    "case_reassign": lambda w: services.case_reassign(
        w["open"], casemanager=w["leader"], reason="Verlof", by=w["leader"]
    ),
    "case_reassign_many": lambda w: services.case_reassign_many(
        [w["open"]], casemanager=w["leader"], reason="Verlof", by=w["leader"]
    ),
    "case_reassign_matching": _reassign_matching,
    "cases_anonymise": _anonymise,
    # Not a service: the admin's edit of a wijk (name, order, active). The stored counts are
    # laid out with the wijken of each request, so none is stored with them.
    "district renamed and deactivated": lambda w: District.objects.filter(
        pk=w["wijken"][0].pk
    ).update(name="Centrum-Oost", is_active=False, display_order=99),
}

# The writes that change what the tables count, and so the version.
CHANGE_THE_FIGURES = {
    "case_register",
    "intake_melding_register_case",
    "cases_register_many",
    "case_update:district",
    "case_update:housing_type",
    "case_update:registered_on",
    "case_close",
    "case_reopen",
    "status_date_correct",
    "status_change_withdraw",
}

# What cases.services exports that writes nothing (or only derived columns of a case).
NOT_WRITES = {
    "ALLOWED_STATUS_CHANGES",
    "CasesRefused",
    "NewCase",
    "case_refresh_last_activity",
    "case_refresh_open_actions",
    "cases_past_retention",
    "district_for_postcode",
    "registration_casemanager",
    "retention_limit",
}


def test_every_write_service_of_the_case_domain_is_tested():
    tested = {name.split(":")[0] for name in WRITES}
    assert set(services.__all__) - NOT_WRITES <= tested


@pytest.mark.parametrize("write", list(WRITES))
def test_the_stored_tables_equal_a_fresh_count_after_every_write(world, write):
    assert stored() == fresh()  # counted and stored
    assert stored() == fresh()  # read from the cache
    version = case_figures_version()
    WRITES[write](world)
    assert (case_figures_version() != version) == (write in CHANGE_THE_FIGURES)
    assert stored() == fresh()


def test_a_stored_table_is_read_without_counting(world, django_assert_num_queries):
    stored()
    with django_assert_num_queries(2):  # the version and the wijken
        tables = StoredTables()
        tables.compute(2023)
        tables.compute(2022, D(2022, 12, 31))
        tables.carried_over(2023)
        tables.save()


def test_counting_costs_the_version_twice_and_no_more(world, django_assert_num_queries):
    # the version, the table, the wijken, the version again before storing
    with django_assert_num_queries(4):
        tables = StoredTables()
        tables.compute(2023)
        tables.save()


def test_a_write_while_counting_stores_nothing(world, django_assert_num_queries):
    """The count may or may not include a write that commits while it runs: not stored."""
    tables = StoredTables()
    before = tables.compute(2023)
    _register(world)  # commits between the count and the save
    tables.save()
    with django_assert_num_queries(4):  # counted again: the version, the table, ...
        again = StoredTables()
        table = again.compute(2023)
        again.save()
    assert table == tabel51.compute(2023) != before


def test_a_count_inside_a_rolled_back_write_is_never_read(world):
    """A transaction that writes and then reads the tables stores them under its own new
    version; after its rollback no later write can give that version again."""
    with pytest.raises(RuntimeError), transaction.atomic():
        _register(world)
        stored()
        raise RuntimeError("rolled back")
    assert stored() == fresh()
    _register(world)
    assert stored() == fresh()


def test_without_a_version_row_nothing_is_stored(world, django_assert_num_queries):
    from woonoverlast.cases.models import CaseFiguresVersion

    CaseFiguresVersion.objects.all().delete()
    assert stored() == fresh()
    with django_assert_num_queries(3):  # the version, the table, the wijken: counted again
        StoredTables().compute(2023)
    _register(world)  # makes the row again
    assert case_figures_version()
    assert stored() == fresh()


def test_the_page_and_the_downloads_show_the_live_figures_after_a_write(world, client):
    client.force_login(world["leader"])
    for name in ("reports:tabel51", "reports:tabel51_csv", "reports:tabel51_xlsx"):
        assert client.get(reverse(name), {"jaar": 2023}).status_code == 200
    csv_url = reverse("reports:tabel51_csv")
    before = client.get(csv_url, {"jaar": 2023}).content.decode()
    services.case_update(world["open"], by=world["leader"], district=world["wijken"][2])
    after = client.get(csv_url, {"jaar": 2023}).content.decode()
    assert before != after
    assert after == client.get(csv_url, {"jaar": 2023}).content.decode()
    assert after.encode() == exports.csv_bytes(tabel51.compute(2023))


@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (concurrent transactions)",
)
@pytest.mark.django_db(transaction=True)
def test_two_people_closing_cases_at_once_both_succeed_and_the_tables_follow():
    """Both writes replace the version in one row: the second waits for the first's commit,
    neither fails, and the tables stored before are not read after either."""
    cases = [CaseFactory(registered_on=D(2023, 3, 1)) for _ in range(2)]
    assert stored() == fresh()
    errors = at_once(
        *(
            lambda case=case: services.case_close(
                case, on=D(2023, 6, 1), reason=ClosingReason.RESOLVED, by=None
            )
            for case in cases
        )
    )
    assert not errors
    assert stored() == fresh()
    assert tabel51.compute(2023).closed_total == 2
