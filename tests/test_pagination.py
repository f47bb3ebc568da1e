"""The case list reads pages past the middle from the end: the same rows in the same order."""

import datetime

import pytest
from django.core.paginator import Paginator

from tests.factories import CaseFactory, casemanager
from woonoverlast.cases.filters import sort_fields
from woonoverlast.cases.models import Case
from woonoverlast.cases.pagination import FromEitherEndPaginator

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
    plain, either = Paginator(cases, 5), FromEitherEndPaginator(cases, 5)
    assert either.num_pages == 5
    for number in plain.page_range:
        assert list(either.page(number)) == list(plain.page(number)), number


def test_orphans_are_kept_on_the_last_page():
    for _ in range(12):
        CaseFactory()
    cases = Case.objects.all()
    plain, either = Paginator(cases, 5, orphans=2), FromEitherEndPaginator(cases, 5, orphans=2)
    for number in plain.page_range:
        assert list(either.page(number)) == list(plain.page(number))
