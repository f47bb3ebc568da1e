"""The benchmark's parts that can be checked quickly and without timing: the generator makes
data the services could have made, the app's Tabel 5.1 equals the hand-written SQL on it, and
the pages the benchmark times keep a constant number of queries. The timings themselves are
`make bench` (docs/performance.md), not tests."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.generate import fill
from bench.sql import consistency_problems, tabel51_counts
from reports import tabel51
from tests.factories import CaseFactory, action, district, teamleider
from woonoverlast.cases.models import Case, ReferenceCounter
from woonoverlast.cases.services import case_register

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the generator writes with PostgreSQL's generate_series and random(); "
    "run the suite with DATABASE_URL=postgres://... to test it",
)


@needs_postgresql
class TestGenerator:
    @pytest.fixture
    def generated(self):
        with connection.cursor() as cursor:
            fill(cursor, 400, seed=3, today=datetime.date.today())
        return Case.objects.count()

    def test_the_data_keeps_every_rule_of_the_services(self, generated):
        assert generated == 400
        with connection.cursor() as cursor:
            assert consistency_problems(cursor) == {}

    def test_tabel51_of_the_app_equals_the_hand_written_sql(self, generated):
        this_year = datetime.date.today().year
        checked = 0
        with connection.cursor() as cursor:
            for year in range(this_year - 10, this_year + 1):
                for as_of in (None, datetime.date(year, 6, 30)):
                    table = tabel51.compute(year, as_of)
                    expected = tabel51_counts(cursor, year, as_of)
                    for row in table.rows:
                        for housing_type, status in tabel51.COLUMNS:
                            assert row.cell(housing_type, status) == expected.get(
                                (row.district_id, housing_type, status), 0
                            ), (year, as_of, row.name, housing_type, status)
                    checked += table.total.total
        assert checked > 400  # every case counted at least once

    def test_a_registration_after_the_generated_data_gets_the_next_reference(self, generated):
        year = datetime.date.today().year - 1
        last = ReferenceCounter.objects.get(year=year).last_number
        case = case_register(
            district=district(),
            housing_type="koop",
            registered_on=datetime.date(year, 5, 1),
            by=None,
        )
        assert case.reference == f"WO-{year}-{last + 1:04d}"


class TestQueryCountsOfTheBenchmarkedPages:
    """The list's page 1 and a deep page cost the same number of queries, for each of the
    benchmark's filters; the case file's does not grow with its actions."""

    @pytest.fixture
    def tl(self, client):
        user = teamleider()
        client.force_login(user)
        return user

    def _queries(self, client, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    @pytest.mark.parametrize(
        "query",
        [
            {"wijk": "WIJK"},
            {"wijk": "WIJK", "status": "open", "woningtype": "koop"},
            {"q": "dorps"},
        ],
    )
    def test_page_one_and_a_deep_page(self, client, tl, query):
        for _ in range(60):
            CaseFactory(street="Dorpsstraat")
        query = {k: district().pk if v == "WIJK" else v for k, v in query.items()}
        url = reverse("cases:list")
        first = self._queries(client, url + "?" + _encode({**query, "pagina": 1}))
        deep = self._queries(client, url + "?" + _encode({**query, "pagina": 3}))
        assert first == deep

    def test_one_row_or_many(self, client, tl):
        url = reverse("cases:list") + "?q=dorps"
        CaseFactory(street="Dorpsstraat")
        one = self._queries(client, url)
        for _ in range(30):
            CaseFactory(street="Dorpsstraat")
        assert self._queries(client, url) == one

    def test_the_case_file_with_50_actions(self, client, tl):
        case = CaseFactory()
        action(case)
        url = case.get_absolute_url()
        few = self._queries(client, url)
        for _ in range(49):
            action(case)
        assert self._queries(client, url) == few


def _encode(query: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(query)
