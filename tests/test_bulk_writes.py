"""woonoverlast.bulk: insert_streamed, rows from a generator that works between them (the
import checks the next case while PostgreSQL takes the ones before), and new_instance."""

import datetime

import pytest
from django.db import connection, transaction

from woonoverlast.audit.models import AuditEvent
from woonoverlast.bulk import insert_rows, insert_streamed, new_instance
from woonoverlast.cases.models import Case, District

needs_copy = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY: PostgreSQL only")


def test_new_instance_is_the_instance_the_model_makes():
    district = District(pk=7, name="Centrum")
    values = {
        "reference": "WO-2024-0001",
        "district": district,
        "housing_type": "koop",
        "corporation": None,
        "registered_on": datetime.date(2024, 1, 31),
        "street": "Dorpsstraat",
        "house_number": 12,
        "casemanager_id": None,
    }
    made, expected = new_instance(Case, **values), Case(**values)
    for field in Case._meta.concrete_fields:
        assert getattr(made, field.attname) == getattr(expected, field.attname), field.name
    assert made.district is district  # no query for the object it was given
    assert made._state.adding
    with pytest.raises(TypeError, match="has no field wijk"):
        new_instance(Case, wijk=district)


@needs_copy
@pytest.mark.django_db
def test_rows_as_they_come_with_their_ids():
    made = []

    def districts():
        for number in range(3):
            district = District(name=f"Gestroomd {number}", display_order=number)
            made.append(district)
            yield district

    insert_streamed(District, districts(), count=5)  # more ids reserved than used
    assert all(district.pk for district in made)
    assert {d.pk: d.name for d in District.objects.filter(name__startswith="Gestroomd")} == {
        district.pk: district.name for district in made
    }
    assert not made[0]._state.adding


@needs_copy
@pytest.mark.django_db
def test_a_query_from_the_generator_is_refused_and_nothing_is_written():
    def districts():
        yield District(name="Eerste")
        District.objects.count()  # the connection is busy with the COPY
        yield District(name="Tweede")

    with pytest.raises(RuntimeError, match="must not use the database"), transaction.atomic():
        insert_streamed(District, districts(), count=2)
    assert not District.objects.filter(name__in=["Eerste", "Tweede"]).exists()


@pytest.mark.django_db
def test_a_json_value_shared_by_rows_is_stored_with_each_and_others_as_given():
    """insert_rows encodes a JSON value given to many rows as one object once (the import's
    audit content of a closing day); every row still gets its own, and the values of other
    rows theirs."""
    shared = {"status": {"oud": "open", "nieuw": "closed"}, "datum": "2023-12-31"}
    rows = [
        {"action": "close", "object_id": str(n), "changes": shared if n % 2 else {"n": n}}
        for n in range(6)
    ]
    with transaction.atomic():
        insert_rows(AuditEvent, rows)
        stored = list(
            AuditEvent.objects.filter(pk__in=[row["id"] for row in rows])
            .order_by("pk")
            .values_list("object_id", "changes")
        )
        transaction.set_rollback(True)
    assert stored == [(str(n), shared if n % 2 else {"n": n}) for n in range(6)]


@needs_copy
@pytest.mark.django_db
def test_json_values_of_streamed_rows_are_each_their_own():
    """Rows streamed from a generator: each JSON value is freed after its row, and a new
    one may get its address (its id); each row is still stored with its own value."""

    def events():
        for n in range(50):
            yield AuditEvent(action="create", object_id=str(n), changes={"n": n})

    with transaction.atomic():
        insert_streamed(AuditEvent, events(), count=50)
        stored = list(
            AuditEvent.objects.filter(action="create")
            .order_by("pk")
            .values_list("object_id", "changes")
        )
        transaction.set_rollback(True)
    assert stored == [(str(n), {"n": n}) for n in range(50)]
