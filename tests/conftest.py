import pytest
from django.db import transaction

from woonoverlast.cases.demo import load_demo


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data set, loaded once per test module and rolled back after it.

    Tests that use it also take `db`, which wraps each test in a savepoint on top.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)
