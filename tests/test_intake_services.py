"""The intake's services: receiving a melding, the three ways out, the messages to the
melder, anonymising, and the matching query."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import (
    CaseFactory,
    casemanager,
    district,
    intake_melding,
    koppeling,
    teamleider,
)
from woonoverlast.audit.models import AuditAction, AuditEvent
from woonoverlast.cases import services as case_services
from woonoverlast.cases.choices import ClosingReason, MeldingSource, PartyRole
from woonoverlast.cases.models import Partner
from woonoverlast.common.calendar import add_workdays, is_workday, workdays_between
from woonoverlast.intake import services
from woonoverlast.intake.choices import FeedbackKind, IntakeStatus, Outcome
from woonoverlast.intake.matching import Reason, matching_cases
from woonoverlast.intake.models import FeedbackTemplate, IntakeMelding, ReporterMessage

# The terugkoppeling mails are sent by a task: in this process, whatever the broker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]
D = datetime.date


@pytest.fixture(autouse=True)
def tasks_on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks (the melder's messages) as the commit would."""
    return django_capture_on_commit_callbacks


class TestReceive:
    def test_a_reference_per_year_and_the_fields(self, tasks_on_commit):
        with tasks_on_commit(execute=True):
            first = intake_melding(reporter_email="buur@example.org", postcode="2711ab")
        second = intake_melding()
        year = first.received_at.year
        assert first.reference == f"MLD-{year}-00001"
        assert second.reference == f"MLD-{year}-00002"
        assert first.postcode == "2711 AB"
        assert first.status == IntakeStatus.RECEIVED
        assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(first.pk))
        # The confirmation, once.
        assert len(mail.outbox) == 1
        assert first.reference in mail.outbox[0].subject
        assert mail.outbox[0].to == ["buur@example.org"]

    def test_anonymous_is_allowed_and_gets_no_mail(self, tasks_on_commit):
        with tasks_on_commit(execute=True):
            melding = intake_melding()
        assert melding.reporter_name == melding.reporter_email == ""
        assert mail.outbox == []

    def test_the_same_form_token_stores_one(self):
        first = intake_melding(form_token="abc123")
        again = intake_melding(form_token="abc123", text="Anders")
        assert again.pk == first.pk
        assert IntakeMelding.objects.count() == 1

    def test_the_same_kenmerk_of_one_koppeling_stores_one(self):
        partner = koppeling()
        other = koppeling()
        first = intake_melding(source="politie", koppeling=partner, external_reference="P-1")
        again = intake_melding(source="politie", koppeling=partner, external_reference="P-1")
        elsewhere = intake_melding(source="politie", koppeling=other, external_reference="P-1")
        assert again.pk == first.pk != elsewhere.pk
        assert IntakeMelding.objects.count() == 2

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("postcode", "27AB", "geldige Nederlandse postcode"),
            ("postcode", "", "Vul de postcode in."),
            ("house_number", None, "Vul het huisnummer in."),
            ("text", "  ", "Vertel wat er gebeurt."),
            ("text", "a\x00b", "Null"),
            ("text", "x" * 5001, "5000"),
            ("reporter_email", "geen-adres", "e-mailadres"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_stored(self, field, value, message):
        with pytest.raises(ValidationError) as refused:
            intake_melding(**{field: value})
        assert message in str(refused.value.message_dict)
        assert not IntakeMelding.objects.exists()


def _case_at(**kwargs):
    kwargs.setdefault("street", "Dorpsstraat")
    kwargs.setdefault("postcode", "2711 AB")
    kwargs.setdefault("house_number", 12)
    return CaseFactory(**kwargs)


class TestWaysOut:
    def test_add_to_a_case(self, tasks_on_commit):
        worker = casemanager()
        case = _case_at()
        with tasks_on_commit(execute=True):
            melding = intake_melding(
                reporter_name="Bea Buur", reporter_email="bea@example.org", categories=[]
            )
        with tasks_on_commit(execute=True):
            services.intake_melding_add_to_case(melding, case=case, by=worker)
        melding.refresh_from_db()
        assert melding.status == IntakeStatus.HANDLED and melding.outcome == Outcome.ADDED
        assert melding.case == case and melding.melding.case == case
        assert melding.melding.source == MeldingSource.RESIDENT
        assert melding.handled_by == worker and melding.handled_at
        assert case.parties.filter(role=PartyRole.REPORTER, name="Bea Buur").exists()
        # Confirmation and the message that it was added; nothing about the other party.
        assert [m.subject for m in mail.outbox][
            1
        ] == f"Uw melding {melding.reference} is in behandeling"
        assert case.reference not in mail.outbox[1].body
        assert case.street not in mail.outbox[1].body
        assert melding.reporter_informed_at is not None

    def test_an_anonymous_form_melding_becomes_an_anonymous_melding_on_the_case(self):
        melding = intake_melding()
        case = _case_at()
        services.intake_melding_add_to_case(melding, case=case, by=casemanager())
        assert melding.melding.source == MeldingSource.ANONYMOUS
        assert not case.parties.filter(role=PartyRole.REPORTER).exists()

    def test_a_handled_melding_cannot_be_handled_again(self):
        melding = intake_melding()
        case = _case_at()
        services.intake_melding_add_to_case(melding, case=case, by=casemanager())
        with pytest.raises(ValidationError, match="al afgehandeld"):
            services.intake_melding_close(
                melding, outcome=Outcome.NO_NUISANCE, reason="x", by=casemanager()
            )
        assert case.meldingen.count() == 1

    def test_register_a_new_case(self, tasks_on_commit):
        melding = intake_melding(reporter_email="a@example.org", reporter_name="An")
        with tasks_on_commit(execute=True):
            case = services.intake_melding_register_case(
                melding,
                by=casemanager(),
                district=district(),
                housing_type="koop",
                street=melding.street,
                house_number=melding.house_number,
                postcode=melding.postcode,
            )
        melding.refresh_from_db()
        assert melding.outcome == Outcome.NEW_CASE and melding.case == case
        assert case.meldingen.get().text == melding.text
        assert case.parties.get(role=PartyRole.REPORTER).email == "a@example.org"
        assert ReporterMessage.objects.filter(kind=FeedbackKind.NEW_CASE).count() == 1

    def test_the_wijk_is_derived_from_the_other_cases_at_the_postcode(self, client):
        """Issue 27, item 20: the team had to look up the wijk of a postcode it knew."""
        from woonoverlast.cases.services import district_for_postcode

        melding = intake_melding(postcode="2711 DM")
        CaseFactory(postcode="2711 DM", district=district("Meerzicht"))
        CaseFactory(postcode="2711 DM", district=district("Meerzicht"))
        CaseFactory(postcode="2711 DM", district=district("Centrum"))
        assert district_for_postcode("2711dm") == district("Meerzicht")
        assert district_for_postcode("9999 ZZ") is None and district_for_postcode("x") is None
        case = services.intake_melding_register_case(
            melding,
            by=casemanager(),
            housing_type="koop",
            street=melding.street,
            house_number=melding.house_number,
            postcode=melding.postcode,
        )
        assert case.district == district("Meerzicht")
        other = intake_melding(postcode="2711 DM")
        client.force_login(casemanager())
        form = client.get(reverse("intake:register_case", args=[other.reference])).context["form"]
        assert form.initial["district"] == district("Meerzicht")

    def test_a_refused_registration_leaves_the_melding_open(self):
        melding = intake_melding()
        with pytest.raises(ValidationError):
            services.intake_melding_register_case(
                melding, by=casemanager(), district=district(), housing_type="villa"
            )
        melding.refresh_from_db()
        assert melding.is_open and melding.case is None

    def test_close_as_referred_needs_a_partner_and_a_reason(self):
        melding = intake_melding()
        with pytest.raises(ValidationError) as refused:
            services.intake_melding_close(
                melding, outcome=Outcome.REFERRED, reason="", by=casemanager()
            )
        assert set(refused.value.message_dict) == {"partner", "reason"}
        partner = Partner.objects.get(name="Politie")
        services.intake_melding_close(
            melding,
            outcome=Outcome.REFERRED,
            partner=partner,
            reason="Burenruzie, naar buurtbemiddeling.",
            by=casemanager(),
        )
        melding.refresh_from_db()
        assert melding.outcome == Outcome.REFERRED and melding.partner == partner

    def test_opening_is_audited_and_changes_nothing_taking_it_does(self):
        melding = intake_melding()
        worker = casemanager()
        services.intake_melding_open(melding, by=worker)
        services.intake_melding_open(melding, by=worker)
        melding.refresh_from_db()
        assert melding.status == IntakeStatus.RECEIVED
        assert (
            AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(melding.pk)).count()
            == 2
        )
        services.intake_melding_take(melding, by=worker)
        services.intake_melding_take(melding, by=worker)
        melding.refresh_from_db()
        assert melding.status == IntakeStatus.IN_PROGRESS
        assert (
            AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(melding.pk)).count()
            == 1
        )


class TestFeedback:
    def test_closing_the_case_tells_each_melder_once_per_closing(self, tasks_on_commit):
        case = _case_at(registered_on=D(2023, 3, 1))
        worker = casemanager()
        for email in ("een@example.org", "twee@example.org"):
            services.intake_melding_add_to_case(
                intake_melding(reporter_email=email), case=case, by=worker
            )
        services.intake_melding_add_to_case(intake_melding(), case=case, by=worker)
        mail.outbox.clear()
        with tasks_on_commit(execute=True):
            case_services.case_close(
                case, on=D(2023, 6, 1), reason=ClosingReason.RESOLVED, by=worker
            )
        assert sorted(m.to[0] for m in mail.outbox) == ["een@example.org", "twee@example.org"]
        assert all("afgerond" in m.body for m in mail.outbox)
        # A task delivered twice sends nothing more.
        from woonoverlast.intake.tasks import inform_case_closed

        change = case.status_changes.get(ended_on__isnull=True)
        inform_case_closed(case.pk, change.pk)
        assert len(mail.outbox) == 2

    def test_a_rolled_back_closing_tells_nobody(self, tasks_on_commit):
        case = _case_at(registered_on=D(2023, 3, 1))
        services.intake_melding_add_to_case(
            intake_melding(reporter_email="een@example.org"), case=case, by=None
        )
        mail.outbox.clear()
        with tasks_on_commit(execute=False) as callbacks, pytest.raises(ValidationError):
            case_services.case_close(case, on=D(2023, 1, 1), reason="opgelost", by=None)
        assert callbacks == []

    def test_the_team_leaders_text_is_used(self):
        FeedbackTemplate.objects.filter(kind=FeedbackKind.RECEIVED).update(
            subject="Ontvangen: {referentie}", body="Dank! {referentie} {onbekend}"
        )
        subject, body = services.feedback_text(FeedbackKind.RECEIVED, "MLD-2026-00001")
        assert subject == "Ontvangen: MLD-2026-00001"
        assert body.startswith("Dank! MLD-2026-00001 {onbekend}")


class TestAnonymise:
    def test_meldingen_without_a_case_after_the_term(self, settings):
        settings.INTAKE_RETENTION_MONTHS = 12
        old = intake_melding(reporter_name="Oud", reporter_email="oud@example.org")
        services.intake_melding_close(old, outcome=Outcome.NO_NUISANCE, reason="Geen", by=None)
        IntakeMelding.objects.filter(pk=old.pk).update(
            handled_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        )
        recent = intake_melding(reporter_name="Nieuw")
        services.intake_melding_close(recent, outcome=Outcome.NO_NUISANCE, reason="x", by=None)
        of_case = intake_melding(reporter_name="Bij casus")
        services.intake_melding_add_to_case(of_case, case=_case_at(), by=None)
        IntakeMelding.objects.filter(pk=of_case.pk).update(
            handled_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        )
        done = services.intake_meldingen_anonymise(on=D(2025, 6, 1))
        assert done == [old.reference]
        old.refresh_from_db()
        assert old.reporter_name == old.reporter_email == old.postcode == ""
        assert old.anonymised_at and old.reference.startswith("MLD-")
        assert services.intake_meldingen_anonymise(on=D(2025, 6, 1)) == []

    def test_those_of_an_anonymised_case_go_with_it(self, settings):
        case = _case_at(registered_on=D(2020, 1, 1), closed_on=D(2020, 2, 1))
        melding = intake_melding(reporter_name="Bij casus")
        services.intake_melding_add_to_case(melding, case=case, by=None)
        case_services.cases_anonymise(case_ids=[case.pk])
        assert services.intake_meldingen_anonymise(on=D(2025, 6, 1)) == [melding.reference]


class TestMatching:
    def test_address_nearby_and_melder(self):
        same = _case_at(house_number=12)
        nearby = _case_at(house_number=15)
        street = _case_at(house_number=10, postcode="2711 CD")  # across the street
        far = _case_at(house_number=40)
        other_street = _case_at(street="Kerkstraat", postcode="2712 AA", house_number=12)
        by_phone = _case_at(street="Markt", postcode="2713 BB", house_number=1)
        case_services.party_add(
            by_phone, role=PartyRole.REPORTER, name="B. Buur", phone="0612345678", by=None
        )
        by_name = _case_at(house_number=80)  # same postcode, far along the street
        case_services.party_add(by_name, role=PartyRole.REPORTER, name="Bea Buur", by=None)
        name_elsewhere = _case_at(street="Markt", postcode="2713 BB", house_number=3)
        case_services.party_add(name_elsewhere, role=PartyRole.REPORTER, name="Bea Buur", by=None)
        closed_long_ago = _case_at(registered_on=D(2020, 1, 1), closed_on=D(2020, 2, 1))
        melding = intake_melding(reporter_name="bea buur", reporter_phone="0612345678")
        matches = matching_cases([melding])[melding.pk]
        found = {match.case: match.reasons for match in matches}
        assert found[same] == [Reason.ADDRESS]
        assert found[nearby] == [Reason.NEARBY]
        assert found[street] == [Reason.NEARBY]
        assert found[by_phone] == [Reason.REPORTER]
        assert found[by_name] == [Reason.REPORTER]
        assert far not in found and other_street not in found and closed_long_ago not in found
        assert name_elsewhere not in found
        assert matches[0].case == same

    def test_a_closed_case_matches_for_180_days_by_every_reason(self):
        """RECENTLY_CLOSED_DAYS, at its boundary, for each way a case is found: each part of
        the query keeps only open and recently closed cases itself."""
        today = D(2026, 12, 1)
        cases = {}
        for label in ("180", "181"):
            closed_on = today - datetime.timedelta(days=int(label))
            at_address = _case_at(registered_on=D(2025, 1, 1), closed_on=closed_on)
            nearby = _case_at(registered_on=D(2025, 1, 1), closed_on=closed_on, house_number=14)
            across = _case_at(
                registered_on=D(2025, 1, 1),
                closed_on=closed_on,
                house_number=10,
                postcode="2711 CD",
            )
            by_name = _case_at(registered_on=D(2025, 1, 1), closed_on=closed_on, house_number=90)
            case_services.party_add(by_name, role=PartyRole.REPORTER, name="Bea Buur", by=None)
            cases[label] = {at_address, nearby, across, by_name}
        melding = intake_melding(reporter_name="Bea Buur")
        found = {match.case for match in matching_cases([melding], today=today)[melding.pk]}
        assert found == cases["180"]

    def test_one_query_for_one_or_many(self, django_assert_num_queries):
        meldingen = [intake_melding(house_number=n, reporter_email=f"{n}@x.nl") for n in (1, 2)]
        many = [intake_melding(house_number=n, reporter_phone=f"06{n}") for n in range(3, 40)]
        _case_at(house_number=2)
        with django_assert_num_queries(1):
            matching_cases(meldingen[:1])
        with django_assert_num_queries(1):
            result = matching_cases(meldingen + many)
        assert len(result) == 39


class TestWorkdays:
    def test_weekends_and_feestdagen(self):
        assert add_workdays(D(2026, 11, 27), 5) == D(2026, 12, 4)  # Friday to Friday
        assert add_workdays(D(2026, 11, 28), 5) == D(2026, 12, 4)  # Saturday
        # Kerst: Friday 25 and Saturday 26 December 2026.
        assert add_workdays(D(2026, 12, 24), 1) == D(2026, 12, 28)
        assert not is_workday(D(2026, 4, 27)) and not is_workday(D(2026, 5, 14))  # Hemelvaart
        assert not is_workday(D(2025, 4, 26))  # Koningsdag on Saturday the 26th (27th Sunday)
        assert workdays_between(D(2026, 11, 27), D(2026, 12, 4)) == 5


class TestTermijnbewaking:
    def test_a_melding_is_due_after_its_werkdagen_in_the_team_list_only(self, settings):
        from woonoverlast.followups.selection import Kind, Urgency, due_for_team, due_for_user

        settings.INTAKE_HANDLE_WITHIN_WORKDAYS = 5
        melding = intake_melding()
        IntakeMelding.objects.filter(pk=melding.pk).update(
            received_at=datetime.datetime(2026, 11, 27, 10, tzinfo=datetime.UTC)  # a Friday
        )
        on_time = due_for_team(today=D(2026, 11, 30))  # Monday: due Friday, this week
        assert [(i.kind, i.urgency, i.due_on) for i in on_time.intake] == [
            (Kind.INTAKE, Urgency.THIS_WEEK, D(2026, 12, 4))
        ]
        assert on_time.intake[0].url == melding.get_absolute_url()
        late = due_for_team(today=D(2026, 12, 7))
        assert [i.urgency for i in late.intake] == [Urgency.OVERDUE]
        assert due_for_user(casemanager(), today=D(2026, 12, 7)).intake == []
        services.intake_melding_close(melding, outcome=Outcome.NO_NUISANCE, reason="x", by=None)
        assert due_for_team(today=D(2026, 12, 7)).intake == []

    def test_an_overdue_melding_is_te_laat_and_counted_in_the_team_table(self, settings, client):
        """Issue 27, item 15: the badge said "Melding afhandelen", and the row Niet
        toegewezen read 0 0 0 0 0 with a total of 2 (meldingen were a column not shown)."""
        import time_machine

        from woonoverlast.followups.selection import Urgency, due_for_team, team_rows

        settings.INTAKE_HANDLE_WITHIN_WORKDAYS = 5
        for _ in range(2):
            melding = intake_melding()
            IntakeMelding.objects.filter(pk=melding.pk).update(
                received_at=datetime.datetime(2026, 11, 27, 10, tzinfo=datetime.UTC)
            )
        late = due_for_team(today=D(2026, 12, 7))
        assert all(item.is_overdue and item.urgency_label == "Te laat" for item in late.intake)
        assert [i.urgency for i in late.overdue] == [Urgency.OVERDUE] * 2
        (row,) = team_rows(late)
        assert (row.name, row.overdue, row.total) == ("Niet toegewezen", 2, 2)
        with time_machine.travel(datetime.datetime(2026, 12, 7, 12, 0), tick=False):
            client.force_login(teamleider())
            html = client.get(reverse("followups:due")).content.decode()
            assert (
                '<a href="/termijnen/?casemanager=geen&amp;urgentie=te_laat#team-termijnen">'
                '<strong class="text-overdue">2</strong></a>'
            ) in html
            assert html.count("badge--overdue") >= 2
            filtered = client.get(
                reverse("followups:due"), {"casemanager": "geen", "urgentie": "te_laat"}
            )
            assert len(filtered.context["team_due"].items) == 2
            on_time = client.get(
                reverse("followups:due"), {"casemanager": "geen", "urgentie": "vandaag"}
            )
            assert on_time.context["team_due"].items == []

    def test_a_melder_not_informed_for_weeks(self, settings):
        from woonoverlast.followups.selection import Kind, due_for_case, due_for_user

        settings.INTAKE_FEEDBACK_AFTER_WEEKS = 6
        worker = casemanager()
        case = _case_at(casemanager=worker)
        melding = intake_melding(reporter_email="a@example.org")
        services.intake_melding_add_to_case(melding, case=case, by=worker)
        IntakeMelding.objects.filter(pk=melding.pk).update(
            reporter_informed_at=datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC)
        )
        anonymous = intake_melding()
        services.intake_melding_add_to_case(anonymous, case=case, by=worker)
        assert due_for_case(case, today=D(2026, 11, 11)).feedback == []
        due = due_for_user(worker, today=D(2026, 11, 12)).feedback
        assert [(i.kind, i.reference, i.due_on) for i in due] == [
            (Kind.FEEDBACK, case.reference, D(2026, 11, 12))
        ]
        case_services.case_close(case, on=D(2026, 11, 12), reason="opgelost", by=worker)
        assert due_for_case(case, today=D(2026, 12, 12)).feedback == []


def test_ten_meldingen_on_one_case_change_no_cell_of_tabel_51():
    from reports import tabel51

    def cells():
        table = tabel51.compute(2023)
        return [
            (row.name, [row.cell(h, s) for h, s in tabel51.COLUMNS])
            for row in [*table.rows, table.total]
        ]

    case = _case_at(registered_on=D(2023, 3, 1))
    _case_at(registered_on=D(2023, 5, 1), closed_on=D(2023, 9, 1), house_number=99)
    before = cells()
    for number in range(10):
        melding = intake_melding(reporter_email=f"{number}@example.org")
        services.intake_melding_add_to_case(melding, case=case, by=None)
    assert case.meldingen.count() == 10
    assert cells() == before


def test_the_command(settings):
    from io import StringIO

    from django.core.management import call_command

    melding = intake_melding(reporter_name="Oud")
    services.intake_melding_close(melding, outcome=Outcome.NO_NUISANCE, reason="x", by=None)
    IntakeMelding.objects.filter(pk=melding.pk).update(
        handled_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    out = StringIO()
    call_command("meldingen_anonimiseren", "--proef", stdout=out)
    assert melding.reference in out.getvalue() and "niets gewijzigd" in out.getvalue()
    call_command("meldingen_anonimiseren", stdout=out)
    melding.refresh_from_db()
    assert melding.anonymised_at and melding.reporter_name == ""
