"""The case services: every transition and every validation, tested once, here."""

import datetime

import pytest
import time_machine
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from tests.factories import CaseFactory, action, casemanager, district, rapportage
from woonoverlast.cases import services
from woonoverlast.cases.choices import (
    ActionType,
    ClosingReason,
    HousingType,
    MeldingSource,
    PartyRole,
    Status,
)
from woonoverlast.cases.models import (
    Case,
    Category,
    HousingCorporation,
    Partner,
    StatusChange,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 15)
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    # Noon in Amsterdam, so that the local date is TODAY whatever the machine's zone.
    with time_machine.travel(datetime.datetime(2024, 6, 15, 12, 0), tick=False):
        yield


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def register(**kwargs) -> Case:
    kwargs.setdefault("district", district())
    kwargs.setdefault("housing_type", HousingType.KOOP)
    kwargs.setdefault("registered_on", D(2023, 3, 1))
    kwargs.setdefault("by", None)
    return services.case_register(**kwargs)


# -- registration ----------------------------------------------------------------------------


class TestRegister:
    def test_generates_references_per_registration_year(self):
        first = register(registered_on=D(2023, 12, 31))
        second = register(registered_on=D(2023, 1, 1))
        next_year = register(registered_on=D(2024, 1, 1))
        assert (first.reference, second.reference, next_year.reference) == (
            "WO-2023-0001",
            "WO-2023-0002",
            "WO-2024-0001",
        )

    def test_opens_the_case_with_a_status_row_from_the_registration_date(self):
        case = register(registered_on=D(2023, 5, 4))
        assert case.status == Status.OPEN and case.closed_on is None
        row = case.status_changes.get()
        assert (row.status, row.effective_on, row.ended_on) == (Status.OPEN, D(2023, 5, 4), None)

    def test_keeps_a_given_reference_and_numbers_on_after_it(self):
        register(reference="WO-2023-0042")
        assert register().reference == "WO-2023-0043"

    def test_a_lower_imported_reference_does_not_turn_the_counter_back(self):
        register(reference="WO-2023-0042")
        register(reference="WO-2023-0007")
        assert register().reference == "WO-2023-0043"

    def test_keeps_a_reference_in_another_format(self):
        assert register(reference="ZT-2019.12").reference == "ZT-2019.12"
        assert register().reference == "WO-2023-0001"

    def test_refuses_an_existing_reference_whatever_its_case(self):
        register(reference="WO-2023-0042")
        with pytest.raises(ValidationError) as excinfo:
            register(reference="wo-2023-0042")
        assert errors_of(excinfo) == {"reference": ["Referentie wo-2023-0042 bestaat al."]}
        assert Case.objects.count() == 1

    def test_an_imported_reference_stays_within_range(self):
        """A claim moves the year's counter: WO-2023-2147483647 would push it to the column's
        maximum and fail every later registration of 2023 (issue 27). The last number allowed,
        and the one after it."""
        with pytest.raises(ValidationError) as excinfo:
            register(reference="WO-2023-1000000")
        assert errors_of(excinfo) == {
            "reference": ["Het volgnummer van een referentie is hoogstens 999999."]
        }
        with pytest.raises(ValidationError):
            register(reference="WO-2023-2147483647")
        register(reference="WO-2023-999999")
        assert register().reference == "WO-2023-1000000"
        assert register().reference == "WO-2023-1000001"

    @pytest.mark.parametrize("reference", ["<script>", "ZT/2019", "WO 2023"])
    def test_refuses_a_reference_with_odd_characters(self, reference):
        with pytest.raises(ValidationError) as excinfo:
            register(reference=reference)
        assert "reference" in errors_of(excinfo)

    def test_refuses_a_registration_date_in_the_future(self):
        with pytest.raises(ValidationError) as excinfo:
            register(registered_on=TODAY + datetime.timedelta(days=1))
        assert errors_of(excinfo) == {"registered_on": ["De datum mag niet in de toekomst liggen."]}

    def test_accepts_today(self):
        assert register(registered_on=TODAY).registered_on == TODAY

    def test_refuses_a_missing_registration_date(self):
        with pytest.raises(ValidationError) as excinfo:
            register(registered_on=None)
        assert "registered_on" in errors_of(excinfo)

    @pytest.mark.parametrize(
        ("given", "stored"),
        [("2711ab", "2711 AB"), (" 2711 AB ", "2711 AB"), ("9999zz", "9999 ZZ")],
    )
    def test_normalizes_the_postcode(self, given, stored):
        assert register(postcode=given).postcode == stored

    @pytest.mark.parametrize(
        "postcode", ["0711 AB", "2711 SA", "2711 SD", "2711 SS", "27111", "AB"]
    )
    def test_refuses_an_invalid_postcode(self, postcode):
        with pytest.raises(ValidationError) as excinfo:
            register(postcode=postcode)
        assert errors_of(excinfo) == {
            "postcode": ["Vul een geldige Nederlandse postcode in, bijvoorbeeld 2711 AB."]
        }

    def test_stores_house_number_with_addition(self):
        case = register(street="Dorpsstraat", house_number=12, house_number_addition="a")
        assert case.address == "Dorpsstraat 12A"

    def test_refuses_an_addition_without_a_number(self):
        with pytest.raises(ValidationError) as excinfo:
            register(house_number_addition="A")
        assert "house_number" in errors_of(excinfo)

    def test_refuses_an_addition_with_odd_characters(self):
        with pytest.raises(ValidationError) as excinfo:
            register(house_number=3, house_number_addition="A; DROP")
        assert "house_number_addition" in errors_of(excinfo)

    def test_refuses_an_unknown_housing_type(self):
        with pytest.raises(ValidationError) as excinfo:
            register(housing_type="huur")
        assert "housing_type" in errors_of(excinfo)

    def test_keeps_the_corporation_only_for_corporatie(self):
        corporation = HousingCorporation.objects.create(name="De Goede Woning")
        social = register(housing_type=HousingType.CORPORATIE, corporation=corporation)
        owned = register(housing_type=HousingType.KOOP, corporation=corporation)
        assert social.corporation == corporation
        assert owned.corporation is None

    def test_assigns_a_casemanager(self):
        worker = casemanager()
        assert register(casemanager=worker).casemanager == worker

    def test_refuses_a_casemanager_without_a_case_role(self):
        with pytest.raises(ValidationError) as excinfo:
            register(casemanager=rapportage())
        assert "casemanager" in errors_of(excinfo)

    def test_refuses_an_inactive_casemanager(self):
        with pytest.raises(ValidationError) as excinfo:
            register(casemanager=casemanager(is_active=False))
        assert "casemanager" in errors_of(excinfo)

    def test_sets_categories_partners_and_first_melding(self):
        noise = Category.objects.get(code="geluidsoverlast")
        police = Partner.objects.get(name="Politie")
        case = register(
            categories=[noise],
            partners=[police],
            first_melding_text="Harde muziek",
            first_melding_source=MeldingSource.POLICE,
        )
        assert list(case.categories.all()) == [noise]
        assert list(case.partners.all()) == [police]
        melding = case.meldingen.get()
        assert (melding.received_on, melding.source, melding.text) == (
            D(2023, 3, 1),
            MeldingSource.POLICE,
            "Harde muziek",
        )

    def test_a_refused_first_melding_registers_nothing(self):
        with pytest.raises(ValidationError):
            register(first_melding_text="Harde muziek", first_melding_source="fax")
        assert not Case.objects.exists()

    def test_collects_all_problems_at_once(self):
        with pytest.raises(ValidationError) as excinfo:
            register(postcode="x", registered_on=TODAY + datetime.timedelta(days=3))
        assert set(errors_of(excinfo)) == {"postcode", "registered_on"}


# -- status ----------------------------------------------------------------------------------


class TestClose:
    def test_closes_and_ends_the_previous_row(self):
        case = register(registered_on=D(2023, 3, 1))
        change = services.case_close(
            case, on=D(2023, 11, 20), reason=ClosingReason.RESOLVED, by=None, note="Rustig"
        )
        case.refresh_from_db()
        assert (case.status, case.closed_on) == (Status.CLOSED, D(2023, 11, 20))
        rows = list(case.status_changes.values_list("status", "effective_on", "ended_on"))
        assert rows == [
            (Status.OPEN, D(2023, 3, 1), D(2023, 11, 20)),
            (Status.CLOSED, D(2023, 11, 20), None),
        ]
        assert (change.closing_reason, change.note) == (ClosingReason.RESOLVED, "Rustig")

    @pytest.mark.parametrize("reason", ClosingReason.values)
    def test_accepts_every_reason(self, reason):
        case = register()
        services.case_close(case, on=D(2023, 4, 1), reason=reason, by=None)
        assert case.status_changes.current().get().closing_reason == reason

    @pytest.mark.parametrize("reason", ["", "weet niet"])
    def test_needs_a_known_reason(self, reason):
        case = register()
        with pytest.raises(ValidationError) as excinfo:
            services.case_close(case, on=D(2023, 4, 1), reason=reason, by=None)
        assert errors_of(excinfo) == {"reason": ["Kies een reden van afsluiten."]}
        case.refresh_from_db()
        assert case.status == Status.OPEN and case.status_changes.count() == 1

    def test_needs_a_date(self):
        with pytest.raises(ValidationError) as excinfo:
            services.case_close(register(), on=None, reason=ClosingReason.MOVED, by=None)
        assert errors_of(excinfo) == {"on": ["Vul een datum in."]}

    def test_refuses_a_date_before_registration(self):
        case = register(registered_on=D(2023, 3, 1))
        with pytest.raises(ValidationError) as excinfo:
            services.case_close(case, on=D(2023, 2, 28), reason=ClosingReason.MOVED, by=None)
        assert errors_of(excinfo) == {
            "on": ["De datum mag niet voor de registratiedatum (01-03-2023) liggen."]
        }

    def test_accepts_the_registration_date(self):
        case = register(registered_on=D(2023, 3, 1))
        services.case_close(case, on=D(2023, 3, 1), reason=ClosingReason.NO_NUISANCE, by=None)
        assert case.closed_on == D(2023, 3, 1)

    def test_refuses_a_date_in_the_future_and_accepts_today(self):
        case = register()
        with pytest.raises(ValidationError) as excinfo:
            services.case_close(
                case, on=TODAY + datetime.timedelta(days=1), reason=ClosingReason.MOVED, by=None
            )
        assert errors_of(excinfo) == {"on": ["De datum mag niet in de toekomst liggen."]}
        services.case_close(case, on=TODAY, reason=ClosingReason.MOVED, by=None)
        assert case.closed_on == TODAY

    def test_refuses_to_close_a_closed_case(self):
        case = CaseFactory(closed_on=D(2023, 5, 1))
        with pytest.raises(ValidationError) as excinfo:
            services.case_close(case, on=D(2023, 6, 1), reason=ClosingReason.MOVED, by=None)
        assert errors_of(excinfo) == {NON_FIELD_ERRORS: ["Deze casus is al afgerond."]}
        assert case.status_changes.count() == 2

    def test_records_who_closed(self):
        worker = casemanager()
        case = register()
        change = services.case_close(case, on=D(2023, 4, 1), reason="opgelost", by=worker)
        assert change.created_by == worker


class TestReopen:
    def test_reopens_with_the_reason_as_note(self):
        case = CaseFactory(closed_on=D(2023, 11, 20))
        change = services.case_reopen(case, on=D(2024, 2, 1), reason="Nieuwe klachten", by=None)
        case.refresh_from_db()
        assert (case.status, case.closed_on) == (Status.OPEN, None)
        assert (change.status, change.note) == (Status.OPEN, "Nieuwe klachten")
        rows = list(case.status_changes.values_list("status", "effective_on", "ended_on"))
        assert rows == [
            (Status.OPEN, D(2023, 3, 1), D(2023, 11, 20)),
            (Status.CLOSED, D(2023, 11, 20), D(2024, 2, 1)),
            (Status.OPEN, D(2024, 2, 1), None),
        ]

    def test_needs_a_reason(self):
        case = CaseFactory(closed_on=D(2023, 11, 20))
        with pytest.raises(ValidationError) as excinfo:
            services.case_reopen(case, on=D(2024, 2, 1), reason="  ", by=None)
        assert errors_of(excinfo) == {"reason": ["Geef aan waarom de casus heropend wordt."]}

    def test_refuses_to_reopen_an_open_case(self):
        with pytest.raises(ValidationError) as excinfo:
            services.case_reopen(register(), on=D(2024, 2, 1), reason="Nieuw", by=None)
        assert errors_of(excinfo) == {
            NON_FIELD_ERRORS: ["Deze casus is niet afgerond en kan dus niet heropend worden."]
        }

    def test_refuses_a_date_before_the_closing(self):
        case = CaseFactory(closed_on=D(2023, 11, 20))
        with pytest.raises(ValidationError) as excinfo:
            services.case_reopen(case, on=D(2023, 11, 19), reason="Nieuw", by=None)
        assert errors_of(excinfo) == {
            "on": ["De datum mag niet voor de vorige statuswijziging (20-11-2023) liggen."]
        }

    def test_same_day_as_the_closing_is_allowed(self):
        case = CaseFactory(closed_on=D(2023, 11, 20))
        services.case_reopen(case, on=D(2023, 11, 20), reason="Te vroeg afgesloten", by=None)
        assert case.status == Status.OPEN

    def test_refuses_a_date_in_the_future(self):
        case = CaseFactory(closed_on=D(2023, 11, 20))
        with pytest.raises(ValidationError) as excinfo:
            services.case_reopen(
                case, on=TODAY + datetime.timedelta(days=1), reason="Nieuw", by=None
            )
        assert "on" in errors_of(excinfo)

    def test_close_reopen_close_keeps_one_current_row_that_agrees_with_the_case(self):
        case = CaseFactory(closed_on=D(2023, 5, 1), reopened_on=D(2023, 6, 1))
        services.case_close(case, on=D(2023, 7, 1), reason=ClosingReason.REFERRED, by=None)
        case.refresh_from_db()
        current = case.status_changes.current().get()
        assert (current.status, current.effective_on) == (case.status, case.closed_on)
        assert case.status_changes.count() == 4


class TestTransitionTable:
    def test_the_table_is_the_only_route(self):
        assert {
            None: {Status.OPEN},
            Status.OPEN: {Status.CLOSED},
            Status.CLOSED: {Status.OPEN},
        } == services.ALLOWED_STATUS_CHANGES


class TestDatabaseBackstops:
    """Rules the database itself enforces, should code ever bypass the services."""

    def test_only_one_current_status_row_per_case(self):
        case = register()
        with pytest.raises(IntegrityError), transaction.atomic():
            StatusChange.objects.create(case=case, status=Status.OPEN, effective_on=D(2023, 4, 1))

    def test_closing_date_not_before_registration(self):
        case = register(registered_on=D(2023, 3, 1))
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_on=D(2023, 1, 1))

    def test_a_closed_row_needs_a_reason(self):
        case = register()
        with pytest.raises(IntegrityError), transaction.atomic():
            StatusChange.objects.filter(case=case).update(status=Status.CLOSED)

    def test_corporation_only_for_corporatie(self):
        case = register(housing_type=HousingType.KOOP)
        corporation = HousingCorporation.objects.create(name="Vidomes")
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.filter(pk=case.pk).update(corporation=corporation)


class TestStatusOn:
    """Case.objects.with_status_on(P): the status as it stood on a reference date."""

    def status_on(self, case, as_of):
        return Case.objects.with_status_on(as_of).get(pk=case.pk).status_on

    def test_closed_on_the_reference_date_counts_as_closed(self):
        case = CaseFactory(closed_on=D(2023, 12, 31))
        assert self.status_on(case, D(2023, 12, 31)) == Status.CLOSED
        assert self.status_on(case, D(2023, 12, 30)) == Status.OPEN

    def test_closed_the_day_after_is_still_open(self):
        case = CaseFactory(closed_on=D(2024, 1, 1))
        assert self.status_on(case, D(2023, 12, 31)) == Status.OPEN

    def test_reopened_after_the_reference_date_stays_closed_on_it(self):
        case = CaseFactory(closed_on=D(2023, 11, 20), reopened_on=D(2024, 2, 1))
        assert self.status_on(case, D(2023, 12, 31)) == Status.CLOSED
        assert self.status_on(case, D(2024, 2, 1)) == Status.OPEN

    def test_closed_and_reopened_on_one_day_is_open_that_day(self):
        case = CaseFactory(closed_on=D(2023, 11, 20), reopened_on=D(2023, 11, 20))
        assert self.status_on(case, D(2023, 11, 20)) == Status.OPEN

    def test_one_row_per_case(self):
        CaseFactory(closed_on=D(2023, 5, 1), reopened_on=D(2023, 6, 1))
        assert Case.objects.with_status_on(D(2023, 12, 31)).count() == 1


# -- facts, assignment -----------------------------------------------------------------------


class TestUpdate:
    def test_changes_facts_and_lists(self):
        case = register(housing_type=HousingType.KOOP)
        hoarding = Category.objects.get(code="verzamelwoede")
        services.case_update(
            case,
            by=None,
            housing_type=HousingType.PARTICULIER,
            postcode="2712bc",
            district=district("Oosterheem"),
            categories=[hoarding],
        )
        case.refresh_from_db()
        assert (case.housing_type, case.postcode, case.district.name) == (
            HousingType.PARTICULIER,
            "2712 BC",
            "Oosterheem",
        )
        assert list(case.categories.all()) == [hoarding]

    def test_refuses_a_registration_date_after_the_first_closing(self):
        case = CaseFactory(registered_on=D(2023, 3, 1), closed_on=D(2023, 4, 1))
        with pytest.raises(ValidationError) as excinfo:
            services.case_update(case, by=None, registered_on=D(2023, 4, 2))
        assert errors_of(excinfo) == {
            "registered_on": [
                "De registratiedatum mag niet na de eerste afsluiting (01-04-2023) liggen."
            ]
        }
        case.refresh_from_db()
        assert case.registered_on == D(2023, 3, 1)

    def test_accepts_a_registration_date_on_the_closing_date(self):
        case = CaseFactory(registered_on=D(2023, 3, 1), closed_on=D(2023, 4, 1))
        services.case_update(case, by=None, registered_on=D(2023, 4, 1))
        case.refresh_from_db()
        assert case.registered_on == D(2023, 4, 1)

    def test_refuses_an_update_from_an_outdated_form(self):
        case = register(description="Eerste versie")
        seen_version = case.version
        services.case_update(case, by=None, expected_version=seen_version, description="Door A")
        with pytest.raises(ValidationError) as excinfo:
            services.case_update(case, by=None, expected_version=seen_version, description="B")
        assert errors_of(excinfo)[NON_FIELD_ERRORS][0].startswith("Iemand anders heeft")
        case.refresh_from_db()
        assert (case.description, case.version) == ("Door A", seen_version + 1)

    def test_status_cannot_be_changed_as_a_fact(self):
        with pytest.raises(TypeError):
            services.case_update(register(), by=None, status=Status.CLOSED)

    def test_a_refused_update_changes_nothing(self):
        case = register(postcode="2711 AB")
        with pytest.raises(ValidationError):
            services.case_update(case, by=None, postcode="bad", categories=[])
        case.refresh_from_db()
        assert case.postcode == "2711 AB"


class TestReassign:
    def test_gives_the_case_to_another_casemanager(self):
        case = register(casemanager=casemanager())
        other = casemanager()
        services.case_reassign(case, casemanager=other, reason="Verlof", by=None)
        case.refresh_from_db()
        assert case.casemanager == other

    @pytest.mark.parametrize("make", [lambda: None, rapportage])
    def test_refuses_someone_who_cannot_work_cases(self, make):
        with pytest.raises(ValidationError) as excinfo:
            services.case_reassign(register(), casemanager=make(), reason="Verlof", by=None)
        assert "casemanager" in errors_of(excinfo)


# -- activity --------------------------------------------------------------------------------


class TestActions:
    def test_logs_an_action_with_follow_up(self):
        worker = casemanager()
        case = register()
        logged = services.action_log(
            case,
            action_type=ActionType.CONVERSATION,
            performed_on=D(2023, 3, 2),
            follow_up_on=D(2023, 3, 16),
            notes="Afspraken gemaakt",
            by=worker,
        )
        assert (logged.performed_by, logged.follow_up_on) == (worker, D(2023, 3, 16))

    def test_logs_a_home_visit_with_present_and_findings(self):
        case = register()
        visit = action(
            case,
            action_type=ActionType.HOME_VISIT,
            present="Casemanager, bewoner",
            findings="Woning vervuild",
        )
        assert (visit.present, visit.findings) == ("Casemanager, bewoner", "Woning vervuild")

    def test_a_home_visit_needs_present_and_findings(self):
        with pytest.raises(ValidationError) as excinfo:
            action(register(), action_type=ActionType.HOME_VISIT)
        assert set(errors_of(excinfo)) == {"present", "findings"}

    def test_present_and_findings_only_for_a_home_visit(self):
        with pytest.raises(ValidationError) as excinfo:
            action(register(), action_type=ActionType.WARNING, findings="Rommel")
        assert NON_FIELD_ERRORS in errors_of(excinfo)

    def test_follow_up_not_before_the_action_but_on_the_same_day(self):
        case = register()
        with pytest.raises(ValidationError) as excinfo:
            action(case, performed_on=D(2023, 3, 2), follow_up_on=D(2023, 3, 1))
        assert "follow_up_on" in errors_of(excinfo)
        assert action(case, performed_on=D(2023, 3, 2), follow_up_on=D(2023, 3, 2))

    def test_refuses_a_date_in_the_future(self):
        with pytest.raises(ValidationError) as excinfo:
            action(register(), performed_on=TODAY + datetime.timedelta(days=1))
        assert "performed_on" in errors_of(excinfo)

    def test_refuses_an_unknown_type(self):
        with pytest.raises(ValidationError) as excinfo:
            action(register(), action_type="telefoontje")
        assert "action_type" in errors_of(excinfo)


class TestReports:
    def test_adds_a_melding(self):
        melding = services.melding_add(
            register(),
            received_on=D(2023, 3, 5),
            source=MeldingSource.CORPORATION,
            text=" Stank ",
            by=None,
        )
        assert melding.text == "Stank"

    def test_needs_text_and_a_known_source(self):
        with pytest.raises(ValidationError) as excinfo:
            services.melding_add(
                register(), received_on=D(2023, 3, 5), source="fax", text=" ", by=None
            )
        assert set(errors_of(excinfo)) == {"source", "text"}

    def test_refuses_a_date_in_the_future(self):
        with pytest.raises(ValidationError) as excinfo:
            services.melding_add(
                register(),
                received_on=TODAY + datetime.timedelta(days=1),
                source=MeldingSource.POLICE,
                text="Ruzie",
                by=None,
            )
        assert "received_on" in errors_of(excinfo)


class TestParties:
    def test_adds_a_party(self):
        party = services.party_add(
            register(), role=PartyRole.REPORTER, name="Jan Jansen", email="jan@example.org", by=None
        )
        assert str(party) == "Melder: Jan Jansen"

    def test_needs_a_name_a_known_role_and_a_valid_email(self):
        with pytest.raises(ValidationError) as excinfo:
            services.party_add(register(), role="buurman", name="", email="geen-adres", by=None)
        assert set(errors_of(excinfo)) == {"role", "name", "email"}


# -- free text ---------------------------------------------------------------------------------


class TestFreeText:
    """The limit and the ban on NUL hold in the services, for every caller (not only forms)."""

    TOO_LONG = "a" * 10_001

    def test_a_description_over_the_limit_or_with_nul_is_refused(self):
        for text in (self.TOO_LONG, "geluid\x00overlast"):
            with pytest.raises(ValidationError) as excinfo:
                register(description=text)
            assert "description" in errors_of(excinfo)
        assert not Case.objects.exists()

    def test_notes_of_an_action_a_melding_and_a_closing(self):
        case = register()
        with pytest.raises(ValidationError) as excinfo:
            services.action_log(
                case,
                action_type=ActionType.CONVERSATION,
                performed_on=D(2023, 3, 2),
                notes=self.TOO_LONG,
                by=None,
            )
        assert "notes" in errors_of(excinfo)
        with pytest.raises(ValidationError) as excinfo:
            services.melding_add(
                case, received_on=D(2023, 3, 2), source=MeldingSource.POLICE, text="\x00", by=None
            )
        assert "text" in errors_of(excinfo)
        with pytest.raises(ValidationError) as excinfo:
            services.case_close(
                case, on=D(2023, 4, 1), reason=ClosingReason.RESOLVED, note=self.TOO_LONG, by=None
            )
        assert "note" in errors_of(excinfo)
        case.refresh_from_db()
        assert case.status == Status.OPEN
