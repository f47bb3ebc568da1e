"""woonoverlast.bulk: insert_streamed, rows from a generator that works between them (the
import checks the next case while PostgreSQL takes the ones before), and new_instance."""

import datetime

import pytest
from django.db import connection, transaction

from woonoverlast.audit.models import AuditEvent
from woonoverlast.bulk import insert_many, insert_rows, insert_streamed, new_instance
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
    # The same attributes in the same order, the same state, nothing else cached.
    assert list(vars(made)) == list(vars(expected))
    assert made.district is district  # no query for the object it was given
    assert made._state.adding and made._state.db is None
    assert made._state.fields_cache == expected._state.fields_cache
    assert made._state.fields_cache == {"district": district, "corporation": None}
    with pytest.raises(TypeError, match="has no field wijk"):
        new_instance(Case, wijk=district)


def test_new_instance_calls_a_callable_default_per_instance():
    first, second = new_instance(AuditEvent, action="create"), new_instance(AuditEvent)
    assert first.changes == second.changes == {}
    assert first.changes is not second.changes
    assert first.action == "create" and second.action == ""


def test_new_instance_of_a_model_with_init_receivers_is_made_by_the_model():
    from django.db.models.signals import post_init

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=District)
    try:
        made = new_instance(District, name="Oost")
    finally:
        post_init.disconnect(receiver, sender=District)
    assert seen == [made] and made.name == "Oost"


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


# -- binary COPY ----------------------------------------------------------------------------


def test_the_import_s_tables_are_copied_in_binary():
    """Binary COPY sends each value by its column's type, without text formatting: the
    tables the import writes must all qualify (else they fall back to text, slower)."""
    from woonoverlast.archiving.models import CaseArchive
    from woonoverlast.bulk import _binary_types
    from woonoverlast.cases.models import StatusChange

    if connection.vendor != "postgresql":
        pytest.skip("COPY: PostgreSQL only")
    for model in (
        Case,
        StatusChange,
        AuditEvent,
        CaseArchive,
        Case.categories.through,
        Case.partners.through,
    ):
        assert _binary_types(connection, model._meta) is not None, model


@needs_copy
@pytest.mark.django_db
def test_binary_copy_stores_what_the_orm_stores():
    """NULL dates, a long text with the characters text COPY escapes, non-ASCII names, an
    IP address and JSON with non-ASCII text: read back as the ORM reads a saved row."""
    district = District.objects.create(name="Ĳsselmonde-Zuid")
    long_text = ('Geluid\tna 22:00 uur,\nbuurman zegt \\N "nee" — ’s nachts. ' * 400).strip()
    cases = [
        Case(
            reference="WO-2024-0001",
            district=district,
            housing_type="koop",
            street="Bōkerstraße",
            house_number=None,
            description=long_text,
            registered_on=datetime.date(2024, 2, 29),
            last_activity_on=datetime.date(2024, 2, 29),
            closed_on=None,
            next_review_on=None,
        ),
        Case(
            reference="WO-2024-0002",
            district=district,
            housing_type="corporatie",
            street="",
            house_number=12,
            house_number_addition="A",
            registered_on=datetime.date(1999, 12, 31),
            last_activity_on=datetime.date(2000, 1, 1),
            status="closed",
            closed_on=datetime.date(2000, 1, 1),
        ),
    ]
    events = [
        AuditEvent(
            action="create",
            route="import",
            object_type="casus",
            object_id="1",
            changes={"straat": "Bōkerstraße", "n": [1, 2.5, None, True], "leeg": {}},
            ip_address="2001:db8::1",
        ),
        AuditEvent(action="view", route="web", object_id="2", ip_address="192.0.2.7"),
        AuditEvent(action="view", route="web", object_id="3", ip_address=None),
    ]
    with transaction.atomic():
        insert_many(Case, cases)
        insert_many(AuditEvent, events)
        for written in (*cases, *events):
            stored = type(written).objects.get(pk=written.pk)
            for field in type(written)._meta.concrete_fields:
                expected = getattr(written, field.attname)
                assert getattr(stored, field.attname) == expected, field.name
        assert Case.objects.get(pk=cases[0].pk).description == long_text
        transaction.set_rollback(True)


@needs_copy
@pytest.mark.django_db
def test_a_value_of_another_type_than_its_column_fails_the_copy_and_writes_nothing():
    """Binary COPY writes a value by its column's type: a text where a date belongs is
    refused loudly (text COPY would have let PostgreSQL parse it), never stored wrongly."""
    district = District.objects.create(name="Noord")
    case = Case(
        reference="WO-2024-0003",
        district=district,
        housing_type="koop",
        registered_on="2024-01-31",
        last_activity_on=datetime.date(2024, 1, 31),
    )
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 (psycopg's own error)
        insert_many(Case, [case])
    assert not Case.objects.filter(reference="WO-2024-0003").exists()


@pytest.mark.django_db
def test_rows_from_a_generator_with_their_count_get_their_ids():
    rows = [{"action": "create", "object_id": str(n), "changes": {"n": n}} for n in range(5)]
    with transaction.atomic():
        insert_rows(AuditEvent, (row for row in rows), count=7)  # more ids than rows: fine
        stored = list(
            AuditEvent.objects.filter(pk__in=[row["id"] for row in rows])
            .order_by("pk")
            .values_list("object_id", "changes")
        )
        transaction.set_rollback(True)
    assert stored == [(str(n), {"n": n}) for n in range(5)]


@needs_copy
@pytest.mark.django_db
def test_rows_from_a_generator_beyond_their_count_or_with_a_query_write_nothing():
    def rows(query: bool):
        for n in range(3):
            if query and n == 1:
                District.objects.count()  # the connection is busy with the COPY
            yield {"action": "create", "object_id": f"gen-{n}"}

    with pytest.raises(ValueError, match="more rows than count"), transaction.atomic():
        insert_rows(AuditEvent, rows(query=False), count=2)
    with pytest.raises(RuntimeError, match="must not use the database"), transaction.atomic():
        insert_rows(AuditEvent, rows(query=True), count=3)
    assert not AuditEvent.objects.filter(object_id__startswith="gen-").exists()
