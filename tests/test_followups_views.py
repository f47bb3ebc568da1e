"""Termijnbewaking in the screens: followup_complete, berichten, the header count, includes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from tests.factories import CaseFactory, action, casemanager, rapportage, teamleider
from woonoverlast.cases import services as case_services
from woonoverlast.followups import services
from woonoverlast.followups.models import FollowUpSettings, Notification
from woonoverlast.followups.selection import due_for_case, due_for_team, team_rows

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2024, 6, 12)


@pytest.fixture(autouse=True)
def frozen_today():
    moment = datetime.datetime(2024, 6, 12, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture(autouse=True)
def config():
    FollowUpSettings.objects.update_or_create(
        pk=1,
        defaults={"stalled_after_days": 30, "aftercare_after_weeks": 6, "aftercare_since": None},
    )


@pytest.fixture
def worker():
    return casemanager()


@pytest.fixture
def kase(worker):
    return CaseFactory(registered_on=D(2024, 6, 1), casemanager=worker)


@pytest.fixture
def follow_up(kase):
    return action(kase, performed_on=D(2024, 6, 3), follow_up_on=D(2024, 6, 10))


# -- the service -----------------------------------------------------------------------------


class TestFollowupComplete:
    def test_marks_the_follow_up_done(self, follow_up, worker):
        case_services.followup_complete(follow_up, on=TODAY, by=worker)
        follow_up.refresh_from_db()
        assert follow_up.follow_up_done_on == TODAY
        assert due_for_case(follow_up.case).items == []

    def test_may_be_done_on_the_day_of_the_action(self, follow_up, worker):
        case_services.followup_complete(follow_up, on=D(2024, 6, 3), by=worker)
        follow_up.refresh_from_db()
        assert follow_up.follow_up_done_on == D(2024, 6, 3)

    def test_refuses_twice(self, follow_up, worker):
        case_services.followup_complete(follow_up, on=D(2024, 6, 11), by=worker)
        with pytest.raises(ValidationError) as excinfo:
            case_services.followup_complete(follow_up, on=TODAY, by=worker)
        assert excinfo.value.message_dict == {
            NON_FIELD_ERRORS: ["Deze vervolgactie is al afgehandeld op 11-06-2024."]
        }
        follow_up.refresh_from_db()
        assert follow_up.follow_up_done_on == D(2024, 6, 11)

    def test_refuses_an_action_without_follow_up(self, kase, worker):
        plain = action(kase, performed_on=D(2024, 6, 3))
        with pytest.raises(ValidationError) as excinfo:
            case_services.followup_complete(plain, on=TODAY, by=worker)
        assert excinfo.value.message_dict == {
            NON_FIELD_ERRORS: ["Bij deze actie hoort geen vervolgactie."]
        }

    @pytest.mark.parametrize(
        ("on", "message"),
        [
            (D(2024, 6, 13), "De datum mag niet in de toekomst liggen."),
            (D(2024, 6, 2), "De datum mag niet voor de datum van de actie (03-06-2024) liggen."),
            (None, "Vul een datum in."),
        ],
    )
    def test_checks_the_date(self, follow_up, worker, on, message):
        with pytest.raises(ValidationError) as excinfo:
            case_services.followup_complete(follow_up, on=on, by=worker)
        assert excinfo.value.message_dict == {"on": [message]}
        follow_up.refresh_from_db()
        assert follow_up.follow_up_done_on is None


# -- marking a follow-up done in the screens -------------------------------------------------


class TestFollowupDoneView:
    def test_marks_done_today_and_returns_to_the_case_file(self, client, worker, follow_up):
        client.force_login(worker)
        response = client.post(reverse("followups:followup_done", args=[follow_up.pk]))
        assert response.status_code == 302
        assert response.url == follow_up.case.get_absolute_url()
        follow_up.refresh_from_db()
        assert follow_up.follow_up_done_on == TODAY

    def test_a_team_leader_may_too_and_next_is_followed(self, client, follow_up):
        client.force_login(teamleider())
        response = client.post(
            reverse("followups:followup_done", args=[follow_up.pk]), {"next": "/termijnen/"}
        )
        assert response.url == "/termijnen/"
        follow_up.refresh_from_db()
        assert follow_up.follow_up_done_on == TODAY

    def test_an_outside_next_is_ignored(self, client, worker, follow_up):
        client.force_login(worker)
        response = client.post(
            reverse("followups:followup_done", args=[follow_up.pk]),
            {"next": "https://elders.example/"},
        )
        assert response.url == follow_up.case.get_absolute_url()

    def test_the_refusal_is_shown_and_nothing_changes(self, client, worker, follow_up):
        case_services.followup_complete(follow_up, on=D(2024, 6, 11), by=worker)
        client.force_login(worker)
        response = client.post(
            reverse("followups:followup_done", args=[follow_up.pk]),
            {"next": "/termijnen/"},
            follow=True,
        )
        assert "Deze vervolgactie is al afgehandeld op 11-06-2024." in response.content.decode()
        follow_up.refresh_from_db()
        assert follow_up.follow_up_done_on == D(2024, 6, 11)

    def test_rapportage_may_not(self, client, follow_up):
        client.force_login(rapportage())
        response = client.post(reverse("followups:followup_done", args=[follow_up.pk]))
        assert response.status_code == 403
        follow_up.refresh_from_db()
        assert follow_up.follow_up_done_on is None

    def test_unknown_action(self, client, worker):
        client.force_login(worker)
        assert client.post(reverse("followups:followup_done", args=[999999])).status_code == 404


# -- berichten -------------------------------------------------------------------------------


@pytest.fixture
def digest(worker, follow_up):
    (notification,) = services.digest_build(worker, on=TODAY)
    return notification


class TestNotifications:
    def test_the_list_shows_my_berichten_with_links_to_the_cases(self, client, worker, digest):
        other = casemanager()
        other_case = CaseFactory(registered_on=D(2024, 6, 1), casemanager=other)
        action(other_case, performed_on=D(2024, 6, 3), follow_up_on=TODAY)
        services.digest_build(other, on=TODAY)
        client.force_login(worker)
        response = client.get(reverse("followups:notifications"))
        html = response.content.decode()
        assert "<title>Berichten" in html
        assert digest.title in html
        assert f'href="/casussen/{digest.data["sections"][0]["items"][0]["reference"]}/"' in html
        assert other_case.reference not in html
        assert list(response.context["notifications"]) == [digest]

    def test_the_header_counts_unread_berichten(self, client, worker, digest):
        client.force_login(worker)
        html = client.get(reverse("followups:notifications")).content.decode()
        assert '<span class="count-badge">1<span class="visually-hidden"> ongelezen</span>' in html

    def test_mark_one_as_read(self, client, worker, digest):
        client.force_login(worker)
        response = client.post(reverse("followups:notification_read", args=[digest.pk]))
        assert response.url == reverse("followups:notifications")
        digest.refresh_from_db()
        assert digest.read_at is not None
        html = client.get(reverse("followups:notifications")).content.decode()
        assert "count-badge" not in html

    def test_reading_again_keeps_the_first_time(self, worker, digest):
        first = services.notification_mark_read(digest, by=worker).read_at
        with time_machine.travel(datetime.datetime(2024, 6, 13, 9, 0, tzinfo=datetime.UTC)):
            assert services.notification_mark_read(digest, by=worker).read_at == first

    def test_someone_elses_bericht_is_not_found(self, client, digest):
        client.force_login(casemanager())
        response = client.post(reverse("followups:notification_read", args=[digest.pk]))
        assert response.status_code == 404
        digest.refresh_from_db()
        assert digest.read_at is None
        with pytest.raises(ValidationError):
            services.notification_mark_read(digest, by=casemanager())

    def test_mark_all_as_read(self, client, worker, digest):
        yesterday = services.digest_build(worker, on=D(2024, 6, 11))
        client.force_login(worker)
        response = client.post(reverse("followups:notifications_read_all"), follow=True)
        assert "Alle berichten zijn gemarkeerd als gelezen." in response.content.decode()
        assert not Notification.objects.filter(pk__in=[digest.pk, yesterday[0].pk]).filter(
            read_at__isnull=True
        )

    def test_rapportage_has_no_berichten(self, client):
        client.force_login(rapportage())
        html = client.get(reverse("reports:index")).content.decode()
        assert "Berichten" not in html
        assert client.get(reverse("followups:notifications")).status_code == 403

    def test_the_count_costs_one_query(self, worker, digest, django_assert_num_queries):
        from woonoverlast.followups.context_processors import notifications

        request = RequestFactory().get("/")
        request.user = worker
        worker._woonoverlast_roles = {"casemanager"}  # as the roles processor leaves it
        with django_assert_num_queries(0):
            context = notifications(request)
        with django_assert_num_queries(1):
            assert str(context["unread_notifications"]) == "1"  # as the header renders it

    def test_no_count_for_visitors(self, client):
        html = client.get(reverse("login")).content.decode()
        assert "Berichten" not in html


# -- the Termijnen page and the includes ------------------------------------------------------


class TestDueOverview:
    def test_a_casemanager_sees_their_termijnen(self, client, worker, follow_up):
        client.force_login(worker)
        response = client.get(reverse("followups:due"))
        html = response.content.decode()
        assert follow_up.case.reference in html
        assert "Te laat" in html
        assert "Termijnen per casemanager" not in html
        assert "team_due" not in response.context

    def test_a_team_leader_also_sees_the_team(self, client, worker, follow_up):
        client.force_login(teamleider())
        html = client.get(reverse("followups:due")).content.decode()
        assert "Termijnen per casemanager" in html
        assert follow_up.case.reference in html
        assert escape(str(worker)) in html


def render(template, request_user, **context):
    request = RequestFactory().get("/casussen/x/")
    request.user = request_user
    return render_to_string(template, {"request": request, **context})


class TestIncludes:
    def test_case_due_lists_the_cases_termijnen_with_a_done_button(self, worker, follow_up):
        case_services.case_update(follow_up.case, next_review_on=D(2024, 6, 14), by=None)
        html = render(
            "followups/case_due.html",
            worker,
            case_due=due_for_case(follow_up.case),
            can_work_cases=True,
        )
        assert '<h2 id="termijnen-kop">Termijnen</h2>' in html
        assert '<span class="badge badge--overdue">Te laat</span>' in html
        assert '<span class="badge badge--week">Deze week</span>' in html
        assert "Vervolg op gesprek van 03-06-2024" in html
        assert "Evaluatie</strong> op 14-06-2024" in html
        assert reverse("followups:followup_done", args=[follow_up.pk]) in html
        assert 'name="next" value="/casussen/x/"' in html

    def test_case_due_without_termijnen(self, worker, kase):
        html = render("followups/case_due.html", worker, case_due=due_for_case(kase))
        assert "Geen termijnen die verlopen zijn of deze week verlopen." in html

    def test_due_list_for_the_team(self, worker, follow_up):
        html = render(
            "followups/due_list.html",
            worker,
            due=due_for_team(),
            show_casemanager=True,
            caption="Termijnen van het team",
            can_work_cases=True,
        )
        assert "<caption>Termijnen van het team" in html
        assert f'<a href="/casussen/{follow_up.case.reference}/">' in html
        assert f'<td data-label="Casemanager">{worker}</td>' in html
        assert "10-06-2024" in html

    def test_due_list_empty(self, worker):
        html = render("followups/due_list.html", worker, due=due_for_team())
        assert "Er is niets te laat en deze week niets te doen." in html

    def test_team_summary(self, worker, follow_up):
        html = render("followups/team_summary.html", worker, team_rows=team_rows(due_for_team()))
        assert f'<th scope="row">{worker}</th>' in html
        assert '<strong class="text-overdue">1</strong>' in html


class TestSettingsAdmin:
    def test_a_team_leader_edits_the_periods(self, client):
        leader = teamleider(is_staff=True)
        client.force_login(leader)
        response = client.get("/beheer/followups/followupsettings/")
        assert response.status_code == 302
        assert response.url == "/beheer/followups/followupsettings/1/change/"
        response = client.post(
            response.url,
            {"stalled_after_days": "45", "aftercare_after_weeks": "8", "aftercare_since": ""},
        )
        assert response.status_code == 302
        row = FollowUpSettings.load()
        assert (row.stalled_after_days, row.aftercare_after_weeks, row.aftercare_since) == (
            45,
            8,
            None,
        )
        # One row only: no adding, no deleting.
        assert client.get("/beheer/followups/followupsettings/add/").status_code == 403
        assert client.get("/beheer/followups/followupsettings/1/delete/").status_code == 403

    def test_a_casemanager_may_not(self, client):
        client.force_login(casemanager(is_staff=True))
        assert client.get("/beheer/followups/followupsettings/1/change/").status_code == 403

    def test_without_the_row_the_defaults_hold(self):
        FollowUpSettings.objects.all().delete()
        row = FollowUpSettings.load()
        assert not FollowUpSettings.objects.exists()  # reading wrote nothing
        assert (row.stalled_after_days, row.aftercare_after_weeks, row.aftercare_since) == (
            30,
            6,
            None,
        )


def test_the_termijnen_page_shows_the_most_urgent_and_counts_the_rest(client, worker, monkeypatch):
    from woonoverlast.followups.selection import DueList

    monkeypatch.setattr(DueList, "SHOWN", 2)
    for day in (3, 4, 5):
        kase = CaseFactory(registered_on=D(2024, 6, 1), casemanager=worker)
        action(kase, performed_on=D(2024, 6, day), follow_up_on=D(2024, 6, day + 5))
    client.force_login(worker)
    response = client.get(reverse("followups:due"))
    html = response.content.decode()
    assert len(response.context["due"].shown) == 2
    assert "Hier staan de 2 meest urgente termijnen; er zijn er nog 1." in html
    # the most urgent first: the follow-up of 8 June (overdue) is shown, that of 10 June not
    assert "08-06-2024" in html and "10-06-2024" not in html
