"""Events for other systems (woonoverlast.events): the outbox written in each service's
transaction, the message without personal data, and delivery end to end to a receiving HTTP
server on 127.0.0.1: signed, in order per case, retried with back-off, a dead receiver not
holding up the others, failed deliveries retried by a team leader."""

import datetime
import json
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests import documents_helpers as document_files
from tests.events_helpers import dead_url, receiver
from tests.factories import CaseFactory, casemanager, district, intake_melding, measure, teamleider
from woonoverlast.audit.models import AuditEvent
from woonoverlast.cases import services
from woonoverlast.cases.choices import ClosingReason, HousingType
from woonoverlast.cases.models import Case
from woonoverlast.documents.services import documents_upload
from woonoverlast.events import services as event_services
from woonoverlast.events.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Event,
    Subscription,
    SubscriptionChannel,
)
from woonoverlast.events.tasks import deliver_due

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _fast_retries(settings, eager_celery):
    settings.EVENTS_RETRY_BASE_SECONDS = 30
    settings.EVENTS_MAX_ATTEMPTS = 3
    settings.EVENTS_DELIVERY_TIMEOUT_SECONDS = 5


def subscribe(url, *channels, name=None, **filters) -> Subscription:
    subscription = Subscription.objects.create(name=name or url, callback_url=url)
    for kanaal in channels or (Channel.CASES,):
        SubscriptionChannel.objects.create(
            subscription=subscription, kanaal=kanaal, filters=filters
        )
    return subscription


def events(**kwargs):
    return list(Event.objects.filter(**kwargs).values_list("kanaal", "resource", "actie"))


# -- the outbox --------------------------------------------------------------------------


def test_registering_a_case_writes_its_event_without_personal_data():
    case = CaseFactory(
        district=district("Centrum"),
        housing_type=HousingType.CORPORATIE,
        street="Geheimstraat",
        postcode="2711 AB",
        description="Buurman Jansen draait harde muziek",
        first_melding_text="Jansen schreeuwt",
    )
    event = Event.objects.get(resource="casus")
    message = event.message()
    assert message["kanaal"] == "casussen"
    assert message["actie"] == "create"
    assert message["hoofdObject"].endswith(f"/api/v1/casussen/{case.reference}/")
    assert message["resourceUrl"] == message["hoofdObject"]
    assert message["kenmerken"] == {
        "wijk": "Centrum",
        "woningtype": "corporatie",
        "status": "open",
    }
    assert set(message) == {
        "id",
        "kanaal",
        "hoofdObject",
        "resource",
        "resourceUrl",
        "actie",
        "aanmaakdatum",
        "kenmerken",
    }
    every_message = json.dumps([e.message() for e in Event.objects.all()])
    for personal in ("Geheimstraat", "2711", "Jansen"):
        assert personal not in every_message
    # Its first melding is an event of the case too.
    assert events(resource="melding") == [("casussen", "melding", "create")]


def test_the_event_is_in_the_services_transaction():
    """When writing the event fails, the case is not registered either: one transaction."""
    with (
        mock.patch.object(Event.objects, "create", side_effect=RuntimeError("outbox")),
        pytest.raises(RuntimeError),
    ):
        CaseFactory()
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(object_type="casus").exists()


def test_a_change_rolled_back_leaves_no_event():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        CaseFactory()
        1 / 0  # noqa: B018
    assert not Event.objects.exists()


def test_every_change_that_matters_is_an_event():
    cm, tl = casemanager(), teamleider()
    case = CaseFactory(registered_on=D(2026, 1, 5), by=cm)
    services.case_reassign(case, casemanager=tl, reason="Vakantie", by=tl)
    services.case_close(case, on=D(2026, 2, 1), reason=ClosingReason.RESOLVED, by=cm)
    services.case_reopen(case, on=D(2026, 2, 2), reason="Nieuwe meldingen", by=cm)
    services.melding_add(case, received_on=D(2026, 2, 3), source="buurtbewoner", text="Weer", by=cm)
    documents_upload(
        case=case,
        files=[SimpleUploadedFile("foto.jpg", document_files.jpeg())],
        document_type="foto",
        by=cm,
    )
    from woonoverlast.measures.choices import Step
    from woonoverlast.measures.services import measure_step_record

    started = measure(case, by=cm, on=D(2026, 2, 3))
    measure_step_record(started, step=Step.INVESTIGATION_REPORT, on=D(2026, 2, 4), by=cm)
    assert events() == [
        ("casussen", "casus", "create"),
        ("casussen", "casus", "reassign"),
        ("casussen", "status", "close"),
        ("casussen", "status", "reopen"),
        ("casussen", "melding", "create"),
        ("documenten", "document", "create"),
        ("maatregelen", "maatregel", "create"),
        ("maatregelen", "stap", "create"),
    ]
    step = Event.objects.get(resource="stap")
    assert step.kenmerken["stap"] == Step.INVESTIGATION_REPORT
    assert step.resource_url.endswith(f"/api/v1/maatregelen/{started.pk}/stappen/")
    hoofd_objects = set(Event.objects.values_list("hoofd_object", flat=True))
    assert hoofd_objects == {Event.objects.first().hoofd_object}
    closing = Event.objects.get(actie="close")
    assert closing.kenmerken["reden_afsluiten"] == ClosingReason.RESOLVED


def test_a_melding_received_and_handled():
    from woonoverlast.intake.services import intake_melding_close

    melding = intake_melding()
    intake_melding_close(melding, outcome="geen_woonoverlast", reason="Geen", by=casemanager())
    assert events(kanaal=Channel.INTAKE) == [
        ("meldingen", "melding", "create"),
        ("meldingen", "melding", "handle"),
    ]
    handled = Event.objects.get(actie="handle")
    assert handled.kenmerken["uitkomst"] == "geen_woonoverlast"
    assert handled.hoofd_object.endswith(f"/api/v1/meldingen/{melding.reference}/")
    assert "Dorpsstraat" not in json.dumps(handled.message())


def test_a_read_is_no_event():
    case = CaseFactory()
    before = Event.objects.count()
    services.case_update(case, by=teamleider())  # nothing changed: no audit, no event
    assert Event.objects.count() == before


# -- subscriptions and filters -------------------------------------------------------------


def test_only_matching_subscriptions_get_a_delivery():
    centrum = subscribe("http://127.0.0.1:9/a", wijk="Centrum")
    koop = subscribe("http://127.0.0.1:9/b", woningtype="koop")
    measures = subscribe("http://127.0.0.1:9/c", Channel.MEASURES)
    inactive = subscribe("http://127.0.0.1:9/d")
    Subscription.objects.filter(pk=inactive.pk).update(active=False)
    with mock.patch.object(event_services, "_post", return_value=""):
        CaseFactory(district=district("Centrum"), housing_type=HousingType.PARTICULIER)
    per_subscription = {
        subscription: Delivery.objects.filter(subscription=subscription).count()
        for subscription in (centrum, koop, measures, inactive)
    }
    assert per_subscription == {centrum: 1, koop: 0, measures: 0, inactive: 0}


# -- delivery end to end -------------------------------------------------------------------


def test_delivered_signed_and_in_order(django_capture_on_commit_callbacks):
    with receiver() as server:
        subscription = subscribe(server.url)
        with django_capture_on_commit_callbacks(execute=True):
            case = CaseFactory(registered_on=D(2026, 1, 5))
        with django_capture_on_commit_callbacks(execute=True):
            services.case_close(case, on=D(2026, 1, 6), reason=ClosingReason.RESOLVED, by=None)
        assert [m["actie"] for m in server.received] == ["create", "close"]
        first = server.requests[0]
        headers = first["headers"]
        assert headers["X-Woonoverlast-Event"] == server.received[0]["id"]
        expected = event_services.signature(
            subscription.secret, headers["X-Woonoverlast-Timestamp"], first["body"]
        )
        assert headers["X-Woonoverlast-Signature"] == expected
        forged = event_services.signature("fout", headers["X-Woonoverlast-Timestamp"], b"x")
        assert forged != expected
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}


def test_retry_after_the_receiver_fails_and_the_case_waits(django_capture_on_commit_callbacks):
    """The receiver fails once: the case's first event is retried after its back-off; the
    second waits behind it and follows in order; another case is not held up."""
    with receiver() as server:
        subscribe(server.url)
        server.fail_next = 1
        with django_capture_on_commit_callbacks(execute=True):
            case = CaseFactory(registered_on=D(2026, 1, 5))
        first = Delivery.objects.get()
        assert first.status == DeliveryStatus.PENDING
        assert first.attempts == 1
        assert first.last_error == "HTTP 500"
        wait = first.next_attempt_at - first.last_attempt_at
        assert wait == datetime.timedelta(seconds=30)
        with django_capture_on_commit_callbacks(execute=True):
            services.case_close(case, on=D(2026, 1, 6), reason=ClosingReason.RESOLVED, by=None)
            other = CaseFactory(registered_on=D(2026, 1, 7))
        # Only the other case got through; the close waits for the create.
        assert [m["hoofdObject"].rsplit("/", 2)[-2] for m in server.received] == [other.reference]
        assert event_services.delivery_attempt(first.pk) == "not_due"
        # Not yet due a second before the back-off ends; due after it.
        second = datetime.timedelta(seconds=1)
        assert event_services.deliveries_due(now=first.next_attempt_at - second) == []
        later = first.next_attempt_at + datetime.timedelta(seconds=1)
        assert event_services.deliveries_due(now=later) == [first.pk]
        with django_capture_on_commit_callbacks(execute=True):
            assert event_services.delivery_attempt(first.pk, now=later) == "delivered"
        actions = [(m["hoofdObject"].rsplit("/", 2)[-2], m["actie"]) for m in server.received]
        assert actions == [
            (other.reference, "create"),
            (case.reference, "create"),
            (case.reference, "close"),
        ]


def test_back_off_doubles():
    assert [event_services.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert event_services.backoff(30).total_seconds() == 6 * 3600


def test_a_dead_receiver_does_not_block_others(django_capture_on_commit_callbacks):
    with receiver() as server:
        dead = subscribe(dead_url(), name="dood")
        alive = subscribe(server.url, name="levend")
        with django_capture_on_commit_callbacks(execute=True):
            case = CaseFactory(registered_on=D(2026, 1, 5))
        with django_capture_on_commit_callbacks(execute=True):
            services.case_close(case, on=D(2026, 1, 6), reason=ClosingReason.RESOLVED, by=None)
        assert [m["actie"] for m in server.received] == ["create", "close"]
        assert not Delivery.objects.filter(subscription=alive).exclude(
            status=DeliveryStatus.DELIVERED
        )
        waiting = Delivery.objects.filter(subscription=dead).order_by("event_id")
        assert [d.status for d in waiting] == [DeliveryStatus.PENDING] * 2
        assert "ConnectionError" in waiting[0].last_error
        assert waiting[1].attempts == 0  # never sent before the first


def test_failed_for_good_then_retried_by_a_team_leader(client, django_capture_on_commit_callbacks):
    url = dead_url()
    subscription = subscribe(url)
    with django_capture_on_commit_callbacks(execute=True):
        CaseFactory(registered_on=D(2026, 1, 5))
    delivery = Delivery.objects.get()
    now = timezone.now()
    for _ in range(2):
        now += datetime.timedelta(hours=7)
        event_services.delivery_attempt(delivery.pk, now=now)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert event_services.deliveries_due(now=now + datetime.timedelta(days=1)) == []

    tl = teamleider()
    client.force_login(tl)
    page = client.get(reverse("events:failed"))
    assert page.status_code == 200
    assert "Opnieuw versturen" in page.content.decode()
    with receiver() as server:
        Subscription.objects.filter(pk=subscription.pk).update(callback_url=server.url)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("events:retry", args=[delivery.pk]))
        assert response.status_code == 302
        assert [m["actie"] for m in server.received] == ["create"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert AuditEvent.objects.filter(actor=tl, object_type="aflevering").exists()


def test_only_a_team_leader_retries():
    subscribe("http://127.0.0.1:9/x")
    with mock.patch.object(event_services, "_post", return_value="HTTP 500"):
        CaseFactory()
    delivery = Delivery.objects.get()
    with pytest.raises(PermissionDenied):
        event_services.delivery_retry(delivery, by=casemanager())


def test_the_sweeper_sends_what_a_killed_worker_left(django_capture_on_commit_callbacks):
    """A worker killed mid-way leaves its delivery pending (its transaction rolled back);
    the sweeper sends it again, and the receiver may see it twice (same id)."""
    with receiver() as server:
        subscribe(server.url)
        # The worker never ran the task.
        with (
            mock.patch("woonoverlast.events.tasks.deliver.delay"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            CaseFactory()
        assert server.received == []
        with django_capture_on_commit_callbacks(execute=True):
            assert deliver_due() == 1
        assert [m["actie"] for m in server.received] == ["create"]


def test_the_menu_leads_team_leaders_to_the_failed_deliveries(client):
    """The page of failed deliveries is reached from the menu, by those who may retry them."""
    url = reverse("events:failed")
    client.force_login(teamleider())
    assert f'href="{url}"' in client.get(reverse("home")).content.decode()
    client.force_login(casemanager())
    assert f'href="{url}"' not in client.get(reverse("home")).content.decode()


# -- purge of old events -------------------------------------------------------------------

WRITTEN = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def _event(*statuses, written=WRITTEN, delivered=None) -> Event:
    """An event written at `written`, with one delivery per status (to its own abonnement);
    the delivered ones delivered at `delivered` (default: a minute after writing)."""
    event = Event.objects.create(
        kanaal=Channel.CASES,
        resource="casus",
        actie="create",
        hoofd_object="http://testserver/api/v1/casussen/WO-2026-0001/",
        resource_url="http://testserver/api/v1/casussen/WO-2026-0001/",
        created_at=written,
    )
    for status in statuses:
        subscription = Subscription.objects.create(
            name=f"abonnement {Subscription.objects.count()}", callback_url="http://127.0.0.1:9/"
        )
        Delivery.objects.create(
            event=event,
            subscription=subscription,
            hoofd_object=event.hoofd_object,
            status=status,
            delivered_at=(delivered or written + datetime.timedelta(minutes=1))
            if status == DeliveryStatus.DELIVERED
            else None,
        )
    return event


def test_a_delivered_event_is_purged_the_day_after_its_retention(settings):
    """Kept up to EVENTS_RETENTION_DAYS after its last delivery (that moment included),
    deleted after it, with its deliveries."""
    settings.EVENTS_RETENTION_DAYS = 30
    delivered = WRITTEN + datetime.timedelta(days=2)
    event = _event(DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERED, delivered=delivered)
    last_moment = delivered + datetime.timedelta(days=30)
    assert event_services.events_purge(now=last_moment) == 0
    assert Event.objects.filter(pk=event.pk).exists()
    assert event_services.events_purge(now=last_moment + datetime.timedelta(seconds=1)) == 1
    assert not Event.objects.exists()
    assert not Delivery.objects.exists()


def test_an_event_nobody_wanted_is_purged_after_the_retention(settings):
    settings.EVENTS_RETENTION_DAYS = 7
    _event()
    assert event_services.events_purge(now=WRITTEN + datetime.timedelta(days=7)) == 0
    assert event_services.events_purge(now=WRITTEN + datetime.timedelta(days=7, seconds=1)) == 1


@pytest.mark.parametrize("status", [DeliveryStatus.PENDING, DeliveryStatus.FAILED])
def test_an_event_not_delivered_to_everyone_is_kept_until_it_is(settings, status):
    """A failed delivery waits on the page Notificaties to be sent again; a pending one for
    its receiver or its abonnement to come back: however old, the event stays."""
    settings.EVENTS_RETENTION_DAYS = 30
    event = _event(DeliveryStatus.DELIVERED, status)
    years_later = WRITTEN + datetime.timedelta(days=3 * 365)
    assert event_services.events_purge(now=years_later) == 0
    assert event.deliveries.count() == 2
    # Delivered in the end (a team leader sent it again): purged once the retention passed.
    event.deliveries.filter(status=status).update(
        status=DeliveryStatus.DELIVERED, delivered_at=years_later
    )
    assert event_services.events_purge(now=years_later + datetime.timedelta(days=30)) == 0
    assert event_services.events_purge(now=years_later + datetime.timedelta(days=31)) == 1


def test_the_purge_works_in_batches_and_leaves_recent_events(settings):
    settings.EVENTS_RETENTION_DAYS = 30
    old = [_event(DeliveryStatus.DELIVERED) for _ in range(3)]
    recent = _event(DeliveryStatus.DELIVERED, written=WRITTEN + datetime.timedelta(days=20))
    now = WRITTEN + datetime.timedelta(days=40)
    assert event_services.events_purge(now=now, batch=2) == 3
    assert list(Event.objects.all()) == [recent]
    assert not Event.objects.filter(pk__in=[event.pk for event in old]).exists()


def test_the_purge_runs_daily_on_beat(settings):
    from woonoverlast.events import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["notificaties-opruimen"]
    assert entry["task"] == tasks.purge.name == "events.purge"
    _event(DeliveryStatus.DELIVERED, written=timezone.now() - datetime.timedelta(days=400))
    assert tasks.purge() == 1


def test_the_retention_must_be_at_least_a_day():
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "woonoverlast.settings",
            "EVENTS_RETENTION_DAYS": "0",
        },
        capture_output=True,
        text=True,
    )
    assert "EVENTS_RETENTION_DAYS must be at least 1" in result.stderr


# -- managing abonnementen in the admin ----------------------------------------------------


def _admin_post(client, filters: str, kanaal=Channel.CASES):
    return client.post(
        reverse("admin:events_subscription_add"),
        {
            "name": "KCC",
            "callback_url": "https://kcc.example.nl/notificaties",
            "secret": "een-gedeeld-geheim",
            "active": "on",
            "channels-TOTAL_FORMS": "1",
            "channels-INITIAL_FORMS": "0",
            "channels-MIN_NUM_FORMS": "0",
            "channels-MAX_NUM_FORMS": "1000",
            "channels-0-kanaal": kanaal,
            "channels-0-filters": filters,
        },
    )


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ('{"Wijk": "Centrum"}', "Dit kanaal kent het kenmerk Wijk niet"),
        ('{"documenttype": "foto"}', "Dit kanaal kent het kenmerk documenttype niet"),
        ('["Centrum"]', "Geef de filters als kenmerken met een waarde"),
        ('{"wijk": ["Centrum", "Meerzicht"]}', "één waarde"),
    ],
)
def test_the_admin_refuses_a_filter_that_could_never_match(client, filters, message):
    client.force_login(teamleider(is_staff=True))
    response = _admin_post(client, filters)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscription.objects.exists()
    assert not SubscriptionChannel.objects.exists()


def test_a_team_leader_adds_an_abonnement_with_a_filter_in_the_admin(
    client, django_capture_on_commit_callbacks
):
    tl = teamleider(is_staff=True)
    client.force_login(tl)
    response = _admin_post(client, '{"wijk": "Centrum"}')
    assert response.status_code == 302, response.content.decode()[:2000]
    channel = SubscriptionChannel.objects.get()
    assert channel.filters == {"wijk": "Centrum"}
    assert AuditEvent.objects.filter(actor=tl, object_type="abonnement").exists()
    with mock.patch.object(event_services, "_post", return_value=""):
        CaseFactory(district=district("Centrum"))
        CaseFactory(district=district("Meerzicht"))
    assert Delivery.objects.filter(subscription=channel.subscription).count() == 1


def test_a_filter_stored_without_the_admins_check_breaks_no_case():
    """A row written past the admin (the shell, a data migration) with a list as filter
    delivers nothing to that abonnement; the case is still registered."""
    subscription = Subscription.objects.create(name="x", callback_url="http://127.0.0.1:9/")
    SubscriptionChannel.objects.create(
        subscription=subscription, kanaal=Channel.CASES, filters=["Centrum"]
    )
    CaseFactory()
    assert Case.objects.count() == 1
    assert not Delivery.objects.exists()
