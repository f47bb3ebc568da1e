"""The pages of issue 12: Mijn casussen grouped, the team's Termijnen filtered, the audit log
in words, the print stylesheet."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from tests.factories import CaseFactory, action, casemanager, district, teamleider

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2024, 6, 19)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 6, 19, 12, 0), tick=False):
        yield


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


class TestMyCases:
    def test_what_needs_doing_today_comes_first_and_the_rest_is_grouped(self, client):
        user = casemanager()
        client.force_login(user)
        overdue = CaseFactory(casemanager=user, registered_on=D(2024, 6, 1))
        action(overdue, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, 10))
        today = CaseFactory(casemanager=user, registered_on=D(2024, 6, 1))
        action(today, performed_on=D(2024, 6, 3), follow_up_on=TODAY)
        this_week = CaseFactory(casemanager=user, registered_on=D(2024, 6, 1))
        action(this_week, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, 21))
        stalled = [CaseFactory(casemanager=user, registered_on=D(2022, 3, 1)) for _ in range(3)]

        html = client.get(reverse("cases:mine")).content.decode()
        first = section(html, "<h2>Vandaag te doen</h2>", "<h2>Verder</h2>")
        assert overdue.reference in first and today.reference in first
        assert this_week.reference not in first
        assert not any(case.reference in first for case in stalled)

        week = section(html, 'id="groep-deze-week"', "</details>")
        assert this_week.reference in week and ">1</span>" in week
        stalled_group = section(html, 'id="groep-stilgevallen"', "</details>")
        assert all(case.reference in stalled_group for case in stalled)
        assert ">3</span>" in stalled_group
        assert "<details" in html and " open" not in section(html, "<h2>Verder</h2>", "</main>")
        everything = section(html, 'id="groep-lopend"', "</details>")
        assert ">6</span>" in everything

    def test_todays_list_shows_its_most_urgent_and_links_to_termijnen(self, client, monkeypatch):
        from woonoverlast.followups import sections

        monkeypatch.setattr(sections, "GROUP_SHOWN", 2)
        user = casemanager()
        client.force_login(user)
        cases = [CaseFactory(casemanager=user, registered_on=D(2024, 6, 1)) for _ in range(3)]
        # Overdue for 9, 8 and 7 days, then today: the longest overdue is the most urgent.
        for case, day in zip(cases, (10, 11, 12), strict=True):
            action(case, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, day))
        today = CaseFactory(casemanager=user, registered_on=D(2024, 6, 1))
        action(today, performed_on=D(2024, 6, 3), follow_up_on=TODAY)

        html = client.get(reverse("cases:mine")).content.decode()
        first = section(html, "<h2>Vandaag te doen</h2>", "<h2>Verder</h2>")
        assert cases[0].reference in first and cases[1].reference in first
        assert cases[2].reference not in first and today.reference not in first
        assert "(4)" in first  # the caption counts them all
        assert "Hier staan de 2 meest urgente termijnen; er zijn er nog 2." in first
        assert f'href="{reverse("followups:due")}"' in first

    def test_todays_list_has_no_link_when_it_shows_everything(self, client):
        user = casemanager()
        client.force_login(user)
        case = CaseFactory(casemanager=user, registered_on=D(2024, 6, 1))
        action(case, performed_on=D(2024, 6, 3), follow_up_on=TODAY)
        html = client.get(reverse("cases:mine")).content.decode()
        first = section(html, "<h2>Vandaag te doen</h2>", "<h2>Verder</h2>")
        assert case.reference in first and "meest urgente" not in first
        assert f'href="{reverse("followups:due")}"' not in first

    def test_a_folded_group_shows_its_most_urgent_and_counts_the_rest(self, client, monkeypatch):
        from woonoverlast.followups import sections

        monkeypatch.setattr(sections, "GROUP_SHOWN", 2)
        user = casemanager()
        client.force_login(user)
        stalled = [
            CaseFactory(casemanager=user, registered_on=D(2022, 3, day)) for day in (1, 2, 3)
        ]
        html = client.get(reverse("cases:mine")).content.decode()
        group = section(html, 'id="groep-stilgevallen"', "</details>")
        assert ">3</span>" in group
        # The oldest two (the most urgent), the count of the rest and where to find them all.
        assert stalled[0].reference in group and stalled[1].reference in group
        assert stalled[2].reference not in group
        assert "Hier staan de 2 meest urgente termijnen; er zijn er nog 1." in group
        assert reverse("followups:due") in group

    def test_nothing_due(self, client):
        client.force_login(casemanager())
        html = client.get(reverse("cases:mine")).content.decode()
        assert "Er is niets verlopen en vandaag niets te doen." in html


class TestTeamDeadlines:
    @pytest.fixture
    def team(self):
        first, second = casemanager(first_name="Anna"), casemanager(first_name="Bert")
        mine = CaseFactory(casemanager=first, registered_on=D(2024, 6, 1))
        action(mine, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, 10))
        theirs = CaseFactory(casemanager=second, registered_on=D(2024, 6, 1))
        action(theirs, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, 10))
        quiet = CaseFactory(casemanager=second, registered_on=D(2022, 1, 1))
        return first, second, mine, theirs, quiet

    def references(self, response) -> set[str]:
        return {item.reference for item in response.context["team_due"]}

    def test_filtered_by_casemanager_and_kind(self, client, team):
        first, second, mine, theirs, quiet = team
        client.force_login(teamleider())
        url = reverse("followups:due")
        everything = self.references(client.get(url))
        assert {mine.reference, theirs.reference, quiet.reference} <= everything
        assert self.references(client.get(url, {"casemanager": first.pk})) == {mine.reference}
        assert self.references(client.get(url, {"casemanager": second.pk})) == {
            theirs.reference,
            quiet.reference,
        }
        assert self.references(
            client.get(url, {"casemanager": second.pk, "soort": "stilgevallen"})
        ) == {quiet.reference}
        response = client.get(url, {"soort": ["vervolg", "nazorg"]})
        assert self.references(response) == {mine.reference, theirs.reference}
        html = response.content.decode()
        assert 'value="vervolg" id="id_soort_0" checked' in html
        assert "Alle termijnen van het team" in html

    def test_a_wrong_value_is_an_error_in_dutch_and_shows_everything(self, client, team):
        client.force_login(teamleider())
        response = client.get(reverse("followups:due"), {"soort": "onzin"})
        assert len(response.context["team_due"]) == 3
        assert "Selecteer een geldige keuze" in response.content.decode()


class TestAuditLog:
    def events(self, count: int, by):
        from woonoverlast.cases import services
        from woonoverlast.cases.choices import ClosingReason, MeldingSource

        cases = []
        for number in range(count):
            case = CaseFactory(
                registered_on=D(2024, 5, 1), house_number=number + 1, casemanager=by, by=by
            )
            services.melding_add(
                case, received_on=D(2024, 5, 2), source=MeldingSource.RESIDENT, text="x", by=by
            )
            services.case_close(case, on=D(2024, 6, 1), reason=ClosingReason.RESOLVED, by=by)
            services.case_reopen(case, on=D(2024, 6, 3), reason="Nieuwe meldingen", by=by)
            cases.append(case)
        return cases

    def test_in_words(self, client):
        leader = teamleider(first_name="Ineke", last_name="de Groot")
        client.force_login(leader)
        (case,) = self.events(1, leader)
        html = client.get(reverse("audit:log")).content.decode()
        for internal in ("received_on", "2024-05-02", "closed →", "buurtbewoner<"):
            assert internal not in html, internal
        assert not re.search(r"#\d", html)  # no "casus #1401"
        assert "<dt>Datum melding</dt>" in html and "<dd>02-05-2024</dd>" in html
        assert "<dd>Buurtbewoner</dd>" in html
        assert "<dd>Afgerond → Lopend</dd>" in html
        assert f"casus {case.reference}" in html
        assert "Ineke de Groot" in html
        assert "<dt>Wijk</dt>" in html and "<dt>Woningtype</dt>" in html

    @pytest.mark.parametrize("count", [1, 10])
    def test_the_same_number_of_queries_for_1_and_10_cases(
        self, client, django_assert_num_queries, count
    ):
        leader = teamleider()
        self.events(count, leader)
        client.force_login(leader)
        client.get(reverse("audit:log"))  # warm up the session and caches
        # session, user, groups, unread berichten, open binnengekomen meldingen (the menu),
        # the count, the page, then one query per
        # kind of object named (users, cases): the same for any number of rows
        with django_assert_num_queries(QUERIES_AUDIT_LOG):
            response = client.get(reverse("audit:log"))
        assert response.status_code == 200


QUERIES_AUDIT_LOG = 9


class TestReassign:
    def test_the_reason_is_stored_audited_and_the_new_casemanager_told(self):
        from woonoverlast.audit.models import AuditAction, AuditEvent
        from woonoverlast.cases import services
        from woonoverlast.followups.models import Notification, NotificationKind

        leader, before, after = teamleider(first_name="Ineke"), casemanager(), casemanager()
        first = CaseFactory(casemanager=before)
        second = CaseFactory(casemanager=before)
        services.case_reassign(first, casemanager=after, reason="Verlof van collega", by=leader)
        services.case_reassign(second, casemanager=after, reason="Werkverdeling", by=leader)
        assert first.reassignments.get().reason == "Verlof van collega"
        event = AuditEvent.objects.get(action=AuditAction.REASSIGN, case=first)
        assert event.changes["reden"] == "(gewijzigd)"
        bericht = Notification.objects.get(recipient=after, kind=NotificationKind.ASSIGNED)
        assert bericht.title == "2 casussen aan u toegewezen"
        items = bericht.data["sections"][0]["items"]
        assert [item["reference"] for item in items] == [first.reference, second.reference]
        assert items[0]["when"] == "reden: Verlof van collega"
        assert "Verlof" not in bericht.body and first.reference in bericht.body
        assert not Notification.objects.filter(recipient=before).exists()

    def test_a_reason_is_required_and_the_same_casemanager_refused(self):
        from django.core.exceptions import ValidationError

        from woonoverlast.cases import services

        user = casemanager()
        case = CaseFactory(casemanager=user)
        with pytest.raises(ValidationError) as excinfo:
            services.case_reassign(case, casemanager=user, reason=" ", by=teamleider())
        assert set(excinfo.value.error_dict) == {"casemanager", "reason"}

    def test_a_team_leader_reassigns_several_cases_from_the_list(self, client):
        from woonoverlast.followups.models import Notification

        leader, after = teamleider(), casemanager()
        cases = [CaseFactory(house_number=number + 1) for number in range(3)]
        client.force_login(leader)
        page = client.get(reverse("cases:list"), {"status": "open"}).content.decode()
        assert 'form="bulk-toewijzen"' in page and "Gekozen casussen toewijzen" in page
        response = client.post(
            reverse("cases:reassign_many") + "?status=open",
            {
                "casussen": [cases[0].reference, cases[2].reference],
                "casemanager": after.pk,
                "reason": "Werkverdeling",
            },
            follow=True,
        )
        assert response.redirect_chain[-1][0] == reverse("cases:list") + "?status=open"
        assert "2 casussen zijn toegewezen aan" in response.content.decode()
        assert [case.casemanager for case in map(self.fresh, cases)] == [after, None, after]
        assert Notification.objects.get(recipient=after).title == "2 casussen aan u toegewezen"

    def test_a_refused_bulk_form_keeps_the_choice_and_stores_nothing(self, client):
        leader = teamleider()
        cases = [CaseFactory(house_number=number + 1) for number in range(2)]
        client.force_login(leader)
        response = client.post(
            reverse("cases:reassign_many"),
            {"casussen": [cases[1].reference], "casemanager": "", "reason": "Werkverdeling"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        reference = cases[1].reference
        assert f'id="kies-{reference}" form="bulk-toewijzen" checked' in html
        assert "Werkverdeling" in html and "Maak een keuze bij ‘Nieuwe casemanager’." in html
        assert all(self.fresh(case).casemanager is None for case in cases)

    def test_all_cases_matching_the_filters_on_every_page(self, client):
        """Issue 27, item 12: ticks on other pages were lost ("3 ticked, 1 reassigned")."""
        leader, after = teamleider(), casemanager()
        centrum = [CaseFactory(district=district("Centrum")) for _ in range(27)]
        other = CaseFactory(district=district("Meerzicht"))
        client.force_login(leader)
        query = f"?wijk={centrum[0].district_id}"
        page = client.get(reverse("cases:list") + query).content.decode()
        assert "Alle 27 casussen die aan de filters voldoen" in page
        assert '<input type="hidden" name="aantal" value="27">' in page
        post = {"alle": "on", "aantal": "27", "casemanager": after.pk, "reason": "Verlof"}
        response = client.post(reverse("cases:reassign_many") + query, post, follow=True)
        assert "27 casussen zijn toegewezen aan" in response.content.decode()
        assert all(self.fresh(case).casemanager == after for case in centrum)
        assert self.fresh(other).casemanager is None

    def test_all_matching_is_refused_when_the_list_changed(self, client):
        leader = teamleider()
        cases = [CaseFactory(district=district("Centrum")) for _ in range(2)]
        client.force_login(leader)
        query = f"?wijk={cases[0].district_id}"
        post = {"alle": "on", "aantal": "1", "casemanager": casemanager().pk, "reason": "x"}
        html = client.post(reverse("cases:reassign_many") + query, post).content.decode()
        assert "De lijst is veranderd sinds u hem zag" in html
        assert all(self.fresh(case).casemanager is None for case in cases)

    def test_the_service_reapplies_the_filters_and_the_rules(self):
        from django.core.exceptions import PermissionDenied
        from django.http import QueryDict

        from woonoverlast.cases import services

        cases = [CaseFactory(district=district("Centrum")) for _ in range(2)]
        CaseFactory(district=district("Meerzicht"))
        filters = QueryDict(f"wijk={cases[0].district_id}")
        with pytest.raises(PermissionDenied):
            services.case_reassign_matching(
                filters, expected=2, casemanager=casemanager(), reason="x", by=casemanager()
            )
        done = services.case_reassign_matching(
            filters, expected=2, casemanager=casemanager(), reason="x", by=teamleider()
        )
        assert sorted(case.pk for case in done) == sorted(case.pk for case in cases)

    def test_nothing_chosen_is_said_at_the_top_of_the_list(self, client):
        cases = [CaseFactory() for _ in range(30)]
        client.force_login(teamleider())
        html = client.post(
            reverse("cases:reassign_many"),
            {"casemanager": casemanager().pk, "reason": "Werkverdeling"},
        ).content.decode()
        message = "Kies een of meer casussen in de lijst, of kies alle casussen"
        assert html.index(message) < html.index('class="filters-panel"')
        assert all(self.fresh(case).casemanager is None for case in cases)

    def test_all_or_nothing(self):
        from django.core.exceptions import ValidationError

        from woonoverlast.cases import services

        cases = [CaseFactory(house_number=number + 1) for number in range(2)]
        with pytest.raises(ValidationError):
            services.case_reassign_many(cases, casemanager=casemanager(), reason="", by=None)
        assert all(self.fresh(case).casemanager is None for case in cases)

    def test_a_casemanager_cannot(self, client):
        case = CaseFactory()
        client.force_login(casemanager())
        response = client.post(
            reverse("cases:reassign_many"),
            {"casussen": [case.reference], "casemanager": casemanager().pk, "reason": "x"},
        )
        assert response.status_code == 403
        assert self.fresh(case).casemanager is None
        assert 'form="bulk-toewijzen"' not in client.get(reverse("cases:list")).content.decode()

    @staticmethod
    def fresh(case):
        case.refresh_from_db()
        return case
