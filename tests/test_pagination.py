"""The case list reads pages past the middle from the end: the same rows in the same order."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from tests.factories import CaseFactory, casemanager
from woonoverlast.cases.filters import sort_fields
from woonoverlast.cases.models import Case
from woonoverlast.common.pagination import LongListPaginator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "sort", [None, "casemanager", "-casemanager", "geregistreerd", "-afgerond"]
)
def test_every_page_equals_the_plain_paginators(sort):
    worker = casemanager()
    for number in range(23):
        CaseFactory(
            # ties on the date and empty casemanagers and closing dates (NULLs) on purpose
            registered_on=datetime.date(2023, 3, 1 + number % 4),
            casemanager=worker if number % 3 else None,
            closed_on=datetime.date(2023, 5, 1) if number % 2 else None,
        )
    cases = Case.objects.for_list()
    if sort:
        cases = cases.order_by(*sort_fields(sort))
    plain, either = Paginator(cases, 5), LongListPaginator(cases, 5)
    assert either.num_pages == 5
    for number in plain.page_range:
        assert list(either.page(number)) == list(plain.page(number)), number


def test_orphans_are_kept_on_the_last_page():
    for _ in range(12):
        CaseFactory()
    cases = Case.objects.all()
    plain, either = Paginator(cases, 5, orphans=2), LongListPaginator(cases, 5, orphans=2)
    for number in plain.page_range:
        assert list(either.page(number)) == list(plain.page(number))


def test_a_long_list_counts_up_to_the_cap_and_reads_from_the_front(monkeypatch):
    monkeypatch.setattr(LongListPaginator, "count_cap", 5)
    for _ in range(12):
        CaseFactory()
    cases = Case.objects.for_list()
    plain, capped = Paginator(cases, 2), LongListPaginator(cases, 2)
    assert capped.count == 6 and capped.capped
    assert capped.pages_below_cap == 2
    for number in capped.page_range:
        assert list(capped.page(number)) == list(plain.page(number)), number


def test_a_list_at_the_cap_is_counted_exactly(monkeypatch):
    monkeypatch.setattr(LongListPaginator, "count_cap", 5)
    for _ in range(5):
        CaseFactory()
    paginator = LongListPaginator(Case.objects.all(), 2)
    assert paginator.count == 5 and not paginator.capped


def test_the_case_list_says_more_than_the_cap_and_offers_no_last_page(client, monkeypatch):
    monkeypatch.setattr(LongListPaginator, "count_cap", 30)
    CaseFactory.create_batch(31)
    client.force_login(casemanager())
    html = client.get(reverse("cases:list")).content.decode()
    assert "Meer dan 30 casussen" in html
    assert "Pagina 1 van meer dan 1<" in html
    assert "Laatste" not in html
    assert "Volgende" in html
