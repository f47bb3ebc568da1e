"""The case list's search: addresses as people write them, references, parties' names."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import CaseFactory, action, casemanager, rapportage, teamleider
from woonoverlast.accounts.roles import can_see_parties, cases_with_visible_parties
from woonoverlast.accounts.services import case_access_grant
from woonoverlast.cases import querysets, services
from woonoverlast.cases.choices import PartyRole
from woonoverlast.cases.filters import SearchTerms, parse_search
from woonoverlast.cases.models import Case

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    "text, terms",
    [
        ("Lucypad 154", SearchTerms("Lucypad 154", street="Lucypad", house_number=154)),
        (
            "Van Leeuwenhoeklaan 7B",
            SearchTerms(
                "Van Leeuwenhoeklaan 7B",
                street="Van Leeuwenhoeklaan",
                house_number=7,
                house_number_addition="B",
            ),
        ),
        (
            "  kerkweg   12 - 2 ",
            SearchTerms(
                "kerkweg 12 - 2", street="kerkweg", house_number=12, house_number_addition="2"
            ),
        ),
        ("2712ZD 154", SearchTerms("2712ZD 154", postcode="2712 ZD", house_number=154)),
        ("2712 zd 154", SearchTerms("2712 zd 154", postcode="2712 ZD", house_number=154)),
        (
            "2712ZD154a",
            SearchTerms(
                "2712ZD154a", postcode="2712 ZD", house_number=154, house_number_addition="a"
            ),
        ),
        # Issue 27, item 14: the address exactly as the app prints it.
        (
            "Stenpad 108, 2711 DM",
            SearchTerms(
                "Stenpad 108, 2711 DM", street="Stenpad", postcode="2711 DM", house_number=108
            ),
        ),
        (
            "Stenpad 108A 2711dm",
            SearchTerms(
                "Stenpad 108A 2711dm",
                street="Stenpad",
                postcode="2711 DM",
                house_number=108,
                house_number_addition="A",
            ),
        ),
        (
            "Van Leeuwenhoeklaan 7-b, 2713RA, Zoetermeer",
            SearchTerms(
                "Van Leeuwenhoeklaan 7-b, 2713RA, Zoetermeer",
                street="Van Leeuwenhoeklaan",
                postcode="2713 RA",
                house_number=7,
                house_number_addition="b",
            ),
        ),
        ("WO-2023-0042", SearchTerms("WO-2023-0042")),
        ("2712 ZD", SearchTerms("2712 ZD")),
        ("Jansen", SearchTerms("Jansen")),
        ("154", SearchTerms("154")),
    ],
)
def test_parse_search(text, terms):
    assert parse_search(text) == terms


@pytest.fixture
def cases():
    return {
        "lucypad": CaseFactory(street="Lucypad", house_number=154, postcode="2712 ZD"),
        "lucypad_other": CaseFactory(street="Lucypad", house_number=15, postcode="2712 ZD"),
        "leeuwenhoek_b": CaseFactory(
            street="Van Leeuwenhoeklaan",
            house_number=7,
            house_number_addition="B",
            postcode="2713 RA",
        ),
        "leeuwenhoek": CaseFactory(
            street="Van Leeuwenhoeklaan", house_number=7, postcode="2713 RA"
        ),
        "elsewhere": CaseFactory(street="Dorpsstraat", house_number=154, postcode="2712 AB"),
    }


def found(client, user, text) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("cases:list"), {"q": text})
    assert response.status_code == 200
    return {case.reference for case in response.context["page"].object_list}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Lucypad 154", {"lucypad"}),
        ("lucypad 154", {"lucypad"}),
        ("Van Leeuwenhoeklaan 7B", {"leeuwenhoek_b"}),
        ("Van Leeuwenhoeklaan 7 b", {"leeuwenhoek_b"}),
        ("Van Leeuwenhoeklaan 7", {"leeuwenhoek_b", "leeuwenhoek"}),
        ("Leeuwenhoek 7", {"leeuwenhoek_b", "leeuwenhoek"}),
        ("2712ZD 154", {"lucypad"}),
        ("2712 zd 154", {"lucypad"}),
        ("2712 ZD", {"lucypad", "lucypad_other"}),
        ("lucypad", {"lucypad", "lucypad_other"}),
        # As the app prints it (Case.address), and copied from a letter.
        ("Lucypad 154, 2712 ZD", {"lucypad"}),
        ("Lucypad 154 2712ZD", {"lucypad"}),
        ("Lucypad 154, 2712 ZD Zoetermeer", {"lucypad"}),
        ("Van Leeuwenhoeklaan 7B, 2713 RA", {"leeuwenhoek_b"}),
        ("Lucypad 154, 2712 AB", set()),
    ],
)
def test_addresses_as_people_write_them(client, cases, text, expected):
    assert found(client, casemanager(), text) == {cases[key].reference for key in expected}


def test_a_reference(client, cases):
    reference = cases["leeuwenhoek"].reference
    assert found(client, casemanager(), reference) == {reference}
    assert found(client, casemanager(), reference.lower()) == {reference}


def test_a_street_whose_name_holds_a_number_is_still_found(client):
    case = CaseFactory(street="Laan van 1940", house_number=3)
    assert found(client, casemanager(), "Laan van 1940") == {case.reference}


NAME = "Karin Geheimhouder"


@pytest.fixture
def named(settings):
    """An open and a closed case with the same party name, and one without. The closed one
    is kept inside the working term (RETENTION_MONTHS), where searches still find it
    (tests/test_archiving_working_term.py tests the term)."""
    settings.RETENTION_MONTHS = 1200
    open_case = CaseFactory()
    closed_case = CaseFactory(closed_on=D(2023, 6, 1))
    for case in (open_case, closed_case):
        services.party_add(case, role=PartyRole.RESPONDENT, name=NAME, by=None)
    CaseFactory()
    return open_case, closed_case


@pytest.fixture(params=["ids read once", "as a subquery"])
def party_search_ids_max(request, monkeypatch):
    """Both ways the search reads the parties' cases on PostgreSQL: their ids first (up to
    PARTY_SEARCH_IDS_MAX), or a subquery in the list's query when there are more."""
    if request.param == "as a subquery":
        monkeypatch.setattr(querysets, "PARTY_SEARCH_IDS_MAX", 0)


@pytest.mark.usefixtures("party_search_ids_max")
def test_a_partys_name_for_who_may_see_it(client, named):
    open_case, closed_case = named
    # The team leader sees every party; a casemanager those of open cases and of the closed
    # cases they manage or were granted, exactly as the case file shows them (accounts.roles).
    # Having logged an action on a closed case is no way in.
    assert found(client, teamleider(), "geheimhouder") == {
        open_case.reference,
        closed_case.reference,
    }
    outsider = casemanager()
    assert found(client, outsider, "geheimhouder") == {open_case.reference}
    worker = casemanager()
    action(closed_case, performed_by=worker, performed_on=D(2023, 5, 1))
    assert found(client, worker, "Karin Geheim") == {open_case.reference}
    case_access_grant(case=closed_case, user=worker, reason="Nazorg", by=teamleider())
    assert found(client, worker, "Karin Geheim") == {open_case.reference, closed_case.reference}


def test_a_name_search_also_finds_by_street(client, named):
    case = CaseFactory(street="Geheimhouderstraat")
    assert case.reference in found(client, casemanager(), "geheimhouder")


def test_the_set_rule_agrees_with_the_case_rule(named):
    """cases_with_visible_parties is can_see_parties for a list: they must not drift apart."""
    _open_case, closed_case = named
    team_leader, outsider, worker, granted, assigned = (
        teamleider(),
        casemanager(),
        casemanager(),
        casemanager(),
        casemanager(),
    )
    action(closed_case, performed_by=worker, performed_on=D(2023, 5, 1))
    case_access_grant(case=closed_case, user=granted, reason="Nazorg", by=team_leader)
    other_closed = CaseFactory(closed_on=D(2023, 6, 1), casemanager=assigned)
    for user in (team_leader, outsider, worker, granted, assigned):
        visible = set(
            Case.objects.filter(cases_with_visible_parties(user)).values_list("pk", flat=True)
        )
        for case in Case.objects.all():
            assert (case.pk in visible) == can_see_parties(user, case), (user, case)
    assert other_closed.pk in set(
        Case.objects.filter(cases_with_visible_parties(assigned)).values_list("pk", flat=True)
    )


def test_the_address_search_agrees_with_the_case_rule(settings):
    """text_condition writes the address out per kind of case a casemanager may see (open;
    their own, registered or granted): the same cases as the address AND the rule, for every
    kind of user, an expired grant included (which must not let the street find the case)."""
    from woonoverlast.accounts.models import CaseAccessGrant
    from woonoverlast.accounts.roles import can_see_case_data

    settings.RETENTION_MONTHS = 1200
    team_leader, outsider, assigned, registrant, granted, expired = (
        teamleider(),
        *(casemanager() for _ in range(5)),
    )
    street = "Geheimhoudersteeg"
    cases = [
        CaseFactory(street=street),
        CaseFactory(street=street, closed_on=D(2023, 6, 1)),
        CaseFactory(street=street, closed_on=D(2023, 6, 1), casemanager=assigned),
        CaseFactory(street=street, closed_on=D(2023, 6, 1)),
        CaseFactory(street="Dorpsstraat", closed_on=D(2023, 6, 1), casemanager=assigned),
    ]
    Case.objects.filter(pk=cases[3].pk).update(created_by=registrant)
    cases[3].refresh_from_db()
    case_access_grant(case=cases[1], user=granted, reason="Nazorg", by=team_leader)
    grant = case_access_grant(case=cases[1], user=expired, reason="Nazorg", by=team_leader)
    CaseAccessGrant.objects.filter(pk=grant.pk).update(valid_until=D(2023, 1, 1))
    for user in (team_leader, outsider, assigned, registrant, granted, expired):
        visible = cases_with_visible_parties(user)
        condition = querysets.text_condition("houderSteeg", visible=visible)
        expected = {
            case.pk for case in cases if case.street == street and can_see_case_data(user, case)
        }
        assert set(Case.objects.filter(condition).values_list("pk", flat=True)) == expected, user
    assert cases[1].pk not in set(
        Case.objects.filter(
            querysets.text_condition(street, visible=cases_with_visible_parties(expired))
        ).values_list("pk", flat=True)
    )


def test_no_party_search_without_a_request(named):
    """Outside a request (the benchmark, a script) the search has no user: no names."""
    from django.http import QueryDict

    from woonoverlast.cases.filters import CaseFilter

    filterset = CaseFilter(QueryDict("q=geheimhouder"), queryset=Case.objects.all())
    assert filterset.is_valid()
    assert list(filterset.qs) == []


def test_the_header_search_box_goes_to_the_list(client):
    client.force_login(casemanager())
    html = client.get(reverse("cases:mine")).content.decode()
    assert f'action="{reverse("cases:list")}"' in html and 'id="site-search-q"' in html

    client.force_login(rapportage())
    html = client.get(reverse("reports:index")).content.decode()
    assert 'id="site-search-q"' not in html


class TestFromTheHeader:
    """Issue 27, item 14: one hit from the header's search box opens the case; more hits are
    not pushed down by the filter panel (static/js/filters.js opens it on wide screens)."""

    def test_one_hit_opens_the_case(self, client, cases):
        client.force_login(casemanager())
        case = cases["lucypad"]
        response = client.get(reverse("cases:list"), {"q": case.address, "via": "kop"})
        assert response.status_code == 302 and response.url == case.get_absolute_url()

    def test_more_hits_show_the_list_with_the_filters_collapsed(self, client, cases):
        client.force_login(casemanager())
        response = client.get(reverse("cases:list"), {"q": "lucypad", "via": "kop"})
        html = response.content.decode()
        assert response.status_code == 200 and len(response.context["page"]) == 2
        assert 'class="filters-panel"' in html and "data-open-when-wide" not in html

    def test_the_lists_own_search_keeps_the_list_and_the_panel(self, client, cases):
        client.force_login(casemanager())
        response = client.get(reverse("cases:list"), {"q": cases["lucypad"].address})
        assert response.status_code == 200 and len(response.context["page"]) == 1
        assert "data-open-when-wide" in response.content.decode()

    def test_the_header_form_marks_its_searches(self, client):
        client.force_login(casemanager())
        html = client.get(reverse("cases:mine")).content.decode()
        assert '<input type="hidden" name="via" value="kop">' in html


@pytest.fixture
def many_cases(cases):
    """PostgreSQL: 40,000 more cases, as the benchmark's spread (20 streets, 40 casemanagers,
    a few per cent open, closings over eight years), inserted by SQL and analysed, so that
    the planner chooses as it does at a million: on a handful of rows it rather reads a whole
    index than a trigram index."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    users = [casemanager().pk for _ in range(40)]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_case (reference, district_id, housing_type, street, house_number,
                house_number_addition, postcode, description, registered_on, casemanager_id,
                created_by_id, complexity, status, closed_on, last_activity_on, version,
                created_at, updated_at)
            SELECT 'WO-T-' || i, %(district)s, 'koop', 'Straat ' || (i %% 20), 1 + i %% 300, '',
                '2712 AB', '', closing - 30, users[1 + i %% 40], users[1 + i %% 40], 'enkelvoudig',
                CASE WHEN open THEN 'open' ELSE 'closed' END,
                CASE WHEN open THEN NULL ELSE closing END, closing - 30, 1, now(), now()
            FROM generate_series(1, 40000) AS i,
                LATERAL (SELECT i %% 16 = 0 AS open,
                    CURRENT_DATE - (i * 7919 %% 2920) AS closing) AS spread,
                LATERAL (SELECT %(users)s::bigint[] AS users) AS chosen
            """,
            {"district": cases["lucypad"].district_id, "users": users},
        )
        cursor.execute("ANALYZE cases_case")
        # Still a small table: whichever index, not a read of the whole table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")


def test_the_street_index_answers_the_working_term_too(many_cases):
    """PostgreSQL: the street's trigram index holds the working term's closing date
    (migration 0023), so a search reads only the cases in the working term. The index's
    second expression must be exactly the query's (retention.working_term_closing): a change
    on either side leaves it unused for the working term, which the plan shows; the street
    alone (a list with "ook archief") still uses the first."""
    in_term = Case.objects.filter(street__icontains="straat 7").in_working_term().order_by()
    plan = in_term.values("pk").explain()
    assert "Bitmap Index Scan on case_street_term_trgm_idx" in plan, plan
    condition = plan.split("Index Cond: ", 1)[1].splitlines()[0]
    assert "upper((street)::text) ~~ '%STRAAT 7%'::text" in condition, plan
    assert "COALESCE(closed_on, '9999-12-31'::date) >= " in condition, plan
    plan = Case.objects.filter(street__icontains="straat 7").order_by().values("pk").explain()
    assert "Bitmap Index Scan on case_street_term_trgm_idx" in plan, plan
    assert "Index Cond: (upper((street)::text) ~~ '%STRAAT 7%'::text)" in plan, plan


def test_a_casemanagers_search_reads_only_the_cases_they_may_see(many_cases):
    """PostgreSQL: a casemanager's search of a street reads the street's open cases by their
    own index and the closed ones by the user's cases in the working term (their own, those
    they registered, those granted: migration 0025, querysets.text_condition), instead of
    every case of the street in the working term. Each branch must find its index: a change
    of the condition's shape or of an index's expression shows in the plan."""
    user = Case.objects.filter(reference="WO-T-7").get().casemanager
    visible = cases_with_visible_parties(user)
    found = Case.objects.filter(querysets.text_condition("straat 7", visible=visible))
    plan = found.in_working_term().order_by().values("pk").explain()
    assert "Bitmap Index Scan on case_open_street_trgm_idx" in plan, plan
    term = "COALESCE(closed_on, '9999-12-31'::date) >= "
    for index, column in (
        ("case_casemanager_term_idx", "casemanager_id"),
        ("case_created_by_term_idx", "created_by_id"),
    ):
        condition = plan.split(f"Bitmap Index Scan on {index}", 1)[1].split("Index Cond: ")[1]
        assert condition.startswith(f"(({column} = "), plan
        assert term in condition.splitlines()[0], plan
    assert "Index Cond: (id = ANY ($" in plan, plan  # the grants, read once
