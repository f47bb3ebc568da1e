"""The daily digest: its content per user, no personal data, idempotency, the command, tasks."""

import datetime
import json
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from tests.factories import CaseFactory, action, casemanager, rapportage, teamleider
from woonoverlast import celery_app
from woonoverlast.cases import services as case_services
from woonoverlast.cases.choices import ActionType, PartyRole
from woonoverlast.followups import services, tasks
from woonoverlast.followups.models import FollowUpSettings, Notification, NotificationKind
from woonoverlast.followups.selection import DueList

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2024, 6, 12)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen_today():
    moment = datetime.datetime(2024, 6, 12, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture(autouse=True)
def config():
    FollowUpSettings.objects.update_or_create(
        pk=1,
        defaults={"stalled_after_days": 30, "aftercare_after_weeks": 6, "aftercare_since": None},
    )


@pytest.fixture
def eager_celery():
    """Tasks run in-process here, also where a broker is configured (.ci/run's second pass)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


SECRETS = [
    "Geheimstraat",
    "2799 ZZ",
    "Jansje Verborgen",
    "jansje@verborgen.example",
    "06-99999999",
    "Buurman hoort alles",
    "Notitie over de veroorzaker",
    "Bevinding in de woning",
    "Aanwezig: bewoner Verborgen",
    "Melding over lawaai",
    "Omschrijving van de casus",
]


@pytest.fixture
def team():
    """Two casemanagers and a team leader; cases with personal data that must not leak."""
    sanne = casemanager(first_name="Sanne", last_name="de Vries")
    mark = casemanager(first_name="Mark", last_name="Bakker")
    leader = teamleider(first_name="Ahmed", last_name="El Khatib")
    kase = CaseFactory(
        registered_on=D(2024, 5, 1),
        casemanager=sanne,
        street="Geheimstraat",
        house_number=7,
        postcode="2799 ZZ",
        description="Omschrijving van de casus",
        first_melding_text="Melding over lawaai",
    )
    case_services.party_add(
        kase,
        role=PartyRole.RESPONDENT,
        name="Jansje Verborgen",
        email="jansje@verborgen.example",
        phone="06-99999999",
        notes="Buurman hoort alles",
        by=None,
    )
    # Overdue follow-up (10 June), due today, and a huisbezoek with findings due this week.
    action(
        kase,
        performed_on=D(2024, 6, 1),
        follow_up_on=D(2024, 6, 10),
        notes="Notitie over de veroorzaker",
    )
    action(kase, performed_on=D(2024, 6, 3), follow_up_on=TODAY)
    action(
        kase,
        action_type=ActionType.HOME_VISIT,
        performed_on=D(2024, 6, 4),
        follow_up_on=D(2024, 6, 14),
        present="Aanwezig: bewoner Verborgen",
        findings="Bevinding in de woning",
    )
    quiet = CaseFactory(registered_on=D(2024, 4, 1), casemanager=sanne)  # stalled
    closed = CaseFactory(registered_on=D(2024, 3, 1), casemanager=mark, closed_on=D(2024, 4, 1))
    return {
        "sanne": sanne,
        "mark": mark,
        "leader": leader,
        "case": kase,
        "quiet": quiet,
        "closed": closed,
    }


def texts(notification) -> str:
    return "\n".join(
        [notification.title, notification.body, json.dumps(notification.data, ensure_ascii=False)]
    )


class TestContent:
    def test_a_casemanagers_digest(self, team):
        (digest,) = services.digest_build(team["sanne"], on=TODAY)
        case, quiet = team["case"].reference, team["quiet"].reference
        assert digest.kind == NotificationKind.DIGEST
        assert digest.title == (
            "Dagoverzicht 12-06-2024: 1 te laat, 1 vandaag, 1 deze week, 1 stilgevallen"
        )
        assert digest.link == "/termijnen/"
        assert digest.body.splitlines()[:7] == [
            "Termijnbewaking van woensdag 12-06-2024 voor uw casussen.",
            "",
            "Te laat (1)",
            f"- {case}: Vervolg op gesprek van 01-06-2024 (vervolgdatum 10-06-2024)",
            f"  {settings.SITE_URL}/casussen/{case}/",
            "",
            "Vandaag (1)",
        ]
        assert f"- {case}: Vervolg op huisbezoek van 04-06-2024 (vervolgdatum 14-06-2024)" in (
            digest.body
        )
        assert f"- {quiet}: Geen actie sinds 01-04-2024" in digest.body
        assert [s["title"] for s in digest.data["sections"]] == [
            "Te laat",
            "Vandaag",
            "Deze week",
            "Stilgevallen casussen",
        ]
        assert digest.data["sections"][0]["items"][0]["reference"] == case

    def test_a_long_section_names_the_most_urgent_and_counts_the_rest(self, team, monkeypatch):
        monkeypatch.setattr(DueList, "SHOWN", 1)
        for day in (2, 3):
            CaseFactory(registered_on=D(2024, 4, day), casemanager=team["sanne"])  # stalled
        (digest,) = services.digest_build(team["sanne"], on=TODAY)
        stalled = digest.data["sections"][-1]
        assert (stalled["title"], stalled["count"], stalled["more"]) == (
            "Stilgevallen casussen",
            3,
            2,
        )
        assert len(stalled["items"]) == 1
        assert "Stilgevallen casussen (3)" in digest.body
        assert "- en nog 2: zie Termijnen" in digest.body
        html = render_to_string("followups/_notification_body.html", {"data": digest.data})
        assert "Stilgevallen casussen (3)" in html and "En nog 2:" in html

    def test_nazorg_in_the_digest_of_the_case_it_belongs_to(self, team):
        (digest,) = services.digest_build(team["mark"], on=TODAY)
        assert digest.title == "Dagoverzicht 12-06-2024: 1 nazorg"
        assert f"- {team['closed'].reference}: Nazorgcontact, afgerond op 01-04-2024" in (
            digest.body
        )

    def test_the_team_leaders_overview(self, team):
        (overview,) = services.digest_build(team["leader"], on=TODAY)  # no cases of his own
        assert overview.kind == NotificationKind.TEAM
        assert overview.title.startswith("Teamoverzicht 12-06-2024: 1 te laat, 1 vandaag")
        lines = overview.body.splitlines()
        assert "- Mark Bakker: 0 / 0 / 0 / 0 / 1" in lines
        assert "- Sanne de Vries: 1 / 1 / 1 / 1 / 0" in lines
        # Only the overdue items are listed, with whose they are.
        assert (
            f"- {team['case'].reference}: Vervolg op gesprek van 01-06-2024 "
            "(vervolgdatum 10-06-2024) – Sanne de Vries"
        ) in lines
        assert "huisbezoek" not in overview.body
        assert [row["name"] for row in overview.data["rows"]] == ["Mark Bakker", "Sanne de Vries"]

    def test_a_team_leader_with_cases_gets_both(self, team):
        kase = CaseFactory(registered_on=D(2024, 6, 1), casemanager=team["leader"])
        action(kase, performed_on=D(2024, 6, 1), follow_up_on=TODAY)
        kinds = [n.kind for n in services.digest_build(team["leader"], on=TODAY)]
        assert kinds == [NotificationKind.DIGEST, NotificationKind.TEAM]

    def test_no_personal_data_in_any_digest(self, team):
        notifications = []
        for user in (team["sanne"], team["mark"], team["leader"]):
            notifications += services.digest_build(user, on=TODAY)
        assert len(notifications) == 3
        for notification in notifications:
            stored = texts(notification)
            for secret in SECRETS:
                assert secret not in stored

    def test_rapportage_and_people_with_nothing_due_get_nothing(self, team):
        assert services.digest_build(rapportage(), on=TODAY) == []
        assert services.digest_build(casemanager(), on=TODAY) == []
        assert not Notification.objects.exists()


class TestIdempotency:
    def test_twice_on_one_day_sends_one_digest_each(self, team, mailoutbox):
        first = services.digest_run(on=TODAY)
        second = services.digest_run(on=TODAY)
        assert (first.stored, first.emailed) == (3, 3)
        assert (second.stored, second.emailed) == (3, 0)
        assert Notification.objects.count() == 3
        assert sorted(m.to[0] for m in mailoutbox) == sorted(
            u.email for u in (team["sanne"], team["mark"], team["leader"])
        )
        assert all(n.emailed_at for n in Notification.objects.all())

    def test_the_next_day_is_a_new_digest(self, team, mailoutbox):
        services.digest_run(on=TODAY)
        services.digest_run(on=TODAY + datetime.timedelta(days=1))
        assert Notification.objects.filter(recipient=team["sanne"]).count() == 2
        assert len(mailoutbox) == 6

    def test_the_database_refuses_a_second_digest_of_a_day(self, team):
        (digest,) = services.digest_build(team["sanne"], on=TODAY)
        with pytest.raises(IntegrityError), transaction.atomic():
            Notification.objects.create(
                recipient=digest.recipient, digest_on=TODAY, kind=digest.kind, title="x", body="x"
            )

    def test_a_crash_halfway_then_a_rerun_loses_and_doubles_nothing(self, team, mailoutbox):
        class Crash(BaseException):
            """The process dies: nothing catches this."""

        real_send = services.send_mail
        calls = []

        def send_then_die(**kwargs):
            calls.append(kwargs["recipient_list"])
            if len(calls) == 2:
                raise Crash
            return real_send(**kwargs)

        with mock.patch.object(services, "send_mail", send_then_die), pytest.raises(Crash):
            services.digest_run(on=TODAY)
        # One e-mail went out; the second digest is stored but marked unsent; the third
        # recipient was not reached.
        assert len(mailoutbox) == 1
        assert Notification.objects.count() == 2
        assert Notification.objects.filter(emailed_at__isnull=True).count() == 1

        services.digest_run(on=TODAY)
        assert Notification.objects.count() == 3
        assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
        recipients = [m.to[0] for m in mailoutbox]
        assert len(recipients) == len(set(recipients)) == 3

    def test_no_e_mail_address_keeps_the_bericht(self, team, mailoutbox):
        team["sanne"].email = ""
        team["sanne"].save()
        delivery = services.digest_deliver(team["sanne"], on=TODAY)
        assert (delivery.stored, delivery.emailed) == (1, 0)
        assert mailoutbox == []

    def test_the_e_mail_is_the_stored_text(self, team, mailoutbox):
        services.digest_deliver(team["sanne"], on=TODAY)
        (mail,) = mailoutbox
        digest = Notification.objects.get()
        assert mail.subject == f"Woonoverlast – {digest.title}"
        assert mail.body == digest.body
        assert mail.from_email == settings.DEFAULT_FROM_EMAIL
        for secret in SECRETS:
            assert secret not in mail.subject + mail.body


class TestCommand:
    def test_runs_the_daily_job_by_hand(self, team, mailoutbox):
        out = StringIO()
        call_command("termijnbewaking", stdout=out)
        assert out.getvalue().strip() == (
            "Termijnbewaking 12-06-2024: 3 dagoverzicht(en) in de app, 3 e-mail(s) nu verstuurd."
        )
        call_command("termijnbewaking", stdout=out)
        assert len(mailoutbox) == 3

    def test_for_another_day(self, team):
        call_command("termijnbewaking", "--datum", "2024-06-10", stdout=StringIO())
        assert set(Notification.objects.values_list("digest_on", flat=True)) == {D(2024, 6, 10)}

    def test_refuses_a_bad_date(self):
        with pytest.raises(CommandError, match="JJJJ-MM-DD"):
            call_command("termijnbewaking", "--datum", "12-06-2024")

    def test_a_failure_for_one_user_does_not_stop_the_others(self, team, mailoutbox):
        real_send = services.send_mail

        def refuse_sanne(**kwargs):
            if kwargs["recipient_list"] == [team["sanne"].email]:
                raise ConnectionRefusedError("mailserver weg")
            return real_send(**kwargs)

        err = StringIO()
        with (
            mock.patch.object(services, "send_mail", refuse_sanne),
            pytest.raises(CommandError, match="draai de opdracht opnieuw"),
        ):
            call_command("termijnbewaking", stdout=StringIO(), stderr=err)
        assert "mailserver weg" in err.getvalue()
        assert len(mailoutbox) == 2
        call_command("termijnbewaking", stdout=StringIO())
        assert sorted(m.to[0] for m in mailoutbox) == sorted(
            u.email for u in (team["sanne"], team["mark"], team["leader"])
        )


class TestTasks:
    def test_the_daily_task_fans_out_per_user_after_commit(
        self, team, mailoutbox, eager_celery, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            assert tasks.daily_digest.delay(TODAY.isoformat()).get() == 3
        assert len(callbacks) == 3
        assert Notification.objects.count() == 3
        assert len(mailoutbox) == 3

    def test_nothing_is_enqueued_before_commit(self, team, django_capture_on_commit_callbacks):
        with (
            mock.patch.object(tasks.user_digest, "delay") as delay,
            django_capture_on_commit_callbacks(execute=False) as callbacks,
        ):
            tasks.daily_digest(TODAY.isoformat())
        assert delay.call_count == 0
        assert len(callbacks) == 3

    def test_without_a_date_the_task_takes_today(self, team, django_capture_on_commit_callbacks):
        with (
            mock.patch.object(tasks.user_digest, "delay") as delay,
            django_capture_on_commit_callbacks(execute=True),
        ):
            tasks.daily_digest()
        assert sorted(delay.call_args_list) == sorted(
            mock.call(user.pk, "2024-06-12")
            for user in (team["sanne"], team["mark"], team["leader"])
        )

    def test_the_user_task_is_idempotent(self, team, mailoutbox):
        assert tasks.user_digest(team["sanne"].pk, TODAY.isoformat()) == 1
        assert tasks.user_digest(team["sanne"].pk, TODAY.isoformat()) == 0
        assert tasks.user_digest(999999, TODAY.isoformat()) == 0
        assert len(mailoutbox) == 1

    def test_tasks_are_acknowledged_late(self):
        assert tasks.daily_digest.acks_late and tasks.user_digest.acks_late

    def test_the_beat_schedule_runs_at_seven_in_amsterdam(self):
        entry = settings.CELERY_BEAT_SCHEDULE["termijnbewaking-dagelijks"]
        assert entry["task"] in celery_app.tasks
        assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
        assert celery_app.conf.timezone == "Europe/Amsterdam"


def test_with_the_mail_server_down_the_command_reports_what_was_stored(team, mailoutbox):
    """Issue 17, finding 12: '0 dagoverzicht(en)' although the digests were stored."""

    def server_down(**kwargs):
        raise ConnectionRefusedError("mailserver weg")

    out, err = StringIO(), StringIO()
    with (
        mock.patch.object(services, "send_mail", server_down),
        pytest.raises(CommandError, match="draai de opdracht opnieuw"),
    ):
        call_command("termijnbewaking", stdout=out, stderr=err)
    stored = Notification.objects.count()
    assert stored == 3
    assert out.getvalue().strip() == (
        "Termijnbewaking 12-06-2024: 3 dagoverzicht(en) in de app, 0 e-mail(s) nu verstuurd, "
        "3 e-mail(s) niet verstuurd (mailserver)."
    )
    assert not mailoutbox
    out = StringIO()
    call_command("termijnbewaking", stdout=out)
    assert "3 dagoverzicht(en) in de app, 3 e-mail(s) nu verstuurd." in out.getvalue()
