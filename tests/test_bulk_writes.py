"""woonoverlast.bulk.insert_streamed: rows from a generator that works between them (the
import checks the next case while PostgreSQL takes the ones before)."""

import pytest
from django.db import connection, transaction

from woonoverlast.bulk import insert_streamed
from woonoverlast.cases.models import District

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY: PostgreSQL only"),
]


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


def test_a_query_from_the_generator_is_refused_and_nothing_is_written():
    def districts():
        yield District(name="Eerste")
        District.objects.count()  # the connection is busy with the COPY
        yield District(name="Tweede")

    with pytest.raises(RuntimeError, match="must not use the database"), transaction.atomic():
        insert_streamed(District, districts(), count=2)
    assert not District.objects.filter(name__in=["Eerste", "Tweede"]).exists()
