"""Issue 17, finding 8: /audit/?tot=31-12-9999 was a 500 (OverflowError). Every date filter and
date field refuses dates outside a sane range with a Dutch error."""

import pytest
from django.urls import reverse

from tests.factories import teamleider

pytestmark = pytest.mark.django_db
OUT_OF_RANGE = "Vul een datum in tussen 01-01-1900 en 31-12-2099."


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("audit:log", {"tot": "31-12-9999"}),
        ("audit:log", {"van": "9999-12-31"}),
        ("audit:log", {"tot": "01-01-0001"}),
        ("cases:list", {"geregistreerd_tot": "31-12-9999"}),
        ("cases:list", {"peildatum": "9999-12-31"}),
        ("cases:list", {"actie_tot": "9999-12-31"}),
        ("cases:list", {"geen_actie_sinds": "0001-01-01"}),
        ("reports:tabel51", {"jaar": "2023", "peildatum": "9999-12-31"}),
    ],
)
def test_a_date_out_of_range_is_a_dutch_error(client, url, params):
    client.force_login(teamleider())
    response = client.get(reverse(url), params)
    assert response.status_code in (200, 400)
    assert OUT_OF_RANGE in response.content.decode()


def test_the_edges_of_the_range_are_fine(client):
    client.force_login(teamleider())
    response = client.get(reverse("audit:log"), {"van": "01-01-1900", "tot": "31-12-2099"})
    assert response.status_code == 200
    assert OUT_OF_RANGE not in response.content.decode()


def test_forms_share_the_rule():
    from woonoverlast.common.forms import DateField

    field = DateField(required=False)
    with pytest.raises(Exception, match="tussen 01-01-1900"):
        field.clean("31-12-2100")
    assert str(field.clean("31-12-2099")) == "2099-12-31"
