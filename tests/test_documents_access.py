"""Who may list, upload and download the documents of a case: every role against the object
rules (the closed-case rule as for parties, vertrouwelijk), through the views."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import documents_helpers as files
from tests.factories import CaseFactory, UserFactory, casemanager, rapportage, teamleider
from woonoverlast.audit.models import AuditEvent
from woonoverlast.documents.models import Document
from woonoverlast.documents.services import documents_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def people():
    return {
        "own": casemanager(),  # the case's casemanager
        "colleague": casemanager(),  # another casemanager
        "teamleider": teamleider(),
        "rapportage": rapportage(),
    }


def make_case(people, *, closed: bool):
    case = CaseFactory(
        casemanager=people["own"], closed_on=datetime.date(2023, 6, 1) if closed else None
    )
    public, secret = (
        documents_upload(
            case=case,
            files=[SimpleUploadedFile(name, files.pdf())],
            document_type="verslag",
            confidential=confidential,
            by=people["teamleider"],
        )[0]
        for name, confidential in (("gewoon.pdf", False), ("geheim.pdf", True))
    )
    return case, public, secret


# (closed, who) -> (may list/upload, sees the confidential document)
RULES = {
    (False, "own"): (True, True),
    (False, "colleague"): (True, False),
    (False, "teamleider"): (True, True),
    (False, "rapportage"): (False, False),
    (True, "own"): (True, True),
    (True, "colleague"): (False, False),
    (True, "teamleider"): (True, True),
    (True, "rapportage"): (False, False),
}


@pytest.mark.parametrize(("closed", "who"), list(RULES), ids=lambda v: str(v))
def test_list_upload_and_download_per_role_and_rule(client, people, closed, who):
    case, public, secret = make_case(people, closed=closed)
    may_see, sees_secret = RULES[(closed, who)]
    client.force_login(people[who])
    kwargs = {"reference": case.reference}

    listing = client.get(reverse("documents:list", kwargs=kwargs))
    assert listing.status_code == (200 if may_see else 403)
    if may_see:
        titles = {document.title for document in listing.context["documents"]}
        assert titles == ({"gewoon", "geheim"} if sees_secret else {"gewoon"})

    for document, allowed in ((public, may_see), (secret, sees_secret)):
        for name in ("documents:download", "documents:detail"):
            response = client.get(reverse(name, kwargs={**kwargs, "pk": document.pk}))
            assert response.status_code == (200 if allowed else 403), (name, document.title)

    before = Document.objects.count()
    response = client.post(
        reverse("documents:upload", kwargs=kwargs),
        {"files": [SimpleUploadedFile("nieuw.pdf", files.pdf())], "document_type": "overig"},
    )
    assert response.status_code == (302 if may_see else 403)
    assert Document.objects.count() == before + (1 if may_see else 0)


def test_a_download_is_an_attachment_never_sniffed_and_audited(client, people):
    case, public, _ = make_case(people, closed=False)
    client.force_login(people["colleague"])
    url = reverse("documents:download", kwargs={"reference": case.reference, "pk": public.pk})
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="gewoon.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == files.pdf()
    event = AuditEvent.objects.filter(object_id=str(public.pk), action="view").get()
    assert event.actor == people["colleague"] and event.case_id == case.pk
    assert event.changes == {"gedownload": "document"}


def test_a_refused_download_is_not_audited_as_a_download(client, people):
    case, _, secret = make_case(people, closed=False)
    client.force_login(people["colleague"])
    url = reverse("documents:download", kwargs={"reference": case.reference, "pk": secret.pk})
    assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(object_id=str(secret.pk), action="view").exists()


def test_x_accel_redirect_lets_nginx_send_the_bytes_after_the_check(client, people, settings):
    from django.utils.functional import empty

    from woonoverlast.documents.storage import dossier_storage

    settings.DOCUMENT_X_ACCEL_REDIRECT_PREFIX = "/_dossier/"
    case, public, _ = make_case(people, closed=False)
    dossier_storage._wrapped = empty  # as in a fresh process: nothing has opened the storage
    client.force_login(people["own"])
    response = client.get(
        reverse("documents:download", kwargs={"reference": case.reference, "pk": public.pk})
    )
    assert response["X-Accel-Redirect"] == f"/_dossier/{public.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_upload_form_shows_dutch_errors_and_keeps_nothing(client, people, tmp_path):
    case, _, _ = make_case(people, closed=False)
    client.force_login(people["own"])
    before = sorted(files.stored_files(tmp_path))
    response = client.post(
        reverse("documents:upload", kwargs={"reference": case.reference}),
        {
            "files": [
                SimpleUploadedFile("goed.pdf", files.pdf()),
                SimpleUploadedFile("virus.pdf", files.executable()),
            ],
            "document_type": "overig",
            "title": "Mijn titel",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "virus.pdf: Dit bestand is een programma" in page
    assert 'value="Mijn titel"' in page  # the input is kept
    assert Document.objects.count() == 2
    assert sorted(files.stored_files(tmp_path)) == before


def test_the_case_file_shows_the_dossier_and_photos_on_the_huisbezoek(client, people):
    from tests.factories import action

    case, _, _ = make_case(people, closed=False)
    visit = action(case, action_type="huisbezoek", present="Bewoner", findings="Vervuild")
    documents_upload(
        case=case,
        files=[SimpleUploadedFile("keuken.jpg", files.jpeg())],
        document_type="foto",
        action=visit,
        by=people["own"],
    )
    client.force_login(people["colleague"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "keuken" in page and "gewoon" in page and "geheim" not in page
    assert 'alt="keuken"' in page  # the thumbnail on the timeline


def test_a_user_without_a_role_is_refused(client, people):
    case, public, _ = make_case(people, closed=False)
    client.force_login(UserFactory())
    url = reverse("documents:download", kwargs={"reference": case.reference, "pk": public.pk})
    assert client.get(url).status_code == 403
