"""Casusoverleg: partners and convenanten, the agenda, the afspraken, the partner's window and
categories, and the register of verstrekkingen (woonoverlast.overleg)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import CaseFactory, casemanager, teamleider
from tests.overleg_helpers import (
    CARE_NOTE,
    SUMMARY,
    meeting_with_agenda,
    organisation,
    partner_user,
    rich_case,
    verified_login,
)
from woonoverlast.audit.models import AuditEvent
from woonoverlast.cases.models import Action
from woonoverlast.cases.querysets import follow_up_pending
from woonoverlast.cases.services import followup_complete
from woonoverlast.common.validation import today
from woonoverlast.overleg import services
from woonoverlast.overleg.choices import DataCategory, DisclosureChannel, ItemState, PartnerKind
from woonoverlast.overleg.models import Covenant, Disclosure

pytestmark = pytest.mark.django_db

YESTERDAY = lambda: today() - datetime.timedelta(days=1)  # noqa: E731


@pytest.fixture(autouse=True)
def _pdf_as_html(monkeypatch):
    """The PDF path prints HTML with LibreOffice; the tests read the HTML it would print."""
    monkeypatch.setattr(
        "woonoverlast.documents.conversion.to_pdf", lambda data, *, suffix: b"%PDF-" + data
    )


# -- partners and convenanten -----------------------------------------------------------------


def test_a_team_leader_saves_a_covenant_and_it_is_audited():
    org = organisation("Vidomes", categories=None)
    covenant = Covenant(
        organisation=org,
        title="Convenant woonoverlast",
        valid_from=datetime.date(2024, 1, 1),
        categories=[DataCategory.CARE, DataCategory.ADDRESS, DataCategory.ADDRESS],
    )
    services.covenant_save(covenant, by=teamleider())
    covenant.refresh_from_db()
    assert covenant.categories == [DataCategory.ADDRESS, DataCategory.CARE]
    assert AuditEvent.objects.filter(object_type="convenant", object_id=str(covenant.pk)).exists()


def test_a_casemanager_may_not_change_partners():
    with pytest.raises(PermissionDenied):
        services.organisation_save(organisation("X", categories=None), by=casemanager())


@pytest.mark.parametrize(
    ("categories", "field"),
    [([], "categories"), (["bsn"], "categories")],
)
def test_a_covenant_needs_known_categories(categories, field):
    covenant = Covenant(
        organisation=organisation("Politie", PartnerKind.POLITIE, categories=None),
        title="C",
        valid_from=datetime.date(2024, 1, 1),
        categories=categories,
    )
    with pytest.raises(ValidationError) as error:
        services.covenant_save(covenant, by=teamleider())
    assert field in error.value.message_dict


def test_a_covenant_does_not_end_before_it_starts():
    covenant = Covenant(
        organisation=organisation("Politie", PartnerKind.POLITIE, categories=None),
        title="C",
        valid_from=datetime.date(2024, 1, 2),
        valid_until=datetime.date(2024, 1, 1),
        categories=[DataCategory.ADDRESS],
    )
    with pytest.raises(ValidationError) as error:
        services.covenant_save(covenant, by=teamleider())
    assert "valid_until" in error.value.message_dict


def test_the_covenant_in_force_is_the_one_of_that_day():
    org = organisation(
        "Politie",
        PartnerKind.POLITIE,
        categories=[DataCategory.ADDRESS],
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2024, 12, 31),
    )
    assert services.covenant_in_force(org, datetime.date(2024, 12, 31)) is not None
    assert services.covenant_in_force(org, datetime.date(2025, 1, 1)) is None
    assert services.covenant_in_force(org, datetime.date(2023, 12, 31)) is None


# -- the agenda -------------------------------------------------------------------------------


def test_a_casemanager_proposes_and_the_chair_sets_the_agenda():
    chair, colleague = casemanager(), casemanager()
    meeting = services.meeting_create(held_on=today(), chair=chair, by=chair)
    first, second = CaseFactory(), CaseFactory()
    one = services.agenda_propose(
        meeting=meeting, case=first, question="Kan de corporatie bellen?", by=colleague
    )
    two = services.agenda_propose(
        meeting=meeting, case=second, question="Wie kent hem?", by=colleague
    )
    with pytest.raises(PermissionDenied):
        services.agenda_set(meeting=meeting, accepted=[one.pk], by=colleague)
    services.agenda_set(meeting=meeting, accepted=[two.pk], by=chair)
    one.refresh_from_db(), two.refresh_from_db()
    assert (one.state, two.state) == (ItemState.DECLINED, ItemState.ACCEPTED)
    assert [item.case for item in services.agenda_items(meeting)] == [second]


def test_a_case_is_proposed_once_with_a_question_and_only_while_open():
    chair = casemanager()
    meeting = services.meeting_create(held_on=today(), chair=chair, by=chair)
    case = CaseFactory()
    with pytest.raises(ValidationError) as error:
        services.agenda_propose(meeting=meeting, case=case, question=" ", by=chair)
    assert "question" in error.value.message_dict
    services.agenda_propose(meeting=meeting, case=case, question="Vraag", by=chair)
    with pytest.raises(ValidationError):
        services.agenda_propose(meeting=meeting, case=case, question="Nog eens", by=chair)
    closed = CaseFactory(closed_on=datetime.date(2023, 6, 1))
    with pytest.raises((ValidationError, PermissionDenied)):
        services.agenda_propose(meeting=meeting, case=closed, question="Vraag", by=teamleider())


# -- afspraken --------------------------------------------------------------------------------


@pytest.fixture
def held():
    """A meeting held yesterday with one case, a corporatie taking part."""
    org = organisation("Vidomes", categories=[DataCategory.ADDRESS])
    user, contact = partner_user(org)
    case = rich_case()
    meeting, (item,) = meeting_with_agenda(held_on=YESTERDAY(), contacts=[contact], cases=[case])
    return {
        "org": org,
        "user": user,
        "contact": contact,
        "case": case,
        "meeting": meeting,
        "item": item,
    }


def test_the_bespreking_goes_on_the_timeline(held):
    item, chair = held["item"], held["meeting"].chair
    services.item_record_minutes(item=item, minutes="Corporatie gaat langs.", by=chair)
    services.item_record_minutes(item=item, minutes="Corporatie gaat morgen langs.", by=chair)
    actions = Action.objects.filter(case=held["case"], action_type="ketenoverleg")
    assert actions.count() == 1
    assert actions.get().notes.endswith("Corporatie gaat morgen langs.")


def test_the_bespreking_waits_for_the_meeting():
    chair = casemanager()
    _meeting, (item,) = meeting_with_agenda(
        held_on=today() + datetime.timedelta(days=1),
        contacts=[],
        cases=[CaseFactory()],
        chair=chair,
    )
    with pytest.raises(ValidationError):
        services.item_record_minutes(item=item, minutes="Te vroeg", by=chair)


def test_a_colleagues_afspraak_is_a_follow_up_in_termijnbewaking(held):
    colleague = casemanager()
    due = today() + datetime.timedelta(days=10)
    agreement = services.agreement_add(
        item=held["item"],
        text="Huisbezoek met wijkagent",
        due_on=due,
        owner_user=colleague,
        by=held["meeting"].chair,
    )
    action = agreement.action
    assert (action.follow_up_on, action.performed_by) == (due, colleague)
    assert Action.objects.filter(follow_up_pending(), pk=action.pk).exists()
    # Settled in Termijnen: the afspraak is done on the same day.
    followup_complete(action, on=today(), by=colleague)
    agreement.refresh_from_db()
    assert agreement.done_on == today()


def test_a_partners_afspraak_is_marked_done_by_that_partner_only(held):
    agreement = services.agreement_add(
        item=held["item"],
        text="Brief sturen",
        due_on=today(),
        owner_organisation=held["org"],
        by=held["meeting"].chair,
    )
    assert agreement.action is None
    other_user, _ = partner_user(
        organisation("Politie", PartnerKind.POLITIE, categories=[DataCategory.ADDRESS])
    )
    with pytest.raises(PermissionDenied):
        services.agreement_complete(agreement, note="Niet van ons", by=other_user)
    services.agreement_complete(agreement, note="Brief is verstuurd", by=held["user"])
    agreement.refresh_from_db()
    assert (agreement.done_on, agreement.done_note, agreement.done_in_time) == (
        today(),
        "Brief is verstuurd",
        True,
    )
    with pytest.raises(ValidationError):
        services.agreement_complete(agreement, note="Nog eens", by=held["user"])


def test_an_afspraak_needs_one_owner_and_a_date_not_before_the_meeting(held):
    chair = held["meeting"].chair
    with pytest.raises(ValidationError) as error:
        services.agreement_add(item=held["item"], text="x", due_on=today(), by=chair)
    assert "owner" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.agreement_add(
            item=held["item"],
            text="x",
            due_on=held["meeting"].held_on - datetime.timedelta(days=1),
            owner_organisation=held["org"],
            by=chair,
        )
    assert "due_on" in error.value.message_dict


def test_the_next_overleg_starts_with_the_afspraken_of_the_last(held):
    chair = held["meeting"].chair
    late = services.agreement_add(
        item=held["item"],
        text="Te laat",
        due_on=YESTERDAY(),
        owner_organisation=held["org"],
        by=chair,
    )
    done = services.agreement_add(
        item=held["item"], text="Gedaan", due_on=today(), owner_organisation=held["org"], by=chair
    )
    services.agreement_complete(done, note="Klaar", by=held["user"])
    following = services.meeting_create(
        held_on=today() + datetime.timedelta(days=14), chair=chair, by=chair
    )
    carried = services.meeting_carried_over(following)
    assert carried.previous == held["meeting"]
    assert [a.pk for a in carried.agreements] == [late.pk, done.pk]  # open first
    assert carried.open_count == 1
    assert carried.agreements[0].is_overdue(today())


# -- the partner's window and categories --------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "visible"),
    [(-8, False), (-7, True), (0, True), (14, True), (15, False)],
    ids=["day-before-first", "first-day", "meeting-day", "last-day", "day-after-last"],
)
def test_the_partner_window(held, offset, visible, settings):
    settings.OVERLEG_PARTNER_DAYS_BEFORE, settings.OVERLEG_PARTNER_DAYS_AFTER = 7, 14
    on = held["meeting"].held_on + datetime.timedelta(days=offset)
    assert services.partner_meetings(held["user"], on=on).exists() is visible
    if not visible:
        with pytest.raises(PermissionDenied):
            services.partner_meeting(held["user"], held["meeting"].pk, on=on)


def test_the_window_follows_the_settings(held, settings):
    settings.OVERLEG_PARTNER_DAYS_BEFORE, settings.OVERLEG_PARTNER_DAYS_AFTER = 2, 3
    meeting = held["meeting"]
    assert services.partner_window(meeting) == (
        meeting.held_on - datetime.timedelta(days=2),
        meeting.held_on + datetime.timedelta(days=3),
    )


def test_a_partner_not_invited_sees_nothing(held):
    outsider, _ = partner_user(
        organisation("Politie", PartnerKind.POLITIE, categories=list(DataCategory.values))
    )
    assert not services.partner_meetings(outsider, on=today()).exists()


def test_nothing_before_the_agenda_is_set():
    org = organisation("Vidomes", categories=[DataCategory.ADDRESS])
    user, contact = partner_user(org)
    chair = casemanager()
    meeting = services.meeting_create(
        held_on=today(), chair=chair, partner_contacts=[contact], by=chair
    )
    services.agenda_propose(meeting=meeting, case=CaseFactory(), question="Vraag", by=chair)
    assert not services.partner_meetings(user, on=today()).exists()


MARKERS = {
    DataCategory.ADDRESS: [SUMMARY, "Geluidsoverlast"],
    DataCategory.COURSE: ["Gesprek", "Lopend"],
    DataCategory.MEASURES: ["last onder dwangsom"],
    DataCategory.CARE: [CARE_NOTE, "Zorgcomponent", "Zorg/hulpverlening geregeld"],
}


def _texts_shown(html: str) -> dict:
    return {category: [m for m in markers if m in html] for category, markers in MARKERS.items()}


@pytest.fixture
def window_partner(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_KETENPARTNER = True

    def build(categories):
        org = organisation("Partner", PartnerKind.ZORG, categories=categories)
        user, contact = partner_user(org)
        case = rich_case()
        meeting, _ = meeting_with_agenda(held_on=today(), contacts=[contact], cases=[case])
        return user, meeting, case

    return build


@pytest.mark.parametrize("allowed", list(DataCategory.values))
def test_each_category_reaches_the_partner_only_when_allowed(client, window_partner, allowed):
    """Page, case page, PDF and download: what the convenant allows, and nothing else."""
    user, meeting, case = window_partner([allowed])
    verified_login(client, user)
    outputs = {
        "page": client.get(reverse("partner:meeting", kwargs={"pk": meeting.pk})),
        "case": client.get(
            reverse("partner:case", kwargs={"pk": meeting.pk, "reference": case.reference})
        ),
        "pdf": client.get(reverse("partner:agenda_pdf", kwargs={"pk": meeting.pk})),
        "download": client.get(
            reverse("partner:agenda_pdf", kwargs={"pk": meeting.pk}) + "?download=1"
        ),
    }
    for name, response in outputs.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert case.reference in html
        shown = _texts_shown(html)
        for category, markers in MARKERS.items():
            expected = markers if category == allowed else []
            assert shown[category] == expected, (name, category)
        if allowed != DataCategory.ADDRESS:
            assert case.street not in html, name
    assert outputs["download"]["Content-Disposition"].startswith("attachment")
    assert outputs["pdf"]["Content-Disposition"].startswith("inline")


def test_the_chairs_preview_is_exactly_what_the_partner_gets(client, window_partner):
    user, meeting, case = window_partner([DataCategory.ADDRESS, DataCategory.MEASURES])
    org = user.partner_contact.organisation
    client.force_login(meeting.chair)
    preview = client.get(
        reverse("overleg:preview", kwargs={"pk": meeting.pk, "organisation_pk": org.pk})
    )
    assert preview.status_code == 200
    shown = _texts_shown(preview.content.decode())
    assert shown[DataCategory.ADDRESS] and shown[DataCategory.MEASURES]
    assert not shown[DataCategory.COURSE] and not shown[DataCategory.CARE]
    assert not Disclosure.objects.exists()  # a preview is no verstrekking
    agenda = services.agenda_for_organisation(meeting, org, on=today())
    assert services.agenda_html(agenda).count(case.reference) >= 1


def test_without_a_covenant_in_force_a_partner_gets_nothing(client, window_partner):
    user, meeting, _case = window_partner([DataCategory.ADDRESS])
    Covenant.objects.update(
        valid_until=today() - datetime.timedelta(days=1), valid_from=datetime.date(2020, 1, 1)
    )
    verified_login(client, user)
    assert client.get(reverse("partner:meeting", kwargs={"pk": meeting.pk})).status_code == 403
    assert client.get(reverse("partner:agenda_pdf", kwargs={"pk": meeting.pk})).status_code == 403
    assert not Disclosure.objects.exists()


def test_a_case_not_on_the_agenda_is_refused_whatever_the_url(client, window_partner):
    user, meeting, case = window_partner([DataCategory.ADDRESS])
    other = CaseFactory()
    chair = meeting.chair
    services.agenda_propose(meeting=meeting, case=other, question="Niet geagendeerd", by=chair)
    verified_login(client, user)
    for reference in (other.reference, "WO-2099-9999"):
        url = reverse("partner:case", kwargs={"pk": meeting.pk, "reference": reference})
        assert client.get(url).status_code == 403
    assert (
        client.get(reverse("cases:detail", kwargs={"reference": case.reference})).status_code == 403
    )
    assert (
        client.get(reverse("partner:meeting", kwargs={"pk": meeting.pk + 100})).status_code == 403
    )
    page = client.get(reverse("partner:meeting", kwargs={"pk": meeting.pk})).content.decode()
    assert other.reference not in page


def test_an_unverified_partner_is_sent_to_set_up_two_factor(client, window_partner, settings):
    user, _meeting, _ = window_partner([DataCategory.ADDRESS])
    client.force_login(user)
    response = client.get(reverse("partner:home"))
    assert response.status_code == 302 and response.url == reverse("accounts:two_factor")
    settings.TWO_FACTOR_REQUIRED_FOR_KETENPARTNER = False
    assert client.get(reverse("partner:home")).status_code == 200


def test_the_start_page_sends_a_partner_to_partner_pages(client, window_partner):
    user, _, _ = window_partner([DataCategory.ADDRESS])
    verified_login(client, user)
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("partner:home")


# -- the register ---------------------------------------------------------------------------------


def test_every_view_pdf_and_download_is_registered(client, window_partner):
    user, meeting, case = window_partner([DataCategory.ADDRESS, DataCategory.CARE])
    verified_login(client, user)
    client.get(reverse("partner:meeting", kwargs={"pk": meeting.pk}))
    client.get(reverse("partner:case", kwargs={"pk": meeting.pk, "reference": case.reference}))
    client.get(reverse("partner:agenda_pdf", kwargs={"pk": meeting.pk}))
    client.get(reverse("partner:agenda_pdf", kwargs={"pk": meeting.pk}) + "?download=1")
    rows = list(Disclosure.objects.order_by("pk"))
    assert [row.channel for row in rows] == [
        DisclosureChannel.VIEW,
        DisclosureChannel.VIEW,
        DisclosureChannel.PDF,
        DisclosureChannel.DOWNLOAD,
    ]
    contact = user.partner_contact
    for row in rows:
        assert (row.case, row.organisation, row.contact, row.user, row.meeting) == (
            case,
            contact.organisation,
            contact,
            user,
            meeting,
        )
        assert row.covenant == services.covenant_in_force(contact.organisation, today())
        assert row.categories == [DataCategory.ADDRESS, DataCategory.CARE]


def test_the_register_per_partner_case_and_period_with_exports(client, window_partner):
    user, meeting, case = window_partner([DataCategory.ADDRESS])
    verified_login(client, user)
    client.get(reverse("partner:meeting", kwargs={"pk": meeting.pk}))
    client.logout()
    client.force_login(teamleider())
    url = reverse("overleg:register")
    org = user.partner_contact.organisation
    day = today().isoformat()
    assert case.reference in client.get(url, {"organisation": org.pk}).content.decode()
    assert (
        case.reference
        in client.get(url, {"reference": case.reference, "start": day, "end": day}).content.decode()
    )
    later = (today() + datetime.timedelta(days=1)).isoformat()
    assert case.reference not in client.get(url, {"start": later}).content.decode()
    csv = client.get(
        reverse("overleg:register_export", kwargs={"file_format": "csv"}), {"organisation": org.pk}
    )
    assert csv.status_code == 200 and case.reference in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("overleg:register_export", kwargs={"file_format": "xlsx"}))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    # The case file shows its own verstrekkingen.
    page = client.get(
        reverse("overleg:case", kwargs={"reference": case.reference})
    ).content.decode()
    assert "Partner" in page and "Bekeken op /partner/" in page


def test_the_register_is_for_team_leaders(client):
    client.force_login(casemanager())
    assert client.get(reverse("overleg:register")).status_code == 403


def test_the_bespreking_goes_into_the_dossier_as_a_pdf(held, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.DOSSIER_ROOT = str(tmp_path / "dossier")
    item, chair = held["item"], held["meeting"].chair
    with pytest.raises(ValidationError):
        services.item_minutes_to_dossier(item=item, by=chair)
    services.item_record_minutes(item=item, minutes="Corporatie gaat langs.", by=chair)
    services.agreement_add(
        item=item, text="Brief sturen", due_on=today(), owner_organisation=held["org"], by=chair
    )
    item.refresh_from_db()
    document = services.item_minutes_to_dossier(item=item, by=chair)
    assert (document.case, document.document_type, document.action) == (
        held["case"],
        "verslag",
        item.minutes_action,
    )
    with document.file.open("rb") as handle:
        content = handle.read().decode()
    assert "Corporatie gaat langs." in content and "Brief sturen" in content
    with pytest.raises(PermissionDenied):
        services.item_minutes_to_dossier(item=item, by=casemanager())
