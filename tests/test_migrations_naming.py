"""The renames of a melding's models (cases 0022, intake 0003, documents 0002) and the shared
job states (documents 0003), backwards and forwards on a database with data: the rows, their
links and the role groups' permissions come through both ways. Run it on PostgreSQL too
(DATABASE_URL=postgres://...): the tables, indexes and constraints are renamed there."""

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.management import inject_rename_contenttypes_operations
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import CaseFactory, casemanager, intake_melding
from woonoverlast.accounts.roles import Role
from woonoverlast.common.jobs import JobState
from woonoverlast.documents.models import Document, DossierExport
from woonoverlast.intake import services as intake_services
from woonoverlast.intake.models import IntakeMelding, ReporterMessage

BEFORE = [
    ("cases", "0021_casefiguresversion"),
    ("intake", "0002_koppeling_role_and_texts"),
    ("documents", "0001_initial"),
]


def migrate(targets):
    """As `manage.py migrate` does, with the content types renamed after each RenameModel
    (the migrate command's pre_migrate signal), without its post_migrate (which would make
    the permissions of the code's models, hiding what the migrations did)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(targets)
    inject_rename_contenttypes_operations(plan=plan, apps=global_apps)
    executor.migrate(targets, plan=plan)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def codenames(group_name, app_label):
    return set(
        Group.objects.get(name=group_name)
        .permissions.filter(content_type__app_label=app_label)
        .values_list("codename", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_the_renames_keep_rows_links_states_and_permissions_both_ways():
    worker = casemanager()
    case = CaseFactory(casemanager=worker, first_melding_text="Harde muziek.")
    received = intake_melding(reporter_email="buur@example.org")
    intake_services.intake_melding_add_to_case(received, case=case, by=worker)
    received.refresh_from_db()
    melding_id = received.melding_id
    ReporterMessage.objects.get_or_create(intake_melding=received, kind="ontvangen", occasion=7)
    document = Document.objects.create(
        case=case,
        melding_id=melding_id,
        title="Foto",
        document_type="foto",
        file="dossier/foto.jpg",
        size=1,
        content_type="image/jpeg",
        pdf_state=JobState.PENDING,
        uploaded_by=worker,
    )
    export = DossierExport.objects.create(case=case, requested_by=worker)
    assert export.state == "wachtend"
    assert "view_melding" in codenames(Role.TEAMLEIDER, "cases")

    try:
        old = migrate(BEFORE)
        Report = old.get_model("cases", "Report")
        IncomingReport = old.get_model("intake", "IncomingReport")
        OldDocument = old.get_model("documents", "Document")
        assert Report.objects.filter(case_id=case.pk).count() == 2  # the first and the intake's
        assert IncomingReport.objects.get(pk=received.pk).report_id == melding_id
        assert old.get_model("intake", "ReporterMessage").objects.get(
            occasion=7
        ).incoming_report_id == (received.pk)
        assert OldDocument.objects.get(pk=document.pk).report_id == melding_id
        assert OldDocument.objects.get(pk=document.pk).pdf_state == "wachtrij"
        assert old.get_model("documents", "DossierExport").objects.get().state == "wachtrij"
        # The role group keeps its right on the model under the old name, and only that one.
        assert "view_report" in codenames(Role.TEAMLEIDER, "cases")
        assert not Permission.objects.filter(codename__endswith="_melding").exists()
        assert ContentType.objects.filter(app_label="cases", model="report").exists()
        assert not Permission.objects.filter(codename__endswith="_intakemelding").exists()
        assert Permission.objects.filter(codename="view_incomingreport").exists()
    finally:
        migrate(latest())

    assert IntakeMelding.objects.get(pk=received.pk).melding_id == melding_id
    assert ReporterMessage.objects.get(occasion=7).intake_melding_id == received.pk
    assert Document.objects.get(pk=document.pk).melding_id == melding_id
    assert Document.objects.get(pk=document.pk).pdf_state == JobState.PENDING
    assert DossierExport.objects.get().state == JobState.PENDING
    assert "view_melding" in codenames(Role.TEAMLEIDER, "cases")
    assert not Permission.objects.filter(codename__endswith="_report").exists()
    assert not Permission.objects.filter(codename__endswith="_incomingreport").exists()
    assert ContentType.objects.filter(app_label="cases", model="melding").exists()
    assert not ContentType.objects.filter(app_label="cases", model="report").exists()
    # The constraints made again under the new name still hold.
    assert case.meldingen.count() == 2
