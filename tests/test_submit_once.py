"""Every create form stores once when its page is submitted twice (a double click, a slow
connection, the browser's Back button): the one-time token of woonoverlast/submissions."""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.factories import CaseFactory, casemanager, teamleider
from tests.test_case_views import new_case_data
from woonoverlast.accounts.models import CaseAccessGrant
from woonoverlast.cases.models import Action, Case, Melding, Party, StatusChange
from woonoverlast.submissions.models import FormSubmission
from woonoverlast.submissions.views import ALREADY_SAVED

pytestmark = pytest.mark.django_db
D = datetime.date


def token_of(html: str) -> str:
    match = re.search(r'name="submission_token" value="([0-9a-f]{32})"', html)
    assert match, "no token in the form"
    return match[1]


def submit_twice(client, path, data):
    """GET the form page, then POST it twice with its token; both responses."""
    data = {**data, "submission_token": token_of(client.get(path).content.decode())}
    return client.post(path, data), client.post(path, data, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def leader(client):
    user = teamleider()
    client.force_login(user)
    return user


# name, POST data, what one save adds (a count), which case (open or closed)
ROUTES = [
    (
        "cases:action_add",
        {"action_type": "gesprek", "performed_on": "2024-03-05"},
        lambda case: Action.objects.count(),
        "open",
    ),
    (
        "cases:visit_add",
        {"performed_on": "2024-03-05", "present": "bewoner", "findings": "rommel"},
        lambda case: Action.objects.count(),
        "open",
    ),
    (
        "cases:melding_add",
        {"received_on": "2024-03-05", "source": "politie", "text": "lawaai"},
        lambda case: Melding.objects.count(),
        "open",
    ),
    (
        "cases:party_add",
        {"role": "melder", "name": "Piet Melder"},
        lambda case: Party.objects.count(),
        "open",
    ),
    (
        "cases:close",
        {"on": "2024-03-05", "reason": "opgelost"},
        lambda case: StatusChange.objects.count(),
        "open",
    ),
    (
        "cases:reopen",
        {"on": "2024-04-05", "reason": "Weer overlast"},
        lambda case: StatusChange.objects.count(),
        "closed",
    ),
    (
        "cases:grant_access",
        {"reason": "Overlast terug"},
        lambda case: CaseAccessGrant.objects.count(),
        "closed",
    ),
]


@pytest.mark.parametrize(("name", "data", "count", "state"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_form_page_submitted_twice_stores_once(client, leader, name, data, count, state):
    case = CaseFactory(
        registered_on=D(2024, 3, 1), closed_on=D(2024, 4, 1) if state == "closed" else None
    )
    if name == "cases:grant_access":
        data = {**data, "user": casemanager().pk}
    path = reverse(name, kwargs={"reference": case.reference})
    before = count(case)
    first, second = submit_twice(client, path, data)
    assert first.status_code == 302
    assert count(case) == before + 1
    assert second.redirect_chain[0] == (first.url, 302)
    assert ALREADY_SAVED in messages_of(second)
    assert FormSubmission.objects.count() == 1


def test_reassigning_twice_reassigns_once(client, leader):
    case = CaseFactory()
    colleague = casemanager()
    path = reverse("cases:reassign", kwargs={"reference": case.reference})
    first, second = submit_twice(
        client, path, {"casemanager": colleague.pk, "reason": "Verlof van de casemanager"}
    )
    assert first.status_code == 302 and ALREADY_SAVED in messages_of(second)
    from woonoverlast.audit.models import AuditAction, AuditEvent

    assert AuditEvent.objects.filter(action=AuditAction.REASSIGN).count() == 1


def test_registering_twice_registers_one_case_without_a_duplicate_warning(client, leader):
    path = reverse("cases:create")
    first, second = submit_twice(client, path, new_case_data())
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert first.url == case.get_absolute_url()
    assert second.redirect_chain == [(case.get_absolute_url(), 302)]
    html = second.content.decode()
    assert "Er loopt al een casus op dit adres" not in html
    assert ALREADY_SAVED in messages_of(second)


def test_a_new_form_page_is_a_new_submission(client, leader):
    case = CaseFactory(registered_on=D(2024, 3, 1))
    path = reverse("cases:melding_add", kwargs={"reference": case.reference})
    for text in ("lawaai", "weer lawaai"):
        token = token_of(client.get(path).content.decode())
        data = {"received_on": "2024-03-05", "source": "politie", "text": text}
        assert client.post(path, {**data, "submission_token": token}).status_code == 302
    assert Melding.objects.count() == 2


def test_back_to_a_page_loaded_anew_with_the_typed_values_stores_once(client, leader):
    """After Back the browser may load the form page anew (a new token) and put the typed
    values back in it: the same values to the same page within the window are the same
    submission; later, or with other values, they are new."""
    import time_machine

    from woonoverlast.submissions.services import REPEAT_WINDOW

    case = CaseFactory(registered_on=D(2024, 3, 1))
    path = reverse("cases:melding_add", kwargs={"reference": case.reference})
    data = {"received_on": "2024-03-05", "source": "politie", "text": "lawaai"}
    first = client.post(
        path, {**data, "submission_token": token_of(client.get(path).content.decode())}
    )
    again = client.post(
        path, {**data, "submission_token": token_of(client.get(path).content.decode())}, follow=True
    )
    assert again.redirect_chain[0] == (first.url, 302)
    assert ALREADY_SAVED in messages_of(again)
    assert Melding.objects.count() == 1
    later = datetime.datetime.now() + REPEAT_WINDOW + datetime.timedelta(minutes=1)
    with time_machine.travel(later):
        client.force_login(leader)
        token = token_of(client.get(path).content.decode())
        assert client.post(path, {**data, "submission_token": token}).status_code == 302
    assert Melding.objects.count() == 2


def test_a_refused_submit_keeps_the_token_for_the_corrected_one(client, leader):
    case = CaseFactory(registered_on=D(2024, 3, 1))
    path = reverse("cases:melding_add", kwargs={"reference": case.reference})
    token = token_of(client.get(path).content.decode())
    bad = client.post(
        path, {"received_on": "", "source": "politie", "text": "x", "submission_token": token}
    )
    assert bad.status_code == 200 and token_of(bad.content.decode()) == token
    good = {
        "received_on": "2024-03-05",
        "source": "politie",
        "text": "x",
        "submission_token": token,
    }
    assert client.post(path, good).status_code == 302
    assert client.post(path, good).status_code == 302
    assert Melding.objects.count() == 1


def test_someone_elses_token_is_not_a_way_to_their_result(client, leader):
    case = CaseFactory(registered_on=D(2024, 3, 1))
    path = reverse("cases:melding_add", kwargs={"reference": case.reference})
    data = {"received_on": "2024-03-05", "source": "politie", "text": "x"}
    submit_twice(client, path, data)
    token = FormSubmission.objects.get().token
    client.force_login(teamleider())
    client.raise_request_exception = False
    response = client.post(path, {**data, "submission_token": token})
    assert response.status_code == 400
    assert Melding.objects.count() == 1
    assert FormSubmission.objects.count() == 1


def test_the_token_is_written_in_the_transaction_of_the_write(client, leader, monkeypatch):
    """When the write fails after the token would be recorded, neither stays."""
    from woonoverlast.submissions import views as submission_views

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(submission_views, "submission_record", broken)
    case = CaseFactory(registered_on=D(2024, 3, 1))
    path = reverse("cases:melding_add", kwargs={"reference": case.reference})
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        submit_twice(client, path, {"received_on": "2024-03-05", "source": "politie", "text": "x"})
    assert Melding.objects.count() == 0


# Skipped before the database fixture: a transactional test that skips in its body still
# flushes the test database afterwards, and the worker's next modules find it empty.
@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (concurrent transactions)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_submits_store_once(monkeypatch):
    """A double click that reaches two workers at once: both run the service, the second one's
    token record waits for the first to commit, breaks the unique token, and its write is
    rolled back with it. Needs real concurrent transactions (PostgreSQL)."""
    import threading

    from django.test import Client

    from woonoverlast.submissions import views as submission_views

    leader = teamleider()
    case = CaseFactory(registered_on=D(2024, 3, 1))
    path = reverse("cases:melding_add", kwargs={"reference": case.reference})
    both_wrote = threading.Barrier(2, timeout=20)
    record = submission_views.submission_record

    def record_after_both_wrote(**kwargs):
        both_wrote.wait()  # both reports are written, neither transaction has committed
        return record(**kwargs)

    monkeypatch.setattr(submission_views, "submission_record", record_after_both_wrote)
    token = "0123456789abcdef0123456789abcdef"
    data = {
        "received_on": "2024-03-05",
        "source": "politie",
        "text": "x",
        "submission_token": token,
    }
    responses = []

    def submit():
        from django.db import connection as thread_connection

        client = Client()
        client.force_login(leader)
        try:
            responses.append(client.post(path, data))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [response.status_code for response in responses] == [302, 302]
    assert responses[0].url == responses[1].url
    assert Melding.objects.count() == 1
    assert FormSubmission.objects.count() == 1


def test_uploads_with_the_same_choices_are_told_apart_by_their_files(client, settings, tmp_path):
    """Photos of one huisbezoek uploaded one by one, each from a page loaded anew, with the
    same title: each is stored. The same photo sent again from a new page is stored once."""
    from tests import documents_helpers as files
    from woonoverlast.documents.models import Document

    settings.MEDIA_ROOT = str(tmp_path)
    cm = casemanager()
    client.force_login(cm)
    case = CaseFactory(casemanager=cm)
    path = reverse("documents:upload", kwargs={"reference": case.reference})

    def send(name, data):
        token = token_of(client.get(path).content.decode())
        return client.post(
            path,
            {
                "files": [files.upload(name, data)],
                "document_type": "foto",
                "title": "Huisbezoek",
                "submission_token": token,
            },
            follow=True,
        )

    send("keuken.jpg", files.jpeg(size=(40, 20)))
    send("gang.jpg", files.jpeg(size=(20, 40)))
    assert Document.objects.filter(case=case).count() == 2
    again = send("gang.jpg", files.jpeg(size=(20, 40)))
    assert ALREADY_SAVED in messages_of(again)
    assert Document.objects.filter(case=case).count() == 2
