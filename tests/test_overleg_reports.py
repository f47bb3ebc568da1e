"""The casusoverleg per year on the reports page and in its exports."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import CaseFactory, casemanager, rapportage
from tests.overleg_helpers import meeting_with_agenda, organisation, partner_user
from woonoverlast.overleg import services
from woonoverlast.overleg.choices import DataCategory, PartnerKind
from woonoverlast.overleg.reports import overleg_per_year

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def year_2024():
    corporatie = organisation("Vidomes", PartnerKind.CORPORATIE, categories=[DataCategory.ADDRESS])
    politie = organisation("Politie", PartnerKind.POLITIE, categories=[DataCategory.ADDRESS])
    corporatie_user, corporatie_contact = partner_user(corporatie)
    _, politie_contact = partner_user(politie)
    chair = casemanager()
    first, second, third = CaseFactory(), CaseFactory(), CaseFactory()
    _march, (item_a, item_b) = meeting_with_agenda(
        held_on=D(2024, 3, 1),
        contacts=[corporatie_contact, politie_contact],
        cases=[first, second],
        chair=chair,
    )
    _april, (item_c, item_a2) = meeting_with_agenda(
        held_on=D(2024, 4, 1), contacts=[corporatie_contact], cases=[third, first], chair=chair
    )
    # Not in 2024: not counted.
    meeting_with_agenda(held_on=D(2023, 12, 1), contacts=[politie_contact], cases=[third])

    def agree(item, due, **owner):
        return services.agreement_add(item=item, text="Doen", due_on=due, by=chair, **owner)

    on_time = agree(item_a, D(2024, 3, 10), owner_organisation=corporatie)
    late = agree(item_b, D(2024, 3, 10), owner_organisation=corporatie)
    agree(item_c, D(2024, 4, 10), owner_organisation=corporatie)
    agree(item_a2, D(2024, 4, 10), owner_user=chair)
    services.agreement_complete(on_time, on=D(2024, 3, 10), note="Gedaan", by=corporatie_user)
    services.agreement_complete(late, on=D(2024, 3, 11), note="Gedaan", by=corporatie_user)


def test_the_year_per_partner_kind(year_2024):
    rows = {row.label: row.cells()[1:] for row in overleg_per_year(2024).rows}
    assert rows["Woningcorporatie"] == [3, 3, 2, 1, 1]
    assert rows["Politie"] == [2, 0, 0, 0, 0]
    assert rows["Zorg- en Veiligheidshuis"] == [0, 0, 0, 0, 0]
    assert rows["Team (collega's)"] == ["", 1, 0, 0, 1]
    assert rows["Totaal"] == [3, 4, 2, 1, 2]
    assert overleg_per_year(2022).rows[-1].cells()[1:] == [0, 0, 0, 0, 0]


def test_the_page_and_its_exports(client, year_2024):
    client.force_login(rapportage())
    page = client.get(reverse("reports:overleg"), {"jaar": 2024}).content.decode()
    assert "Woningcorporatie" in page and "Op tijd uitgevoerd" in page
    csv = client.get(
        reverse("reports:overleg_export", kwargs={"file_format": "csv"}), {"jaar": 2024}
    )
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Soort partner;Casussen besproken")
    assert "Woningcorporatie;3;3;2;1;1" in lines
    xlsx = client.get(
        reverse("reports:overleg_export", kwargs={"file_format": "xlsx"}), {"jaar": 2024}
    )
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert (
        client.get(reverse("reports:overleg_export", kwargs={"file_format": "pdf"})).status_code
        == 404
    )
    bad = client.get(
        reverse("reports:overleg_export", kwargs={"file_format": "csv"}), {"jaar": "x"}
    )
    assert bad.status_code == 400
