"""RETENTION_MONTHS is the working term of the screens (issue 25, "Inside the term: minimise,
don't destroy"): a case closed longer ago is left out of searches and lists (the case list and
its export, the header's search, the API's list, the intake's possible matches, Mijn
casussen's nazorg), stays whole and opens by its reference under the closed-case rule, a team
leader may ask the list for it, and it counts in Tabel 5.1 as before."""

import datetime
import re

import pytest
from django.urls import reverse

from reports import tabel51
from tests.api_helpers import token_client
from tests.factories import CaseFactory, casemanager, intake_melding, teamleider
from woonoverlast.archiving.models import CaseArchive
from woonoverlast.cases import services as case_services
from woonoverlast.cases.choices import PartyRole
from woonoverlast.cases.models import Case, Party
from woonoverlast.cases.services.retention import retention_limit
from woonoverlast.followups.models import FollowUpSettings
from woonoverlast.followups.selection import due_for_user
from woonoverlast.intake.matching import matching_cases

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.fixture
def cases():
    """Two closed cases at the same street with the same party name: one closed on the
    working limit's day (in the term), one the day before (past it); and an open one."""
    limit = retention_limit()
    cm = casemanager()
    made = {}
    for label, closed_on, number in (("in", limit, 1), ("past", limit - DAY, 2)):
        case = CaseFactory(
            registered_on=limit - datetime.timedelta(days=60),
            closed_on=closed_on,
            casemanager=cm,
            street="Werktermijnlaan",
            house_number=number,
            postcode="2711 WT",
        )
        Party.objects.create(case=case, role=PartyRole.RESPONDENT, name="Willemijn Termijn")
        made[label] = case
    made["open"] = CaseFactory(casemanager=cm, street="Werktermijnlaan", house_number=3)
    made["casemanager"] = cm
    return made


def _listed(client, **params) -> str:
    """The list's rows: the links to the cases (the search box repeats the query)."""
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return " ".join(
        re.findall(r'href="/casussen/(WO-[0-9]{4}-[0-9]{4})/"', response.content.decode())
    )


@pytest.mark.parametrize("who", ["casemanager", "teamleider"])
@pytest.mark.parametrize(
    "query", [{}, {"q": "Werktermijnlaan"}, {"q": "Willemijn"}, {"q": "2711WT"}]
)
def test_the_case_list_and_its_searches_leave_out_a_case_past_the_working_term(
    client, cases, who, query
):
    user = cases["casemanager"] if who == "casemanager" else teamleider()
    client.force_login(user)
    listed = _listed(client, status="closed", **query)
    assert cases["in"].reference in listed  # closed on the limit's day: still in the term
    assert cases["past"].reference not in listed  # the day before: past it
    html = client.get(reverse("cases:list"), {"status": "closed", **query}).content.decode()
    assert "meer dan 24 maanden geleden zijn afgerond" in html


def test_every_search_branch_leaves_it_out(client, cases):
    """Reference, address (street + number, postcode + number) and party name."""
    client.force_login(teamleider())
    past = cases["past"]
    for text in (past.reference, "Werktermijnlaan 2", "2711 WT 2", "Willemijn Termijn"):
        html = _listed(client, q=text)
        assert past.reference not in html, text


def test_the_header_search_does_not_open_it(client, cases):
    client.force_login(cases["casemanager"])
    response = client.get(reverse("cases:list"), {"q": cases["past"].reference, "via": "kop"})
    assert response.status_code == 200  # no redirect to the case: it was not found
    assert cases["past"].reference not in _listed(client, q=cases["past"].reference, via="kop")
    assert (
        cases["in"].get_absolute_url()
        == client.get(reverse("cases:list"), {"q": cases["in"].reference, "via": "kop"}).url
    )


def test_a_team_leader_asks_the_list_for_it_and_the_audit_log_says_so(client, cases):
    from woonoverlast.audit.models import AuditEvent

    client.force_login(teamleider())
    listed = _listed(client, q="Willemijn", ook_archief="ja")
    assert cases["past"].reference in listed and cases["in"].reference in listed
    html = client.get(reverse("cases:list"), {"q": "Willemijn", "ook_archief": "ja"}).content
    html = html.decode()
    assert "meer dan 24 maanden geleden zijn afgerond" not in html
    assert "Ook casussen die langer geleden zijn afgerond: <strong>ja</strong>" in html
    event = AuditEvent.objects.filter(changes__pagina="Casussen").latest("id")
    assert cases["past"].reference in event.changes["adressen getoond"]


def test_a_casemanager_cannot_ask_for_it(client, cases):
    client.force_login(cases["casemanager"])
    listed = _listed(client, status="closed", ook_archief="ja")
    assert cases["past"].reference not in listed and cases["in"].reference in listed
    html = client.get(reverse("cases:list")).content.decode()
    assert 'name="ook_archief"' not in html


def test_the_setting_moves_the_limit(client, cases, settings):
    settings.RETENTION_MONTHS = 240
    client.force_login(cases["casemanager"])
    assert cases["past"].reference in _listed(client, status="closed")


def test_the_export_leaves_it_out_unless_asked(client, cases):
    client.force_login(teamleider())
    body = client.get(reverse("cases:export"), {"q": "Werktermijnlaan"}).content.decode()
    assert cases["in"].reference in body and cases["past"].reference not in body
    body = client.get(
        reverse("cases:export"), {"q": "Werktermijnlaan", "ook_archief": "ja"}
    ).content.decode()
    assert cases["past"].reference in body


def test_the_api_list_leaves_it_out_unless_a_team_leader_asks(cases):
    def references(user, **params) -> set[str]:
        response = token_client(user).get("/api/v1/casussen/", {"q": "Werktermijnlaan", **params})
        assert response.status_code == 200
        return {row["referentie"] for row in response.json()["results"]}

    cm = cases["casemanager"]
    assert references(cm) == {cases["in"].reference, cases["open"].reference}
    assert cases["past"].reference not in references(cm, ook_archief="true")
    assert cases["past"].reference in references(teamleider(), ook_archief="true")


def test_the_case_itself_stays_whole_and_opens_by_its_reference(client, cases):
    """Nothing is blanked for the working term; the case file opens under the closed-case
    rule (its casemanager, a team leader), its archive data with it."""
    past = Case.objects.get(pk=cases["past"].pk)
    assert past.street == "Werktermijnlaan" and past.anonymised_at is None
    assert Party.objects.get(case=past).name == "Willemijn Termijn"
    assert CaseArchive.objects.get(case=past).archiefactiedatum is not None
    for user in (cases["casemanager"], teamleider()):
        client.force_login(user)
        html = client.get(past.get_absolute_url()).content.decode()
        assert "Willemijn Termijn" in html
    client.force_login(casemanager())  # someone else's closed case: shut out, as before
    html = client.get(past.get_absolute_url()).content.decode()
    assert "Willemijn Termijn" not in html


def test_tabel_5_1_counts_it_as_before(cases):
    past = cases["past"]
    year = past.registered_on.year
    table = tabel51.compute(year)
    in_year = Case.objects.filter(registered_on__year=year).count()
    assert table.total.total == in_year >= 1


@pytest.mark.parametrize("who", ["teamleider", "casemanager"])
def test_a_tabel_5_1_link_lists_what_the_number_counts_for_a_team_leader(client, cases, who):
    """The figure's link asks for the cases past the working term too: a team leader's list
    then holds exactly the cases the number counts; anyone else's leaves them out and says so."""
    from reports.links import table_cell_url

    past = cases["past"]
    year = past.registered_on.year
    table = tabel51.compute(year, as_of=tabel51.year_end(year))
    client.force_login(teamleider() if who == "teamleider" else cases["casemanager"])
    listed = _listed(client, **_query(table_cell_url(table)))
    in_year = Case.objects.filter(registered_on__year=year)
    assert (past.reference in listed) is (who == "teamleider")
    if who == "teamleider":
        assert sorted(listed.split()) == sorted(in_year.values_list("reference", flat=True))
        assert len(listed.split()) == table.total.total


def _query(url: str) -> dict:
    from urllib.parse import parse_qs, urlsplit

    return {name: values for name, values in parse_qs(urlsplit(url).query).items()}


def test_the_intake_does_not_propose_it(cases, settings):
    """RECENTLY_CLOSED_DAYS (180) is inside the default term; with a shorter term the
    working term decides."""
    settings.RETENTION_MONTHS = 3
    today = retention_limit() + datetime.timedelta(days=92)  # limit (3 months back) moves
    limit = retention_limit(today)
    cm = cases["casemanager"]
    near = {}
    for label, closed_on, number in (("in", limit, 20), ("past", limit - DAY, 21)):
        near[label] = CaseFactory(
            registered_on=limit - datetime.timedelta(days=30),
            closed_on=closed_on,
            casemanager=cm,
            street="Intakestraat",
            house_number=number,
            postcode="2711 IN",
        )
        case_services.party_add(near[label], role=PartyRole.REPORTER, name="Ina Take", by=None)
    melding = intake_melding(reporter_name="Ina Take", postcode="2711 IN", house_number=20)
    found = {match.case for match in matching_cases([melding], today=today)[melding.pk]}
    assert near["in"] in found and near["past"] not in found


def test_mijn_casussen_has_no_nazorg_for_it(settings):
    import time_machine

    FollowUpSettings.objects.update_or_create(
        pk=1,
        defaults={"stalled_after_days": 30, "aftercare_after_weeks": 6, "aftercare_since": None},
    )
    settings.RETENTION_MONTHS = 3
    worker = casemanager()
    with time_machine.travel(datetime.datetime(2024, 2, 1, 12), tick=False):
        in_term = CaseFactory(
            registered_on=D(2024, 1, 2), casemanager=worker, closed_on=D(2024, 2, 1)
        )
        past = CaseFactory(
            registered_on=D(2024, 1, 2), casemanager=worker, closed_on=D(2024, 1, 31)
        )
    # 1 May 2024: the limit is 1 February; both were due for nazorg (6 weeks).
    with time_machine.travel(datetime.datetime(2024, 5, 1, 12), tick=False):
        due = {item.case_id for item in due_for_user(worker).aftercare}
    assert in_term.pk in due and past.pk not in due


def test_a_list_of_open_cases_keeps_to_the_term_by_their_status(client, cases):
    """Today's open cases are in the term by definition: the list asks the status alone (the
    status index answers it, docs/performance.md). On a peildatum the status is that day's,
    so the term's closing date still decides."""
    from django.http import QueryDict

    from woonoverlast.cases.filters import CaseFilter

    client.force_login(teamleider())
    listed = _listed(client, status="open", q="Werktermijnlaan")
    assert cases["open"].reference in listed
    assert cases["in"].reference not in listed and cases["past"].reference not in listed
    as_of = (cases["past"].closed_on - datetime.timedelta(days=30)).isoformat()
    listed = _listed(client, status="open", peildatum=as_of, q="Werktermijnlaan")
    assert cases["in"].reference in listed  # open on that day, closed within the term
    assert cases["past"].reference not in listed  # open on that day, closed before the term

    filterset = CaseFilter(QueryDict("status=open"), queryset=Case.objects.all())
    assert filterset.is_valid()
    assert "closed_on" not in str(filterset.qs.query).split(" WHERE ")[1]
    filterset = CaseFilter(QueryDict("status=closed"), queryset=Case.objects.all())
    assert filterset.is_valid() and "closed_on" in str(filterset.qs.query).split(" WHERE ")[1]
