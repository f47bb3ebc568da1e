"""The casework screens through Django's test client: every flow, asserting what was stored."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from tests.factories import CaseFactory, action, casemanager, district, rapportage, teamleider
from woonoverlast import urls as project_urls
from woonoverlast.cases import services
from woonoverlast.cases.choices import (
    ActionType,
    ClosingReason,
    Complexity,
    HousingType,
    MeldingSource,
    PartyRole,
    Status,
)
from woonoverlast.cases.filters import SORTS
from woonoverlast.cases.models import Case, Category, District, HousingCorporation

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 15)
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 6, 15, 12, 0), tick=False):
        yield


@pytest.fixture
def cm(client):
    user = casemanager()
    client.force_login(user)
    return user


@pytest.fixture
def tl(client):
    user = teamleider()
    client.force_login(user)
    return user


def url(name, case=None, **query):
    path = reverse(name, kwargs={"reference": case.reference} if case else {})
    if query:
        from urllib.parse import urlencode

        path += "?" + urlencode(query, doseq=True)
    return path


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# -- new case ----------------------------------------------------------------------------------


def new_case_data(**overrides):
    data = {
        "district": district("Meerzicht").pk,
        "housing_type": HousingType.KOOP,
        "street": "Dorpsstraat",
        "house_number": "12",
        "house_number_addition": "a",
        "postcode": "2713ab",
        "categories": [],
        "first_melding_source": MeldingSource.POLICE,
        "first_melding_on": "",
        "first_melding_text": "Harde muziek tot diep in de nacht.",
        "description": "Geluidsoverlast vanaf de bovenwoning.",
        "complexity": Complexity.SIMPLE,
        "registered_on": "14-06-2024",
    }
    data.update(overrides)
    return data


class TestCreate:
    def test_registers_the_case_with_its_first_melding(self, client, cm):
        noise, care = Category.objects.order_by("pk")[:2]
        data = new_case_data(categories=[noise.pk, care.pk], complexity=Complexity.COMPLEX)
        response = client.post(url("cases:create"), data, follow=True)

        case = Case.objects.get()
        assert response.redirect_chain == [(case.get_absolute_url(), 302)]
        assert (case.reference, case.district.name, case.housing_type) == (
            "WO-2024-0001",
            "Meerzicht",
            HousingType.KOOP,
        )
        assert case.address == "Dorpsstraat 12A, 2713 AB"
        assert case.registered_on == D(2024, 6, 14)  # typed as dd-mm-jjjj
        assert case.complexity == Complexity.COMPLEX
        assert set(case.categories.all()) == {noise, care}
        assert case.casemanager == cm and case.created_by == cm
        assert case.status == Status.OPEN
        melding = case.meldingen.get()
        assert (melding.received_on, melding.source, melding.text) == (
            D(2024, 6, 14),
            MeldingSource.POLICE,
            "Harde muziek tot diep in de nacht.",
        )
        assert messages_of(response) == ["Casus WO-2024-0001 is geregistreerd."]

    def test_accepts_the_date_pickers_iso_dates(self, client, cm):
        client.post(url("cases:create"), new_case_data(registered_on="2024-06-01"))
        assert Case.objects.get().registered_on == D(2024, 6, 1)

    def test_a_refusal_of_the_service_is_shown_next_to_the_field_with_the_input_kept(
        self, client, cm
    ):
        response = client.post(url("cases:create"), new_case_data(registered_on="16-06-2024"))
        assert response.status_code == 200
        assert Case.objects.count() == 0
        form = response.context["form"]
        assert form.errors == {"registered_on": ["De datum mag niet in de toekomst liggen."]}
        page = text_of(response)
        assert 'value="Dorpsstraat"' in page
        assert "Harde muziek tot diep in de nacht." in page
        assert 'value="2024-06-16"' in page  # as the date picker wants it

    def test_an_unreadable_date_is_refused_in_dutch(self, client, cm):
        response = client.post(url("cases:create"), new_case_data(registered_on="31-02-2024"))
        assert response.context["form"].errors["registered_on"] == [
            "“31-02-2024” is geen geldige datum. Vul een datum in als dd-mm-jjjj, "
            "bijvoorbeeld 31-12-2023."
        ]

    def test_an_invalid_postcode_is_refused_in_dutch(self, client, cm):
        response = client.post(url("cases:create"), new_case_data(postcode="0711 AB"))
        assert response.context["form"].errors["postcode"] == [
            "Vul een geldige Nederlandse postcode in, bijvoorbeeld 2711 AB."
        ]
        assert Case.objects.count() == 0

    def test_a_melding_in_the_future_is_refused_next_to_its_field(self, client, cm):
        response = client.post(url("cases:create"), new_case_data(first_melding_on="2024-06-20"))
        assert response.context["form"].errors == {
            "first_melding_on": ["De datum mag niet in de toekomst liggen."]
        }
        assert Case.objects.count() == 0

    def test_a_corporation_with_another_housing_type_is_not_dropped_silently(self, client, cm):
        corporation = HousingCorporation.objects.create(name="Vidomes")
        response = client.post(url("cases:create"), new_case_data(corporation=corporation.pk))
        assert "corporation" in response.context["form"].errors
        assert Case.objects.count() == 0

    def test_a_casemanager_becomes_the_casemanager_whatever_is_posted(self, client, cm):
        other = casemanager()
        client.post(url("cases:create"), new_case_data(casemanager=other.pk))
        assert Case.objects.get().casemanager == cm

    def test_a_team_leader_assigns_or_leaves_it_unassigned(self, client, tl):
        other = casemanager()
        client.post(url("cases:create"), new_case_data(casemanager=other.pk))
        client.post(url("cases:create"), new_case_data(casemanager="", house_number="14"))
        assert list(Case.objects.order_by("pk").values_list("casemanager", flat=True)) == [
            other.pk,
            None,
        ]

    def test_warns_when_an_open_case_exists_at_the_address(self, client, cm):
        existing = CaseFactory(postcode="2713 AB", house_number=12, house_number_addition="A")
        response = client.post(url("cases:create"), new_case_data())
        assert response.status_code == 200
        assert Case.objects.count() == 1  # nothing registered yet
        page = text_of(response)
        assert "Er loopt al een casus op dit adres" in page
        assert f'href="{existing.get_absolute_url()}"' in page
        assert "Toch registreren" in page
        assert 'value="Harde muziek' not in page  # textarea: the text is its content
        assert "Harde muziek tot diep in de nacht." in page

        response = client.post(url("cases:create"), new_case_data(confirm_duplicate="on"))
        assert response.status_code == 302
        assert Case.objects.count() == 2

    @pytest.mark.parametrize(
        "other",
        [
            {"house_number": 14, "house_number_addition": "A"},  # another number
            {"house_number": 12, "house_number_addition": ""},  # another addition
            {"house_number": 12, "house_number_addition": "A", "closed_on": D(2024, 1, 1)},
        ],
    )
    def test_no_warning_for_another_address_or_a_closed_case(self, client, cm, other):
        CaseFactory(postcode="2713 AB", **other)
        response = client.post(url("cases:create"), new_case_data())
        assert response.status_code == 302
        assert Case.objects.count() == 2


# -- editing -----------------------------------------------------------------------------------


def edit_data(case, **overrides):
    data = {
        "district": case.district_id,
        "housing_type": case.housing_type,
        "corporation": "",
        "street": case.street,
        "house_number": case.house_number or "",
        "house_number_addition": case.house_number_addition,
        "postcode": case.postcode,
        "categories": [],
        "partners": [],
        "complexity": case.complexity,
        "description": case.description,
        "registered_on": case.registered_on.isoformat(),
        "next_review_on": "",
        "version": case.version,
    }
    data.update(overrides)
    return data


class TestEdit:
    def test_the_form_shows_the_case_and_its_version(self, client, cm):
        case = CaseFactory(street="Dorpsstraat")
        response = client.get(url("cases:edit", case))
        page = text_of(response)
        assert 'value="Dorpsstraat"' in page
        assert f'name="version" value="{case.version}"' in page

    def test_saves_the_facts(self, client, cm):
        case = CaseFactory()
        category = Category.objects.first()
        response = client.post(
            url("cases:edit", case),
            edit_data(
                case,
                street="Nieuwe Weg",
                categories=[category.pk],
                next_review_on="01-07-2024",
                district=district("Rokkeveen").pk,
            ),
            follow=True,
        )
        case.refresh_from_db()
        assert (case.street, case.district.name, case.next_review_on) == (
            "Nieuwe Weg",
            "Rokkeveen",
            D(2024, 7, 1),
        )
        assert list(case.categories.all()) == [category]
        assert case.version == 2
        assert messages_of(response) == [f"De gegevens van casus {case.reference} zijn opgeslagen."]

    def test_refuses_a_form_filled_from_an_outdated_copy_and_keeps_the_input(self, client, cm):
        case = CaseFactory(street="Dorpsstraat")
        data = edit_data(case, street="Mijn Straat")
        services.case_update(case, by=None, description="Intussen gewijzigd")  # someone else

        response = client.post(url("cases:edit", case), data)
        assert response.status_code == 200
        page = text_of(response)
        assert "Iemand anders heeft deze casus gewijzigd" in page
        assert 'value="Mijn Straat"' in page
        case.refresh_from_db()
        assert (case.street, case.description, case.version) == (
            "Dorpsstraat",
            "Intussen gewijzigd",
            2,
        )


# -- actions, huisbezoeken, meldingen, parties -------------------------------------------------


class TestActivity:
    def test_logs_an_action_with_a_follow_up(self, client, cm):
        case = CaseFactory()
        response = client.post(
            url("cases:action_add", case),
            {
                "action_type": ActionType.CONVERSATION,
                "performed_on": "10-06-2024",
                "notes": "Gesprek met de bewoner.",
                "follow_up_on": "2024-06-24",
            },
            follow=True,
        )
        stored = case.actions.get()
        assert (stored.action_type, stored.performed_on, stored.follow_up_on) == (
            ActionType.CONVERSATION,
            D(2024, 6, 10),
            D(2024, 6, 24),
        )
        assert stored.notes == "Gesprek met de bewoner." and stored.performed_by == cm
        assert response.redirect_chain == [(f"{case.get_absolute_url()}#tijdlijn", 302)]
        assert messages_of(response) == [
            f"Gesprek van 10-06-2024 is vastgelegd bij casus {case.reference}."
        ]

    def test_the_action_form_offers_no_huisbezoek(self, client, cm):
        case = CaseFactory()
        response = client.post(
            url("cases:action_add", case),
            {"action_type": ActionType.HOME_VISIT, "performed_on": "2024-06-10"},
        )
        assert "action_type" in response.context["form"].errors
        assert case.actions.count() == 0

    def test_logs_a_huisbezoek(self, client, cm):
        case = CaseFactory()
        client.post(
            url("cases:visit_add", case),
            {
                "performed_on": "14-06-2024",
                "present": "Bewoner, wijkagent",
                "findings": "Woning sterk vervuild.",
                "follow_up_on": "28-06-2024",
            },
        )
        visit = case.actions.get()
        assert visit.action_type == ActionType.HOME_VISIT
        assert (visit.present, visit.findings) == ("Bewoner, wijkagent", "Woning sterk vervuild.")
        assert (visit.performed_on, visit.follow_up_on) == (D(2024, 6, 14), D(2024, 6, 28))
        assert visit.performed_by == cm

    def test_a_huisbezoek_needs_findings_and_a_follow_up_after_the_visit(self, client, cm):
        case = CaseFactory()
        response = client.post(
            url("cases:visit_add", case),
            {
                "performed_on": "2024-06-14",
                "present": "Bewoner",
                "findings": "",
                "follow_up_on": "2024-06-01",
            },
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["findings"]
        assert case.actions.count() == 0
        response = client.post(
            url("cases:visit_add", case),
            {
                "performed_on": "2024-06-14",
                "present": "Bewoner",
                "findings": "Rustig.",
                "follow_up_on": "2024-06-01",
            },
        )
        assert response.context["form"].errors == {
            "follow_up_on": ["De vervolgdatum mag niet voor de datum van de actie liggen."]
        }
        assert 'value="Bewoner"' in text_of(response)
        assert case.actions.count() == 0

    def test_adds_a_melding(self, client, cm):
        case = CaseFactory()
        client.post(
            url("cases:melding_add", case),
            {"received_on": "12-06-2024", "source": MeldingSource.CORPORATION, "text": "Stank."},
        )
        melding = case.meldingen.get()
        assert (melding.received_on, melding.source, melding.text, melding.created_by) == (
            D(2024, 6, 12),
            MeldingSource.CORPORATION,
            "Stank.",
            cm,
        )

    def test_adds_a_party_shown_on_the_case_file(self, client, cm):
        case = CaseFactory()
        response = client.post(
            url("cases:party_add", case),
            {
                "role": PartyRole.RESPONDENT,
                "name": "Jan de Boer",
                "phone": "06-12345678",
                "email": "jan@example.org",
                "address": "",
                "notes": "",
            },
            follow=True,
        )
        party = case.parties.get()
        assert (party.role, party.name, party.phone, party.email) == (
            PartyRole.RESPONDENT,
            "Jan de Boer",
            "06-12345678",
            "jan@example.org",
        )
        assert "Jan de Boer" in text_of(response)

    def test_an_invalid_email_is_refused(self, client, cm):
        case = CaseFactory()
        response = client.post(
            url("cases:party_add", case),
            {"role": PartyRole.REPORTER, "name": "Piet", "email": "geen-adres"},
        )
        assert "email" in response.context["form"].errors
        assert case.parties.count() == 0


# -- closing, reopening, reassigning -----------------------------------------------------------


class TestStatus:
    def test_closes_with_date_and_reason(self, client, cm):
        case = CaseFactory(registered_on=D(2024, 1, 10))
        response = client.post(
            url("cases:close", case),
            {"on": "31-05-2024", "reason": ClosingReason.RESOLVED, "note": "Rust teruggekeerd."},
            follow=True,
        )
        case.refresh_from_db()
        assert (case.status, case.closed_on) == (Status.CLOSED, D(2024, 5, 31))
        change = case.status_changes.get(ended_on__isnull=True)
        assert (change.status, change.closing_reason, change.note, change.created_by) == (
            Status.CLOSED,
            ClosingReason.RESOLVED,
            "Rust teruggekeerd.",
            cm,
        )
        assert messages_of(response) == [f"Casus {case.reference} is afgerond per 31-05-2024."]

    def test_can_close_on_the_registration_date_but_not_before(self, client, cm):
        case = CaseFactory(registered_on=D(2024, 1, 10))
        response = client.post(
            url("cases:close", case), {"on": "09-01-2024", "reason": ClosingReason.OTHER}
        )
        assert response.context["form"].errors == {
            "on": ["De datum mag niet voor de registratiedatum (10-01-2024) liggen."]
        }
        case.refresh_from_db()
        assert case.status == Status.OPEN
        client.post(url("cases:close", case), {"on": "10-01-2024", "reason": ClosingReason.OTHER})
        case.refresh_from_db()
        assert case.closed_on == D(2024, 1, 10)

    def test_a_closing_reason_is_required(self, client, cm):
        case = CaseFactory()
        response = client.post(url("cases:close", case), {"on": "2024-06-01", "reason": ""})
        assert "reason" in response.context["form"].errors
        assert Case.objects.get().status == Status.OPEN

    def test_the_close_form_of_a_closed_case_says_it_is_closed(self, client, cm):
        case = CaseFactory(closed_on=D(2024, 2, 1), casemanager=cm)
        response = client.get(url("cases:close", case), follow=True)
        assert response.redirect_chain == [(case.get_absolute_url(), 302)]
        assert messages_of(response) == ["Deze casus is al afgerond."]

    def test_closing_twice_from_a_stale_page_is_refused(self, client, cm):
        case = CaseFactory(casemanager=cm)
        client.post(url("cases:close", case), {"on": "2024-06-01", "reason": "opgelost"})
        response = client.post(url("cases:close", case), {"on": "2024-06-02", "reason": "overig"})
        assert response.context["form"].non_field_errors() == ["Deze casus is al afgerond."]
        assert case.status_changes.count() == 2

    def test_reopens_with_a_reason(self, client, cm):
        case = CaseFactory(closed_on=D(2024, 2, 1), casemanager=cm)
        response = client.post(
            url("cases:reopen", case),
            {"on": "01-03-2024", "reason": "Nieuwe meldingen van de buren."},
            follow=True,
        )
        case.refresh_from_db()
        assert (case.status, case.closed_on) == (Status.OPEN, None)
        change = case.status_changes.get(ended_on__isnull=True)
        assert (change.status, change.effective_on, change.note) == (
            Status.OPEN,
            D(2024, 3, 1),
            "Nieuwe meldingen van de buren.",
        )
        assert messages_of(response) == [f"Casus {case.reference} is heropend per 01-03-2024."]

    def test_reopening_needs_a_reason(self, client, cm):
        case = CaseFactory(closed_on=D(2024, 2, 1), casemanager=cm)
        response = client.post(url("cases:reopen", case), {"on": "2024-03-01", "reason": " "})
        assert "reason" in response.context["form"].errors
        case.refresh_from_db()
        assert case.status == Status.CLOSED


class TestReassign:
    def test_a_team_leader_reassigns(self, client, tl):
        before, after = casemanager(), casemanager()
        case = CaseFactory(casemanager=before)
        response = client.get(url("cases:reassign", case))
        assert response.context["form"].initial == {"casemanager": before.pk}
        response = client.post(
            url("cases:reassign", case), {"casemanager": after.pk, "reason": "Verlof"}, follow=True
        )
        case.refresh_from_db()
        assert case.casemanager == after
        assert case.reassignments.get().reason == "Verlof"
        assert messages_of(response) == [f"Casus {case.reference} is toegewezen aan {after}."]

    def test_only_case_workers_can_be_chosen(self, client, tl):
        case = CaseFactory()
        response = client.post(url("cases:reassign", case), {"casemanager": rapportage().pk})
        assert "casemanager" in response.context["form"].errors
        case.refresh_from_db()
        assert case.casemanager is None

    def test_the_case_file_offers_reassigning_to_team_leaders_only(self, client):
        case = CaseFactory()
        client.force_login(casemanager())
        assert url("cases:reassign", case) not in text_of(client.get(url("cases:detail", case)))
        client.force_login(teamleider())
        assert url("cases:reassign", case) in text_of(client.get(url("cases:detail", case)))


# -- the case file -----------------------------------------------------------------------------


class TestCaseFile:
    def test_shows_one_timeline_of_status_changes_and_actions_newest_first(self, client, cm):
        case = CaseFactory(registered_on=D(2024, 1, 5), closed_on=D(2024, 3, 1))
        action(case, action_type=ActionType.WARNING, performed_on=D(2024, 2, 1))
        services.case_reopen(case, on=D(2024, 4, 1), reason="Terug", by=None)
        action(case, action_type=ActionType.MEDIATION, performed_on=D(2024, 5, 1))
        response = client.get(url("cases:detail", case))
        titles = [entry.title for entry in response.context["timeline"]]
        assert titles == [
            "Mediation/buurtbemiddeling",
            "Heropend",
            "Afgerond: opgelost",
            "Waarschuwing",
            "Geregistreerd",
        ]

    def test_due_and_overdue_follow_ups_stand_out(self, client, cm):
        case = CaseFactory(registered_on=D(2024, 1, 5))
        overdue = action(case, performed_on=D(2024, 5, 1), follow_up_on=D(2024, 6, 14))
        due = action(case, performed_on=D(2024, 5, 2), follow_up_on=TODAY)
        action(case, performed_on=D(2024, 5, 3), follow_up_on=D(2024, 6, 16))  # not yet
        done = action(case, performed_on=D(2024, 5, 4), follow_up_on=D(2024, 6, 1))
        done.follow_up_done_on = D(2024, 6, 1)
        done.save()
        response = client.get(url("cases:detail", case))
        case_due = response.context["case_due"]
        assert [item.action_id for item in case_due.overdue] == [overdue.pk]
        assert [item.action_id for item in case_due.due_today] == [due.pk]
        assert done.pk not in [item.action_id for item in case_due.items]
        page = text_of(response)
        assert "Termijnen" in page
        # The timeline marks them too.
        # termijnen (the follow-up) + timeline; the case has stalled too (no action for 30
        # days), but stalled is not "Te laat" (one definition: selection.DueItem.is_overdue)
        assert page.count('class="badge badge--overdue">Te laat') == 2
        assert page.count('class="badge badge--due">Vandaag') == 2

    def test_shows_parties_and_meldingen(self, client, cm):
        case = CaseFactory(first_melding_text="Geluid van boven.")
        services.party_add(case, role=PartyRole.REPORTER, name="Fatma Yilmaz", by=None)
        page = text_of(client.get(url("cases:detail", case)))
        assert "Fatma Yilmaz" in page and "Geluid van boven." in page

    def test_an_unknown_reference_is_not_found(self, client, cm):
        assert (
            client.get(reverse("cases:detail", kwargs={"reference": "WO-1999-9999"})).status_code
            == 404
        )


# -- the case list -----------------------------------------------------------------------------


@pytest.fixture
def listed():
    """A small set of cases that each filter separates."""
    anna, bert = casemanager(first_name="Anna"), casemanager(first_name="Bert")
    noise = Category.objects.get(code="geluidsoverlast")
    cases = {
        "centrum_koop": CaseFactory(
            registered_on=D(2023, 1, 1),
            casemanager=anna,
            categories=[noise],
            street="Markt",
            postcode="2711 AB",
        ),
        "centrum_corp_closed": CaseFactory(
            registered_on=D(2023, 6, 1),
            housing_type=HousingType.CORPORATIE,
            closed_on=D(2024, 1, 2),  # still open on 31-12-2023
            casemanager=bert,
            street="Dorpsstraat",
            postcode="2712 CD",
        ),
        "meerzicht_part": CaseFactory(
            district=district("Meerzicht"),
            registered_on=D(2023, 12, 31),
            housing_type=HousingType.PARTICULIER,
            complexity=Complexity.COMPLEX,
            closed_on=D(2023, 12, 31),
            street="Kerkweg",
            postcode="2713 EF",
        ),
        "meerzicht_2024": CaseFactory(
            district=district("Meerzicht"),
            registered_on=D(2024, 1, 1),
            casemanager=anna,
            street="Kerkweg",
            postcode="2713 EF",
        ),
    }
    action(
        cases["centrum_koop"],
        action_type=ActionType.HOME_VISIT,
        performed_on=D(2024, 3, 1),
        present="Bewoner",
        findings="Rommelig.",
    )
    action(cases["meerzicht_2024"], action_type=ActionType.WARNING, performed_on=D(2024, 5, 1))
    return {**cases, "anna": anna, "bert": bert}


def listed_names(client, listed, **query):
    response = client.get(url("cases:list", **query))
    assert response.status_code == 200
    by_pk = {case.pk: name for name, case in listed.items() if isinstance(case, Case)}
    return {by_pk[case.pk] for case in response.context["page"].object_list}


ALL = {"centrum_koop", "centrum_corp_closed", "meerzicht_part", "meerzicht_2024"}


class TestListFilters:
    def test_without_filters_lists_all_newest_first(self, client, cm, listed):
        response = client.get(url("cases:list"))
        refs = [case.reference for case in response.context["page"].object_list]
        assert refs == [
            listed[name].reference
            for name in ("meerzicht_2024", "meerzicht_part", "centrum_corp_closed", "centrum_koop")
        ]

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"wijk": "Centrum"}, {"centrum_koop", "centrum_corp_closed"}),
            ({"wijk": ["Centrum", "Meerzicht"]}, ALL),
            ({"woningtype": "corporatie"}, {"centrum_corp_closed"}),
            ({"status": "open"}, {"centrum_koop", "meerzicht_2024"}),
            ({"status": "closed"}, {"centrum_corp_closed", "meerzicht_part"}),
            # On 31-12-2023: closed on 02-01-2024 was still open, closed on 31-12 was closed,
            # registered 01-01-2024 did not exist yet.
            (
                {"status": "open", "peildatum": "2023-12-31"},
                {"centrum_koop", "centrum_corp_closed"},
            ),
            ({"status": "closed", "peildatum": "2023-12-31"}, {"meerzicht_part"}),
            ({"peildatum": "31-12-2023"}, ALL - {"meerzicht_2024"}),
            # Registration period: both boundaries included.
            (
                {"geregistreerd_van": "2023-01-01", "geregistreerd_tot": "2023-12-31"},
                ALL - {"meerzicht_2024"},
            ),
            ({"geregistreerd_van": "2023-12-31"}, {"meerzicht_part", "meerzicht_2024"}),
            ({"geregistreerd_tot": "01-01-2023"}, {"centrum_koop"}),
            ({"categorie": "geluidsoverlast"}, {"centrum_koop"}),
            ({"complexiteit": "complex"}, {"meerzicht_part"}),
            ({"casemanager": "geen"}, {"meerzicht_part"}),
            ({"geen_actie_sinds": "2024-03-01"}, {"centrum_corp_closed", "meerzicht_part"}),
            ({"geen_actie_sinds": "2024-03-02"}, ALL - {"meerzicht_2024"}),
            ({"actie_soort": "huisbezoek"}, {"centrum_koop"}),
            ({"actie_van": "2024-04-01"}, {"meerzicht_2024"}),
            ({"actie_soort": "waarschuwing", "actie_tot": "2024-04-30"}, set()),
            (
                {"actie_van": "2024-03-01", "actie_tot": "2024-05-01"},
                {"centrum_koop", "meerzicht_2024"},
            ),
            # A casemanager finds someone else's closed case by its reference only, not by
            # its address (the closed-case rule; tests/test_access.py has every branch).
            ({"q": "kerkweg"}, {"meerzicht_2024"}),
            ({"q": "2711ab"}, {"centrum_koop"}),
            ({"q": "2712 c"}, set()),
            ({"wijk": "Meerzicht", "status": "open", "woningtype": "koop"}, {"meerzicht_2024"}),
        ],
    )
    def test_filters(self, client, cm, listed, query, expected):
        query = {
            key: (
                [district(name).pk for name in value]
                if key == "wijk" and isinstance(value, list)
                else district(value).pk
                if key == "wijk"
                else value
            )
            for key, value in query.items()
        }
        assert listed_names(client, listed, **query) == expected

    def test_a_team_leader_finds_closed_cases_by_address(self, client, tl, listed):
        assert listed_names(client, listed, q="kerkweg") == {"meerzicht_part", "meerzicht_2024"}
        assert listed_names(client, listed, q="2712 c") == {"centrum_corp_closed"}

    def test_filters_by_casemanager_id(self, client, cm, listed):
        assert listed_names(client, listed, casemanager=listed["anna"].pk) == {
            "centrum_koop",
            "meerzicht_2024",
        }

    def test_the_contract_example_link(self, client, cm, listed):
        centrum = district("Centrum").pk
        response = client.get(
            f"/casussen/?wijk={centrum}&woningtype=corporatie&status=open&peildatum=2023-12-31"
            "&geregistreerd_van=2023-01-01&geregistreerd_tot=2023-12-31"
        )
        assert [case.pk for case in response.context["page"].object_list] == [
            listed["centrum_corp_closed"].pk
        ]
        assert "Status op 31-12-2023" in text_of(response)

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            (
                "referentie",
                ["centrum_koop", "centrum_corp_closed", "meerzicht_part", "meerzicht_2024"],
            ),
            (
                "-geregistreerd",
                ["meerzicht_2024", "meerzicht_part", "centrum_corp_closed", "centrum_koop"],
            ),
            (
                "geregistreerd",
                ["centrum_koop", "centrum_corp_closed", "meerzicht_part", "meerzicht_2024"],
            ),
            # Ties broken by the reference, in the same direction.
            ("-wijk", ["meerzicht_2024", "meerzicht_part", "centrum_corp_closed", "centrum_koop"]),
        ],
    )
    def test_sorts(self, client, cm, listed, sort, expected):
        response = client.get(url("cases:list", sorteer=sort))
        assert [case.pk for case in response.context["page"].object_list] == [
            listed[name].pk for name in expected
        ]

    @pytest.mark.parametrize("sort", [*SORTS, *(f"-{key}" for key in SORTS)])
    def test_every_sort_combines_with_the_filters(self, client, cm, listed, sort):
        # Filters on many-valued relations make the query DISTINCT; PostgreSQL then needs the
        # ordering in the select list, which Django adds.
        query = {
            "wijk": [district("Centrum").pk, district("Meerzicht").pk],
            "categorie": "geluidsoverlast",
            "peildatum": "2024-06-01",
            "status": "open",
            "sorteer": sort,
        }
        assert listed_names(client, listed, **query) == {"centrum_koop"}

    def test_column_headers_sort_and_keep_the_filters(self, client, cm, listed):
        response = client.get(url("cases:list", status="open", sorteer="wijk", pagina=2))
        page = text_of(response)
        assert 'aria-sort="ascending"' in page
        assert 'href="?status=open&amp;sorteer=-wijk"' in page  # toggles, back to page 1
        assert 'href="?status=open&amp;sorteer=referentie"' in page

    def test_an_unknown_sort_is_an_error_not_a_crash(self, client, cm, listed):
        response = client.get(url("cases:list", sorteer="wachtwoord"))
        assert response.status_code == 200
        assert response.context["empty_reason"] == "invalid"

    def test_paginates_by_25_with_the_total(self, client, cm):
        for number in range(30):
            CaseFactory(house_number=number + 1)
        response = client.get(url("cases:list", pagina=2))
        page = response.context["page"]
        assert (page.paginator.count, page.number, len(page.object_list)) == (30, 2, 5)
        text = text_of(response)
        assert "30 casussen" in text and "Pagina 2 van 2" in text
        assert 'href="?pagina=1"' in text

    def test_the_filters_are_kept_in_the_form(self, client, cm, listed):
        response = client.get(url("cases:list", q="kerkweg", status="open"))
        page = text_of(response)
        assert 'value="kerkweg"' in page
        assert '<option value="open" selected>' in page
        assert "Gefilterd op:" in page and "Zoeken: <strong>kerkweg</strong>" in page

    def test_empty_because_nothing_is_registered(self, client, cm):
        response = client.get(url("cases:list"))
        assert response.context["empty_reason"] == "none"
        assert "Er zijn nog geen casussen geregistreerd" in text_of(response)

    def test_empty_because_of_the_filters(self, client, cm, listed):
        response = client.get(url("cases:list", q="bestaat-niet"))
        assert response.context["empty_reason"] == "filtered"
        page = text_of(response)
        assert "Geen casussen gevonden die voldoen aan alle filters" in page
        assert "Zoeken: <strong>bestaat-niet</strong>" in page

    def test_empty_because_a_filter_is_wrong(self, client, cm, listed):
        response = client.get(
            url("cases:list", geregistreerd_van="2024-01-01", geregistreerd_tot="2023-01-01")
        )
        assert response.context["empty_reason"] == "invalid"
        assert response.context["form"].errors == {
            "geregistreerd_tot": ["Het einde van de registratieperiode ligt voor het begin."]
        }
        assert "omdat de filters een fout bevatten" in text_of(response)


EXPORT_HEADER = [
    "Referentie",
    "Wijk",
    "Woningtype",
    "Adres",
    "Categorieën",
    "Casemanager",
    "Volgende vervolgactie",
    "Geregistreerd op",
    "Status",
    "Afgerond op",
    "Complexiteit",
]


class TestExport:
    def rows(self, response):
        content = response.content.decode("utf-8")
        assert content.startswith("\ufeff")
        return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))

    def test_exports_the_filtered_list_for_excel(self, client, tl, listed):
        services.party_add(listed["centrum_koop"], role="melder", name="Geheime Naam", by=None)
        action(listed["centrum_koop"], performed_on=D(2024, 6, 1), follow_up_on=D(2024, 7, 1))
        response = client.get(
            url("cases:export", wijk=district("Centrum").pk, sorteer="referentie")
        )
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="casussen-2024-06-15.csv"'
        rows = self.rows(response)
        # The screen's columns in its order, then what the screen leaves out.
        assert rows[0] == EXPORT_HEADER
        koop, corp = listed["centrum_koop"], listed["centrum_corp_closed"]
        assert rows[1:] == [
            [
                koop.reference,
                "Centrum",
                "Koop",
                koop.address,
                "Geluidsoverlast",
                str(listed["anna"]),
                "01-07-2024",
                "01-01-2023",
                "Lopend",
                "",
                "Enkelvoudig",
            ],
            [
                corp.reference,
                "Centrum",
                "Corporatie",
                corp.address,
                "",
                str(listed["bert"]),
                "",
                "01-06-2023",
                "Afgerond",
                "02-01-2024",
                "Enkelvoudig",
            ],
        ]
        assert "Markt" in koop.address
        assert "Geheime Naam" not in response.content.decode()

    def test_the_same_as_an_excel_workbook_with_text_as_text(self, client, tl, listed):
        from openpyxl import load_workbook

        services.case_update(listed["centrum_koop"], by=None, street="=SOM(A1)")
        response = client.get(
            url("cases:export", wijk=district("Centrum").pk, sorteer="referentie", formaat="xlsx")
        )
        assert response["Content-Disposition"] == (
            'attachment; filename="casussen-2024-06-15.xlsx"'
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == EXPORT_HEADER
        koop = rows[1]
        assert koop[3].startswith("=SOM(A1)")  # text, not a formula
        assert sheet.cell(row=2, column=4).data_type == "s"
        assert koop[7] == datetime.datetime(2023, 1, 1)  # a date cell
        assert sheet.cell(row=2, column=8).number_format == "DD-MM-YYYY"
        assert len(rows) == 3

    def test_the_list_offers_both_formats(self, client, tl, listed):
        page = text_of(client.get(url("cases:list", status="open")))
        assert f'href="{reverse("cases:export")}?status=open&amp;formaat=xlsx"' in page

    def test_adds_the_status_on_the_peildatum(self, client, tl, listed):
        rows = self.rows(
            client.get(url("cases:export", peildatum="2023-12-31", sorteer="referentie"))
        )
        assert rows[0][8:10] == ["Status", "Status op 31-12-2023"]
        assert [row[8:10] for row in rows[1:]] == [
            ["Lopend", "Lopend"],
            ["Afgerond", "Lopend"],
            ["Afgerond", "Afgerond"],
        ]

    def test_the_list_links_to_the_export_with_its_filters(self, client, tl, listed):
        page = text_of(client.get(url("cases:list", status="open", pagina=1)))
        assert f'href="{reverse("cases:export")}?status=open"' in page

    def test_casemanagers_see_no_export_link(self, client, cm, listed):
        assert reverse("cases:export") not in text_of(client.get(url("cases:list")))

    def test_refuses_invalid_filters(self, client, tl, listed):
        response = client.get(url("cases:export", status="misschien"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("cases:list"))


# -- start pages -------------------------------------------------------------------------------


class TestStartPages:
    def test_team_leader_sees_open_cases_per_wijk_and_housing_type(self, client, tl, listed):
        CaseFactory(district=district("Meerzicht"), housing_type=HousingType.KOOP)
        response = client.get(reverse("home"))
        rows = {row["district"].name: row for row in response.context["rows"]}
        assert [cell["count"] for cell in rows["Centrum"]["cells"]] == [1, 0, 0]
        assert [cell["count"] for cell in rows["Meerzicht"]["cells"]] == [2, 0, 0]
        assert response.context["total"] == 3
        # Every number links to the list showing exactly those cases.
        cell = rows["Meerzicht"]["cells"][0]
        assert cell["url"] == (
            f"/casussen/?wijk={district('Meerzicht').pk}&woningtype=koop&status=open"
        )
        linked = client.get(cell["url"])
        assert linked.context["page"].paginator.count == 2
        assert f'href="{cell["url"].replace("&", "&amp;")}"' in text_of(response)
        total = client.get(response.context["total_url"])
        assert total.context["page"].paginator.count == 3

    def test_team_leader_sees_the_work_per_casemanager(self, client, tl, listed):
        CaseFactory(casemanager=None)
        response = client.get(reverse("home"))
        workload = [(row["name"], row["count"]) for row in response.context["workload"]]
        # Unassigned work first; closed cases (Bert's) do not count.
        assert workload == [("Niet toegewezen", 1), (str(listed["anna"]), 2)]
        for row, expected in zip(response.context["workload"], (1, 2), strict=True):
            assert client.get(row["url"]).context["page"].paginator.count == expected

    def test_casemanager_sees_own_open_cases_follow_ups_due_first(self, client, cm):
        quiet = CaseFactory(casemanager=cm, registered_on=D(2024, 6, 1))
        later = CaseFactory(casemanager=cm, registered_on=D(2024, 1, 1))
        action(later, performed_on=D(2024, 6, 1), follow_up_on=D(2024, 7, 1))
        overdue = CaseFactory(casemanager=cm, registered_on=D(2023, 1, 1))
        action(overdue, performed_on=D(2024, 5, 1), follow_up_on=D(2024, 6, 1))
        done = action(overdue, performed_on=D(2024, 4, 1), follow_up_on=D(2024, 5, 1))
        done.follow_up_done_on = D(2024, 5, 1)
        done.save()
        due = CaseFactory(casemanager=cm, registered_on=D(2023, 2, 1))
        action(due, performed_on=D(2024, 6, 1), follow_up_on=TODAY)
        CaseFactory(casemanager=cm, closed_on=D(2024, 1, 1))  # closed: not listed
        CaseFactory(casemanager=casemanager())  # someone else's
        for page_url in (reverse("home"), reverse("cases:mine")):
            # The start page and Mijn casussen count the open cases; their folded group
            # loads its list from the page of all open cases.
            response = client.get(page_url)
            assert response.context["open_count"] == 4
            assert f'data-load-from="{reverse("cases:mine_open")}"' in text_of(response)
            assert "<h1>Mijn casussen</h1>" in text_of(response)
        response = client.get(reverse("cases:mine_open"))
        cases = list(response.context["cases"])
        assert cases == [overdue, due, later, quiet]
        assert [case.next_follow_up_on for case in cases] == [
            D(2024, 6, 1),
            TODAY,
            D(2024, 7, 1),
            None,
        ]
        page = text_of(response)
        assert "<h1>Al mijn lopende casussen</h1>" in page
        assert "Te laat" in page and "Vandaag" in page

    def test_the_rapportage_role_goes_to_the_reports(self, client):
        client.force_login(rapportage())
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url == reverse("reports:index")


# -- query counts ------------------------------------------------------------------------------


def cases_with_everything(count: int, user) -> list[Case]:
    categories = list(Category.objects.all()[:2])
    cases = []
    for number in range(count):
        case = CaseFactory(
            casemanager=user,
            house_number=number + 1,
            categories=categories,
            registered_on=D(2024, 1, 1),
        )
        action(case, performed_on=D(2024, 2, 1), follow_up_on=D(2024, 6, 1))
        cases.append(case)
    return cases


def case_file_with(count: int) -> Case:
    case = CaseFactory(registered_on=D(2024, 1, 1), categories=list(Category.objects.all()[:2]))
    for number in range(count):
        action(case, performed_on=D(2024, 2, 1), follow_up_on=D(2024, 6, 1), notes=f"{number}")
        action(
            case,
            action_type=ActionType.HOME_VISIT,
            performed_on=D(2024, 2, 2),
            present="Bewoner",
            findings="Netjes.",
            performed_by=casemanager(),
        )
        services.melding_add(
            case, received_on=D(2024, 1, 2), source="politie", text="x", by=casemanager()
        )
        services.party_add(case, role="melder", name=f"Persoon {number}", by=None)
    services.case_close(case, on=D(2024, 3, 1), reason="opgelost", by=casemanager())
    # Only who may see a closed case may reopen it (the closed-case rule).
    services.case_reopen(case, on=D(2024, 4, 1), reason="Terug", by=teamleider())
    return case


# The queries of each page itself, whatever its number of rows. Every request also makes
# those of the middleware and base template (session, user, roles, ...): `overhead` measures
# them on an empty page, so that these numbers stay the pages' own.
# count, rows, categories, next follow-ups; choices of wijk, categorie, casemanager, resultaat
# (archiving); the audit entry of the addresses shown
LIST_QUERIES = 4 + 4 + 1
# The export renders no page (so no base template): measured against a bare response, it
# makes the casemanager choices, the rows and their categories (the role check is in the
# overhead: the koppeling middleware reads the roles of every request).
EXPORT_QUERIES = 1 + 2 + 1  # ... and the audit entry
# Mijn casussen: the count of the open cases; termijnbewaking's selection (settings, items,
# stalled/nazorg, equated days and steps of the maatregelen, meldingen). The list of the
# open cases is a page of its own (its folded group loads it): rows with the next
# follow-up, categories, the audit entry of the addresses shown (and their count when the
# page is full).
WORKLIST_QUERIES = 1 + 6
OPEN_CASES_QUERIES = 2 + 1
# case, categories, partners, parties, meldingen, actions, statuses, binnengekomen meldingen;
# the view's audit entry; the Atw's equated days, read once for the page (1: termijnbewaking
# and the maatregelen share the calendar); termijnbewaking's selection for the case (5); the
# dossier's documents (1); the maatregelen (1; their steps are one more query when there are
# any); the archive data (archiving: the case's resultaat and dates, and the resultaten of
# its maatregelen, 2)
CASE_FILE_QUERIES = 8 + 1 + 1 + 5 + 1 + 1 + 2
# The open cases' counts (cases.team_counts) stored: their version; counted (the first
# view after a write that changes them): the version, counts per cell, counts per
# casemanager, the version again. Then the wijken and the casemanagers' names; the team's
# termijnen as counts only (selection.due_for_team with limit 0: settings, reviews,
# follow-ups, stalled and nazorg each counted per casemanager, their names, maatregelen (2),
# meldingen).
HOME_QUERIES_STORED = 1 + 2 + 9
HOME_QUERIES_COUNTED = 4 + 2 + 9


def _empty_page(request):
    return render(request, "base.html")


def _bare_response(request):
    return HttpResponse("")


urlpatterns = [
    path("leeg/", _empty_page),
    path("kaal/", _bare_response),
    *project_urls.urlpatterns,
]


@pytest.fixture
def overhead(client, settings):
    """The queries of an empty page for the logged-in user (call it after logging in);
    `overhead(bare=True)`: of a response without the base template."""
    settings.ROOT_URLCONF = __name__

    def measure(bare: bool = False) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/kaal/" if bare else "/leeg/").status_code == 200
        return len(queries)

    return measure


class TestQueryCounts:
    @pytest.mark.parametrize("count", [1, 50])
    def test_case_list(self, client, cm, overhead, django_assert_num_queries, count):
        cases_with_everything(count, cm)
        with django_assert_num_queries(overhead() + LIST_QUERIES):
            response = client.get(url("cases:list", status="open", sorteer="casemanager"))
        assert len(response.context["page"].object_list) == min(count, 25)

    @pytest.mark.parametrize("count", [1, 50])
    def test_export(self, client, tl, overhead, django_assert_num_queries, count):
        cases_with_everything(count, tl)
        with django_assert_num_queries(overhead(bare=True) + EXPORT_QUERIES):
            response = client.get(url("cases:export", peildatum="2024-06-01"))
        assert response.content.decode().count("\r\n") == count + 1

    @pytest.mark.parametrize("count", [1, 50])
    def test_my_cases(self, client, cm, overhead, django_assert_num_queries, count):
        from woonoverlast.cases.views.lists import WORKLIST_SHOWN

        cases_with_everything(count, cm)
        with django_assert_num_queries(overhead() + WORKLIST_QUERIES):
            response = client.get(reverse("cases:mine"))
        assert response.context["open_count"] == count
        full = count >= WORKLIST_SHOWN  # then all open cases are counted as well: one query
        with django_assert_num_queries(overhead() + OPEN_CASES_QUERIES + full):
            response = client.get(reverse("cases:mine_open"))
        assert len(response.context["cases"]) == min(count, WORKLIST_SHOWN)
        assert response.context["open_count"] == count

    @pytest.mark.parametrize("count", [1, 50])
    def test_case_file(self, client, cm, overhead, django_assert_num_queries, count):
        case = case_file_with(count)
        with django_assert_num_queries(overhead() + CASE_FILE_QUERIES):
            response = client.get(url("cases:detail", case))
        assert len(response.context["timeline"]) == 2 * count + 3

    @pytest.mark.parametrize("count", [1, 50])
    def test_team_leaders_start_page(self, client, tl, overhead, django_assert_num_queries, count):
        for number in range(count):
            CaseFactory(casemanager=None if number % 2 else casemanager())
        with django_assert_num_queries(overhead() + HOME_QUERIES_COUNTED):
            response = client.get(reverse("home"))
        assert response.context["total"] == count
        with django_assert_num_queries(overhead() + HOME_QUERIES_STORED):
            response = client.get(reverse("home"))
        assert response.context["total"] == count


def test_every_wijk_has_a_row_even_without_open_cases(client, tl):
    response = client.get(reverse("home"))
    assert [row["district"] for row in response.context["rows"]] == list(
        District.objects.filter(is_active=True)
    )
    assert response.context["total"] == 0


def test_my_cases_shows_the_most_urgent_and_links_to_all(client, cm, monkeypatch):
    monkeypatch.setattr("woonoverlast.cases.views.lists.WORKLIST_SHOWN", 2)
    for _ in range(3):
        CaseFactory(casemanager=cm)
    response = client.get(reverse("cases:mine_open"))
    assert len(response.context["cases"]) == 2
    html = response.content.decode()
    assert "Alle 3 lopende casussen van u in de casuslijst" in html
    assert f"casemanager={cm.pk}" in html and "status=open" in html
