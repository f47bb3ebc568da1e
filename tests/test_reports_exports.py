"""Background exports: the request service, the task, the pages, who may download."""

import datetime
import io
import os
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from reports import services
from reports.models import ExportJob
from reports.tasks import run_export
from tests.factories import CaseFactory, casemanager, district, rapportage, teamleider
from woonoverlast import celery_app

pytestmark = pytest.mark.django_db


D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def eager():
    """Run tasks in-process, also when the test run has a broker configured."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def cases():
    CaseFactory(registered_on=D(2022, 4, 1), closed_on=D(2022, 9, 1))
    CaseFactory(registered_on=D(2023, 4, 1), district=district("Meerzicht"))


def request_export(user, **kwargs):
    kwargs.setdefault("year_from", 2022)
    kwargs.setdefault("year_to", 2023)
    kwargs.setdefault("file_format", ExportJob.Format.XLSX)
    return services.export_request(by=user, **kwargs)


class TestRequest:
    def test_queues_after_commit_and_runs_to_a_file(
        self, eager, cases, django_capture_on_commit_callbacks
    ):
        user = rapportage()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = request_export(user, carried_over=True)
        assert job.state == ExportJob.State.PENDING and len(callbacks) == 1
        callbacks[0]()  # the commit happens: the task runs (in-process here)
        job.refresh_from_db()
        assert (job.state, job.progress, job.error) == (ExportJob.State.DONE, 100, "")
        assert job.file.name.endswith("tabel-5.1-2022-2023.xlsx")
        assert job.started_at <= job.finished_at
        book = load_workbook(job.file.path)
        assert book.sheetnames == [
            "Tabel 5.1 2022",
            "Doorlopend 2022",
            "Tabel 5.1 2023",
            "Doorlopend 2023",
        ]
        assert book["Tabel 5.1 2022"]["H14"].value == 1
        assert book["Tabel 5.1 2023"]["H7"].value == 1  # Meerzicht

    def test_csv_is_a_zip_of_files_in_the_published_format(self, cases):
        job = request_export(rapportage(), file_format=ExportJob.Format.CSV)
        services.export_run(job_id=job.pk)
        job.refresh_from_db()
        with zipfile.ZipFile(job.file.path) as archive:
            assert archive.namelist() == ["tabel-5.1-2022.csv", "tabel-5.1-2023.csv"]
            lines = archive.read("tabel-5.1-2023.csv").decode().splitlines()
        assert lines[0].startswith("wijk,koop_lopend,")
        assert lines[2] == "Meerzicht,1,0,0,0,0,0,1"

    @pytest.mark.parametrize(
        ("kwargs", "field", "message"),
        [
            ({"year_from": 2023, "year_to": 2022}, "year_to", "niet voor het eerste jaar"),
            ({"year_from": 1990}, "year_from", "Kies een jaar vanaf 2000."),
            ({"year_from": 2000, "year_to": 2040}, "year_to", "nog niet begonnen"),
            ({"year_from": None}, "year_from", "Vul een jaar in."),
            ({"file_format": "pdf"}, "file_format", "Kies een formaat"),
        ],
    )
    def test_refuses_what_cannot_be_made(self, kwargs, field, message):
        with pytest.raises(ValidationError) as excinfo:
            request_export(rapportage(), **kwargs)
        assert message in " ".join(excinfo.value.message_dict[field])
        assert not ExportJob.objects.exists()

    def test_the_task_is_idempotent(self, cases):
        job = request_export(rapportage())
        assert run_export(job.pk) == ExportJob.State.DONE
        job.refresh_from_db()
        name = job.file.name
        assert run_export(job.pk) == ExportJob.State.DONE
        job.refresh_from_db()
        assert job.file.name == name and len(os.listdir(os.path.dirname(job.file.path))) == 1

    def test_a_failure_is_recorded_for_the_user(self, cases, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr("reports.exports.xlsx_bytes", broken)
        job = request_export(rapportage())
        assert run_export(job.pk) == ExportJob.State.FAILED
        job.refresh_from_db()
        assert job.state == ExportJob.State.FAILED and not job.file
        assert "mislukt" in job.error and "RuntimeError" in job.error


class TestPages:
    def test_start_follow_and_download(
        self, client, eager, cases, django_capture_on_commit_callbacks
    ):
        user = rapportage()
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("reports:exports"),
                {"van_jaar": 2022, "tot_jaar": 2023, "formaat": "csv", "doorlopend": "on"},
            )
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response.url == job.get_absolute_url()
        assert (job.requested_by, job.carried_over, job.file_format) == (user, True, "csv")

        page = client.get(job.get_absolute_url()).content.decode()
        download = reverse("reports:export_download", kwargs={"pk": job.pk})
        assert "Klaar" in page and download in page
        status = client.get(reverse("reports:export_status", kwargs={"pk": job.pk})).json()
        assert status == {
            "state": "klaar",
            "state_label": "Klaar",
            "progress": 100,
            "finished": True,
            "download_url": download,
            "error": "",
        }
        response = client.get(download)
        assert response["Content-Disposition"] == 'attachment; filename="tabel-5.1-2022-2023.zip"'

        content = b"".join(response.streaming_content)
        assert zipfile.ZipFile(io.BytesIO(content)).namelist() == [
            "tabel-5.1-2022.csv",
            "tabel-5.1-2022-doorlopend.csv",
            "tabel-5.1-2023.csv",
            "tabel-5.1-2023-doorlopend.csv",
        ]
        assert "2022–2023" in client.get(reverse("reports:exports")).content.decode()

    def test_a_pending_job_polls_and_offers_a_refresh_link(self, client):
        user = rapportage()
        job = ExportJob.objects.create(
            requested_by=user, year_from=2022, year_to=2022, file_format="xlsx", progress=40
        )
        client.force_login(user)
        page = client.get(job.get_absolute_url()).content.decode()
        assert 'value="40"' in page and "Vernieuwen" in page and "export-status.js" in page
        assert (
            client.get(reverse("reports:export_download", kwargs={"pk": job.pk})).status_code == 404
        )
        status = client.get(reverse("reports:export_status", kwargs={"pk": job.pk})).json()
        assert (status["finished"], status["download_url"], status["progress"]) == (False, None, 40)

    def test_errors_are_kept_with_the_input(self, client):
        client.force_login(rapportage())
        response = client.post(
            reverse("reports:exports"), {"van_jaar": 2023, "tot_jaar": 2021, "formaat": "xlsx"}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "Het laatste jaar mag niet voor het eerste jaar liggen." in html
        assert 'value="2021"' in html
        assert not ExportJob.objects.exists()

    @pytest.mark.parametrize(
        ("who", "status"), [("owner", 200), ("teamleider", 200), ("other", 404)]
    )
    def test_only_the_owner_or_a_team_leader_downloads(self, client, who, status, cases):
        # Someone else's job answers 404, as a job that does not exist does (below): a 403
        # would tell which job ids exist.
        owner = rapportage()
        job = request_export(owner)
        services.export_run(job_id=job.pk)
        user = {"owner": owner, "teamleider": teamleider(), "other": casemanager()}[who]
        client.force_login(user)
        for name in ("export_detail", "export_status", "export_download"):
            response = client.get(reverse(f"reports:{name}", kwargs={"pk": job.pk}))
            assert response.status_code == status, name

    def test_someone_elses_job_and_a_missing_one_look_the_same(self, client, cases):
        job = request_export(rapportage())
        services.export_run(job_id=job.pk)
        client.force_login(casemanager())
        for name in ("export_detail", "export_status", "export_download"):
            theirs = client.get(reverse(f"reports:{name}", kwargs={"pk": job.pk}))
            missing = client.get(reverse(f"reports:{name}", kwargs={"pk": job.pk + 1000}))
            assert theirs.status_code == missing.status_code == 404, name

    def test_the_list_shows_own_jobs_and_all_for_team_leaders(self, client):
        mine, theirs = rapportage(), casemanager()
        for user in (mine, theirs):
            ExportJob.objects.create(
                requested_by=user, year_from=2020, year_to=2020 + user.pk % 3, file_format="csv"
            )
        client.force_login(mine)
        html = client.get(reverse("reports:exports")).content.decode()
        assert html.count('href="/rapportages/exports/') == 1
        client.force_login(teamleider())
        html = client.get(reverse("reports:exports")).content.decode()
        assert html.count('href="/rapportages/exports/') == 2 and str(theirs) in html


def _broker_problem() -> str | None:
    if celery_app.conf.task_always_eager:
        return "Geen broker ingesteld (CELERY_BROKER_URL): taken lopen in-process."
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as error:
        return f"De broker is niet bereikbaar: {error}"
    return None


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_runs_the_export_from_the_broker():
    """Integration: the job goes through the broker (Redis) to a worker thread."""
    problem = _broker_problem()
    if problem:
        pytest.skip(problem)
    from celery.contrib.testing.worker import start_worker

    CaseFactory(registered_on=D(2023, 4, 1))
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=30):
        job = request_export(rapportage(), year_from=2023, year_to=2023)  # autocommit: enqueued
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.1)
    assert job.state == ExportJob.State.DONE, job.error
    assert load_workbook(job.file.path)["Tabel 5.1 2023"]["H6"].value == 1


class TestNoExportStaysStuck:
    """Issue 17, finding 4: with the broker down a bare 500 and a job waiting for good; after
    a crash during an in-process export a job 'bezig' for good and a page polling for ever."""

    def test_with_the_broker_down_the_job_fails_with_a_dutch_message(
        self, client, monkeypatch, django_capture_on_commit_callbacks
    ):
        from kombu.exceptions import OperationalError

        def broker_down(*args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        monkeypatch.setattr(run_export, "delay", broker_down)
        client.force_login(rapportage())
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("reports:exports"), {"van_jaar": 2022, "tot_jaar": 2023, "formaat": "csv"}
            )
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response.url == job.get_absolute_url()
        assert job.state == ExportJob.State.FAILED
        page = client.get(job.get_absolute_url()).content.decode()
        assert "achtergrondverwerking is niet bereikbaar" in page
        assert "export-status.js" not in page  # nothing left to poll

    @pytest.mark.parametrize("state", [ExportJob.State.PENDING, ExportJob.State.RUNNING])
    def test_a_job_that_stopped_moving_expires_on_its_page(self, client, settings, state):
        settings.EXPORT_STALE_MINUTES = 30
        user = rapportage()
        job = ExportJob.objects.create(
            requested_by=user, year_from=2022, year_to=2022, file_format="xlsx", state=state
        )
        client.force_login(user)
        status_url = reverse("reports:export_status", kwargs={"pk": job.pk})
        ExportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=job.heartbeat_at - datetime.timedelta(minutes=29)
        )
        assert client.get(status_url).json()["finished"] is False
        ExportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=job.heartbeat_at - datetime.timedelta(minutes=31)
        )
        status = client.get(status_url).json()
        assert (status["state"], status["finished"]) == ("mislukt", True)
        assert "30 minuten geen voortgang" in status["error"]
        assert "export-status.js" not in client.get(job.get_absolute_url()).content.decode()

    def test_the_periodic_task_expires_stalled_jobs_and_leaves_moving_ones(self, settings):
        from reports.tasks import expire_exports

        assert settings.CELERY_BEAT_SCHEDULE["exports-verlopen"]["task"] == "reports.expire_exports"
        user = rapportage()
        old = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        stalled = ExportJob.objects.create(
            requested_by=user,
            year_from=2022,
            year_to=2022,
            file_format="xlsx",
            state=ExportJob.State.RUNNING,
            heartbeat_at=old,
        )
        moving = ExportJob.objects.create(
            requested_by=user,
            year_from=2022,
            year_to=2022,
            file_format="xlsx",
            state=ExportJob.State.RUNNING,
        )
        done = ExportJob.objects.create(
            requested_by=user,
            year_from=2022,
            year_to=2022,
            file_format="xlsx",
            state=ExportJob.State.DONE,
            heartbeat_at=old,
        )
        assert expire_exports() == 1
        states = dict(ExportJob.objects.values_list("pk", "state"))
        assert states == {stalled.pk: "mislukt", moving.pk: "bezig", done.pk: "klaar"}

    def test_progress_moves_the_heartbeat(self, cases):
        job = request_export(rapportage())
        ExportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        )
        services.export_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.heartbeat_at > datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
