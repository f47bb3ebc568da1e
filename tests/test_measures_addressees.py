"""More than one addressee on one maatregel: the veroorzaker and a rechthebbende (eigenaar,
verhuurder, corporatie), each with his own bekendmaking (art. 3:40 and 3:41 Awb) and so his
own bezwaartermijn (art. 6:7 and 6:8 Awb); the forfeiture guards run from the veroorzaker's
bekendmaking, and the besluit stands only when the last addressee's term has passed."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.factories import CaseFactory, measure
from tests.measures_helpers import codes, messages, record, state_of
from woonoverlast.audit.models import AuditEvent
from woonoverlast.cases.choices import PartyRole
from woonoverlast.cases.services import party_add
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.models import MeasureAddressee
from woonoverlast.measures.rules import DeadlineKind
from woonoverlast.measures.services import measure_addressee_add

pytestmark = pytest.mark.django_db

D = datetime.date
DECIDED_ON = D(2026, 1, 9)
NOTIFIED_ON = D(2026, 2, 3)  # the veroorzaker's bezwaartermijn ends Tuesday 17 March 2026
LANDLORD_NOTIFIED_ON = D(2026, 2, 10)  # the verhuurder's ends Tuesday 24 March 2026


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, 0), tick=False):
        yield


def prepared(cm, *, kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY):
    """A measure against a veroorzaker whose case also has a verhuurder, prepared up to the
    besluit."""
    case = CaseFactory(registered_on=D(2026, 1, 5))
    m = measure(case, by=cm, kind=kind)
    landlord = party_add(case, role=PartyRole.LANDLORD, name="Verhuur B.V.", by=None)
    record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 5), cm)
    record(m, Step.WEIGHING, D(2026, 1, 5), cm, note="Afweging vastgelegd")
    record(m, Step.WARNING_SENT, D(2026, 1, 6), cm)
    record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
    record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
    return m, landlord


def decided(m, tl, **data):
    data.setdefault("penalty_amount", Decimal("250"))
    data.setdefault("penalty_maximum", Decimal("2500"))
    data.setdefault("begunstigingstermijn_days", 14)
    record(m, Step.DECISION, DECIDED_ON, tl, **data)


def two_addressees(cm, tl):
    """Addressed to the veroorzaker and the verhuurder, decided, made known to both."""
    m, landlord = prepared(cm)
    addressee = measure_addressee_add(measure=m, party=landlord, on=D(2026, 1, 8), by=cm)
    decided(m, tl)
    record(m, Step.NOTIFIED, NOTIFIED_ON, cm)
    record(m, Step.NOTIFIED, LANDLORD_NOTIFIED_ON, cm, addressee=addressee)
    return m, addressee


# -- adding an addressee ------------------------------------------------------------------


def test_a_casemanager_adds_the_verhuurder_before_the_besluit_audited(cm):
    m, landlord = prepared(cm)
    addressee = measure_addressee_add(measure=m, party=landlord, on=D(2026, 1, 8), by=cm)
    m.refresh_from_db()
    assert m.addressee_count == 1
    assert addressee.role_label == "verhuurder"
    assert str(addressee) == "verhuurder"  # never the name
    event = AuditEvent.objects.filter(object_type="geadresseerde maatregel").get()
    assert "Verhuur" not in str(event.changes)


def test_an_addressee_is_refused_after_the_besluit(cm, tl):
    m, landlord = prepared(cm)
    decided(m, tl)
    with pytest.raises(ValidationError) as excinfo:
        measure_addressee_add(measure=m, party=landlord, on=D(2026, 1, 10), by=cm)
    assert codes(excinfo) == {"sequence"}
    assert "vóór het besluit" in messages(excinfo)
    assert not MeasureAddressee.objects.exists()


def test_an_addressee_of_a_role_the_kind_does_not_allow_is_refused(cm):
    m, _ = prepared(cm, kind=MeasureKind.PRESENCE_BAN)
    owner = party_add(m.case, role=PartyRole.OWNER, name="Eigenaar", by=None)
    with pytest.raises(ValidationError) as excinfo:
        measure_addressee_add(measure=m, party=owner, on=D(2026, 1, 8), by=cm)
    assert codes(excinfo) == {"respondent"}


def test_the_same_party_twice_or_the_veroorzaker_himself_is_refused(cm):
    m, landlord = prepared(cm)
    measure_addressee_add(measure=m, party=landlord, on=D(2026, 1, 8), by=cm)
    for party in (landlord, m.respondent):
        with pytest.raises(ValidationError) as excinfo:
            measure_addressee_add(measure=m, party=party, on=D(2026, 1, 8), by=cm)
        assert codes(excinfo) == {"duplicate"}
    assert MeasureAddressee.objects.count() == 1


def test_a_party_of_another_case_is_refused(cm):
    m, _ = prepared(cm)
    other, _ = prepared(cm)
    landlord = other.case.parties.get(role=PartyRole.LANDLORD)
    with pytest.raises(ValidationError) as excinfo:
        measure_addressee_add(measure=m, party=landlord, on=D(2026, 1, 8), by=cm)
    assert codes(excinfo) == {"respondent"}


# -- one bekendmaking and one bezwaartermijn per addressee ----------------------------------


def test_each_addressee_has_his_own_bezwaartermijn_labelled_by_role(cm, tl):
    m, _ = two_addressees(cm, tl)
    state = state_of(m)
    objection = [d for d in state.deadlines if d.kind == DeadlineKind.OBJECTION]
    assert [(d.label, d.due_on) for d in objection] == [
        ("Bezwaartermijn veroorzaker eindigt", D(2026, 3, 17)),
        ("Bezwaartermijn verhuurder eindigt", D(2026, 3, 24)),
    ]
    labels = dict(state.computed_dates())
    assert labels["Bezwaartermijn verhuurder eindigt"].ends_on == D(2026, 3, 24)


def test_one_addressee_keeps_the_single_label(cm, tl):
    m, _ = prepared(cm)
    decided(m, tl)
    record(m, Step.NOTIFIED, NOTIFIED_ON, cm)
    (objection,) = [d for d in state_of(m).deadlines if d.kind == DeadlineKind.OBJECTION]
    assert objection.label == "Bezwaartermijn eindigt"


def test_the_second_addressees_term_runs_on_its_last_day_and_lapses_the_day_after(cm, tl):
    from woonoverlast.measures.work import watched_deadlines

    m, _ = two_addressees(cm, tl)
    state = state_of(m)

    def objection_terms(today):
        found = watched_deadlines(state, today)
        return [d.label for d in found if d.kind == DeadlineKind.OBJECTION]

    assert objection_terms(D(2026, 3, 17)) == [
        "Bezwaartermijn veroorzaker eindigt",
        "Bezwaartermijn verhuurder eindigt",
    ]
    assert objection_terms(D(2026, 3, 24)) == ["Bezwaartermijn verhuurder eindigt"]
    assert objection_terms(D(2026, 3, 25)) == []


def test_the_measure_ends_for_archiving_after_the_last_addressees_term(cm, tl):
    from woonoverlast.measures.selection import measure_end_date

    m, _ = two_addressees(cm, tl)
    record(m, Step.ENDED, D(2026, 3, 1), cm)
    assert measure_end_date(m, on=D(2026, 3, 24)) is None  # his last day
    assert measure_end_date(m, on=D(2026, 3, 25)) == D(2026, 3, 24)


def test_irrevocable_waits_for_the_last_addressees_term(cm, tl):
    m, _ = two_addressees(cm, tl)
    assert state_of(m).onherroepelijk_on == D(2026, 3, 24)


def test_not_irrevocable_while_an_addressee_had_no_bekendmaking(cm, tl):
    m, landlord = prepared(cm)
    measure_addressee_add(measure=m, party=landlord, on=D(2026, 1, 8), by=cm)
    decided(m, tl)
    record(m, Step.NOTIFIED, NOTIFIED_ON, cm)
    state = state_of(m)
    assert state.addressees_niet_bekendgemaakt == 1
    assert state.onherroepelijk_on is None


def test_without_further_addressees_irrevocable_is_the_veroorzakers_term(cm, tl):
    m, _ = prepared(cm)
    decided(m, tl)
    record(m, Step.NOTIFIED, NOTIFIED_ON, cm)
    assert state_of(m).onherroepelijk_on == D(2026, 3, 17)


def test_the_bekendmaking_to_an_addressee_is_offered_after_the_veroorzakers(cm, tl):
    from woonoverlast.measures.services import steps_offered

    m, landlord = prepared(cm)
    measure_addressee_add(measure=m, party=landlord, on=D(2026, 1, 8), by=cm)
    decided(m, tl)
    record(m, Step.NOTIFIED, NOTIFIED_ON, cm)
    offered = {step for step, _ in steps_offered(state_of(m), user=cm, on=D(2026, 2, 5))}
    assert Step.NOTIFIED in offered


def test_the_same_addressee_made_known_twice_is_refused(cm, tl):
    m, addressee = two_addressees(cm, tl)
    with pytest.raises(ValidationError) as excinfo:
        record(m, Step.NOTIFIED, D(2026, 2, 11), cm, addressee=addressee)
    assert codes(excinfo) == {"sequence"}


def test_an_addressee_of_another_measure_is_refused(cm, tl):
    m, _ = two_addressees(cm, tl)
    _, other = two_addressees(cm, tl)
    with pytest.raises(ValidationError) as excinfo:
        record(m, Step.NOTIFIED, D(2026, 2, 11), cm, addressee=other)
    assert "invalid" in codes(excinfo)


def test_an_addressee_before_any_besluit_cannot_be_made_known(cm):
    m, landlord = prepared(cm)
    addressee = measure_addressee_add(measure=m, party=landlord, on=D(2026, 1, 8), by=cm)
    with pytest.raises(ValidationError):
        record(m, Step.NOTIFIED, D(2026, 1, 9), cm, addressee=addressee)


# -- whose bezwaar ----------------------------------------------------------------------


def test_the_verhuurders_bezwaar_stops_only_his_term_and_keeps_it_open(cm, tl):
    m, addressee = two_addressees(cm, tl)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 24), cm, addressee=addressee)
    state = state_of(m)
    objection = [d for d in state.deadlines if d.kind == DeadlineKind.OBJECTION]
    assert [d.addressee for d in objection] == ["veroorzaker"]
    assert state.onherroepelijk_on is None  # his bezwaar is not decided
    # His beslistermijn runs from the end of his own bezwaartermijn (24 March + 6 weeks =
    # 5 May, Bevrijdingsdag, a feestdag of art. 3 Atw: Wednesday 6 May).
    assert state.beslistermijn.ends_on == D(2026, 5, 6)


def test_the_veroorzaker_may_object_while_the_verhuurders_bezwaar_is_open(cm, tl):
    m, addressee = two_addressees(cm, tl)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 2), cm, addressee=addressee)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 3), cm)
    with pytest.raises(ValidationError) as excinfo:
        record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 4), cm, addressee=addressee)
    assert codes(excinfo) == {"sequence"}
    state = state_of(m)
    assert len(state.open_bezwaren) == 2
    record(m, Step.HEARING, D(2026, 3, 20), cm, outcome=Outcome.HEARD)
    record(m, Step.OBJECTION_DECIDED, D(2026, 4, 1), tl, outcome=Outcome.UNFOUNDED)
    record(m, Step.NOTIFIED, D(2026, 4, 2), cm)
    state = state_of(m)
    assert state.open_bezwaar is None
    # Both bezwaren decided and made known on 2 April: six weeks from the day after end on
    # Thursday 14 May (Hemelvaartsdag), Friday 15 May is an equated day, then the weekend.
    assert state.onherroepelijk_on == D(2026, 5, 18)


def test_a_bezwaar_made_after_the_other_addressees_was_decided_waits_for_its_own_decision(cm, tl):
    # Art. 6:8 Awb: each addressee's bezwaar is decided on its own; the beslissing op the
    # verhuurder's bezwaar does not decide the veroorzaker's, made within his own term the
    # day after: the besluit is not onaantastbaar until that one is decided and made known.
    m, addressee = two_addressees(cm, tl)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 2), cm, addressee=addressee)
    record(m, Step.HEARING, D(2026, 3, 4), cm, outcome=Outcome.HEARD)
    record(m, Step.OBJECTION_DECIDED, D(2026, 3, 5), tl, outcome=Outcome.UNFOUNDED)
    record(m, Step.OBJECTION_RECEIVED, D(2026, 3, 6), cm)  # his term ends 17 March
    state = state_of(m)
    assert state.open_bezwaar is not None
    assert state.onherroepelijk_on is None
    record(m, Step.HEARING, D(2026, 3, 20), cm, outcome=Outcome.HEARD)
    record(m, Step.OBJECTION_DECIDED, D(2026, 4, 1), tl, outcome=Outcome.UNFOUNDED)
    record(m, Step.NOTIFIED, D(2026, 4, 2), cm)
    # His beslissing made known on 2 April: six weeks end on 18 May (as above).
    assert state_of(m).onherroepelijk_on == D(2026, 5, 18)


# -- the forfeiture guards run from the veroorzaker's bekendmaking --------------------------


def test_forfeiture_runs_from_the_veroorzakers_bekendmaking(cm, tl):
    m, _ = two_addressees(cm, tl)
    state = state_of(m)
    # 14 days from 3 February: the term ends 17 February; the verhuurder's later
    # bekendmaking does not move it.
    assert state.begunstigingstermijn.ends_on == D(2026, 2, 17)
    assert state.enforcement_from == D(2026, 2, 18)


def test_a_bekendmaking_to_the_verhuurder_alone_gives_the_last_no_effect(cm, tl):
    m, landlord = prepared(cm)
    addressee = measure_addressee_add(measure=m, party=landlord, on=D(2026, 1, 8), by=cm)
    decided(m, tl)
    record(m, Step.NOTIFIED, LANDLORD_NOTIFIED_ON, cm, addressee=addressee)
    state = state_of(m)
    assert state.bekendmaking is None
    assert "nog niet bekendgemaakt" in state.enforcement_refusal(D(2026, 4, 1))
    # The veroorzaker's bekendmaking is still to record.
    record(m, Step.NOTIFIED, D(2026, 2, 12), cm)
    assert state_of(m).enforcement_from == D(2026, 2, 27)


# -- the screens and the API ------------------------------------------------------------------


def test_the_case_file_offers_adding_and_shows_the_addressee_by_role(client, cm):
    from django.urls import reverse

    m, landlord = prepared(cm)
    client.force_login(cm)
    case_url = reverse("cases:detail", kwargs={"reference": m.case.reference})
    add_url = reverse("measures:addressee_add", kwargs={"pk": m.pk})
    assert add_url in client.get(case_url).content.decode()
    form = client.get(add_url)
    assert "Verhuur B.V." in form.content.decode()
    response = client.post(
        add_url, {"party": landlord.pk, "on": "08-01-2026", **_once(form)}, follow=True
    )
    assert response.status_code == 200
    assert MeasureAddressee.objects.filter(measure=m, party=landlord).exists()
    page = client.get(case_url).content.decode()
    assert "Ook gericht tot" in page and "verhuurder" in page


def test_the_bekendmaking_form_asks_to_whom_once_there_are_addressees(client, cm, tl):
    from django.urls import reverse

    m, landlord = prepared(cm)
    measure_addressee_add(measure=m, party=landlord, on=D(2026, 1, 8), by=cm)
    decided(m, tl)
    client.force_login(cm)
    url = reverse("measures:step", kwargs={"pk": m.pk, "step": Step.NOTIFIED})
    page = client.get(url).content.decode()
    assert "Bekendgemaakt aan" in page and "De veroorzaker" in page


def _once(form_response) -> dict:
    """The once-token of a form page (OnceFormMixin), if it has one."""
    import re

    found = re.search(r'name="(once[^"]*)" value="([^"]*)"', form_response.content.decode())
    return {found.group(1): found.group(2)} if found else {}


def test_the_api_adds_an_addressee_and_records_his_bekendmaking(cm, tl):
    from tests.api_helpers import token_client

    m, landlord = prepared(cm)
    client = token_client(cm)
    response = client.post(
        f"/api/v1/maatregelen/{m.pk}/geadresseerden/",
        {"betrokkene": landlord.pk, "datum": "2026-01-08"},
        format="json",
    )
    assert response.status_code == 201, response.content
    (addressee,) = response.json()["geadresseerden"]
    assert addressee["rol"] == "verhuurder" and addressee["betrokkene"] == landlord.pk
    decided(m, tl)
    record(m, Step.NOTIFIED, NOTIFIED_ON, cm)
    response = client.post(
        f"/api/v1/maatregelen/{m.pk}/stappen/",
        {"stap": "bekendgemaakt", "datum": "2026-02-10", "geadresseerde": addressee["id"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["bezwaartermijnen"] == [
        {
            "geadresseerde": None,
            "rol": "veroorzaker",
            "bekendgemaakt_op": "2026-02-03",
            "tot": "2026-03-17",
        },
        {
            "geadresseerde": addressee["id"],
            "rol": "verhuurder",
            "bekendgemaakt_op": "2026-02-10",
            "tot": "2026-03-24",
        },
    ]
    assert body["stappen"][-1]["geadresseerde"] == addressee["id"]
    refused = client.post(
        f"/api/v1/maatregelen/{m.pk}/stappen/",
        {"stap": "bekendgemaakt", "datum": "2026-02-11", "geadresseerde": 999999},
        format="json",
    )
    assert refused.status_code == 400


def test_a_letter_of_the_addressees_bekendmaking_states_his_own_term(cm, tl):
    from woonoverlast.documents.merge_fields import measure_values

    m, addressee = two_addressees(cm, tl)
    step = m.steps.get(addressee=addressee)
    values = measure_values(step, on=D(2026, 2, 10))
    assert values["bekendgemaakt_op"] == "10 februari 2026"
    assert values["bezwaartermijn"] == "uiterlijk op 24 maart 2026"
