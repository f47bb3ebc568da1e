"""Every URL of the app, for every role and for anonymous visitors.

The table below must name every URL the app has (a test checks that), so a new view cannot
ship without saying who may see it. Values: the expected status for a GET, or LOGIN for a
redirect to the login page.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reports import services as report_services
from tests import documents_helpers as document_files
from tests.factories import CaseFactory, UserFactory, incoming_report, measure
from woonoverlast.accounts.roles import Role
from woonoverlast.cases.models import Case
from woonoverlast.documents.services import documents_upload, dossier_export_request

pytestmark = pytest.mark.django_db

LOGIN = "login"
ANONYMOUS = "anonymous"
ROLES = [
    ANONYMOUS,
    Role.CASEMANAGER,
    Role.TEAMLEIDER,
    Role.RAPPORTAGE,
    Role.KOPPELING,
    Role.ARCHIVARIS,
]
# A koppeling (partner system account) reaches the partners' API only: 403 on every page.
NO_PAGES = {Role.KOPPELING: 403}


@dataclass
class Url:
    name: str
    expect: dict  # role -> status or LOGIN
    kwargs: callable = field(default=lambda world: {})


def everyone(status):
    return {**{role: status for role in ROLES}, **NO_PAGES}


def signed_in(status, anonymous=LOGIN):
    return {ANONYMOUS: anonymous, **{role: status for role in ROLES[1:]}, **NO_PAGES}


def reports(status=200):
    """Figures: every role of the team, not the archivaris (the archive procedure only)."""
    return {**signed_in(status), Role.ARCHIVARIS: 403}


def case_work(status=200):
    """Case files and personal data: casemanagers and team leaders only."""
    return {
        ANONYMOUS: LOGIN,
        Role.CASEMANAGER: status,
        Role.TEAMLEIDER: status,
        Role.RAPPORTAGE: 403,
        Role.ARCHIVARIS: 403,
        **NO_PAGES,
    }


def team_lead(status=200):
    return {
        ANONYMOUS: LOGIN,
        Role.CASEMANAGER: 403,
        Role.TEAMLEIDER: status,
        Role.RAPPORTAGE: 403,
        Role.ARCHIVARIS: 403,
        **NO_PAGES,
    }


def archive_lists(status=200):
    """The vernietigingslijsten and verklaringen (no case content): team leaders, archivaris."""
    return {**team_lead(status), Role.ARCHIVARIS: status}


def archivaris_only(status):
    return {**team_lead(403), Role.ARCHIVARIS: status}


def owner_or_team_lead(status=200):
    """Someone else's export: only a team leader besides its owner (tested in test_reports_*);
    to anyone else it answers 404, as a job that does not exist does."""
    return {
        ANONYMOUS: LOGIN,
        Role.CASEMANAGER: 404,
        Role.TEAMLEIDER: status,
        Role.RAPPORTAGE: 404,
        Role.ARCHIVARIS: 403,
        **NO_PAGES,
    }


URLS = [
    Url(
        "home",
        {
            ANONYMOUS: LOGIN,
            Role.CASEMANAGER: 200,
            Role.TEAMLEIDER: 200,
            Role.RAPPORTAGE: 302,
            Role.ARCHIVARIS: 302,
            **NO_PAGES,
        },
    ),
    Url("login", everyone(200)),
    # Logging out is a POST; a koppeling may log out too.
    Url("logout", {**everyone(405), Role.KOPPELING: 405}),
    Url("reports:index", reports(200)),
    Url("audit:log", team_lead()),
    Url("accounts:two_factor", signed_in(200)),
    Url("accounts:two_factor_disable", signed_in(405)),
    Url("accounts:keep_alive", everyone(405)),  # POST only
    Url("accounts:password_change", signed_in(200)),
    Url("accounts:password_change_done", signed_in(200)),
    Url("accounts:password_reset", everyone(200)),
    Url("accounts:password_reset_done", everyone(200)),
    Url(
        "accounts:password_reset_confirm",
        everyone(200),  # an invalid link: a page that says so
        kwargs=lambda world: {"uidb64": "MQ", "token": "ongeldig-token"},
    ),
    Url("accounts:password_reset_complete", everyone(200)),
    Url("admin_login", everyone(302)),  # to the app's log-in, with its two-factor step
    Url("reports:tabel51", reports(200)),
    Url("reports:tabel51_csv", reports(200)),
    Url("reports:tabel51_xlsx", reports(200)),
    Url("reports:tabel51_freeze", team_lead(200)),
    Url(
        "reports:tabel51_frozen",
        reports(200),
        kwargs=lambda world: {"year": world["frozen_table"].year},
    ),
    Url("reports:overview", reports(200)),
    Url("reports:exports", reports(200)),
    Url(
        "reports:export_detail",
        owner_or_team_lead(),
        kwargs=lambda world: {"pk": world["export"].pk},
    ),
    Url(
        "reports:export_status",
        owner_or_team_lead(),
        kwargs=lambda world: {"pk": world["export"].pk},
    ),
    Url(
        "reports:export_download",
        owner_or_team_lead(),
        kwargs=lambda world: {"pk": world["export"].pk},
    ),
    Url("cases:list", case_work()),
    Url("cases:mine", case_work()),
    Url("cases:create", case_work()),
    Url("cases:export", team_lead()),
    Url("cases:reassign_many", team_lead(405)),  # POST only
    Url("cases:detail", case_work(), kwargs=lambda world: {"reference": world["case"].reference}),
    Url("followups:due", case_work()),
    Url("followups:notifications", case_work()),
    # POST only: a GET is refused after the role check.
    Url("followups:notifications_read_all", case_work(405)),
    Url("followups:notification_read", case_work(405), kwargs=lambda world: {"pk": 1}),
    Url("followups:followup_done", case_work(405), kwargs=lambda world: {"pk": 1}),
    Url("cases:edit", case_work(), kwargs=lambda world: {"reference": world["case"].reference}),
    Url("cases:close", case_work(), kwargs=lambda world: {"reference": world["case"].reference}),
    # A closed case: only who may see its personal data may reopen it (its casemanager, who
    # registered it, a grant); this casemanager is none of those (tests/test_closed_case_rule).
    Url(
        "cases:reopen",
        case_work() | {Role.CASEMANAGER: 403},
        kwargs=lambda world: {"reference": world["closed_case"].reference},
    ),
    Url("cases:reassign", team_lead(), kwargs=lambda world: {"reference": world["case"].reference}),
    Url(
        "cases:grant_access",
        team_lead(),
        kwargs=lambda world: {"reference": world["closed_case"].reference},
    ),
    Url(
        "cases:action_add", case_work(), kwargs=lambda world: {"reference": world["case"].reference}
    ),
    Url(
        "cases:visit_add", case_work(), kwargs=lambda world: {"reference": world["case"].reference}
    ),
    Url(
        "cases:report_add", case_work(), kwargs=lambda world: {"reference": world["case"].reference}
    ),
    Url(
        "cases:party_add", case_work(), kwargs=lambda world: {"reference": world["case"].reference}
    ),
    # The dossier (woonoverlast.documents); the object rules (closed case, vertrouwelijk) are
    # tested per role in tests/test_documents_access.py.
    Url("documents:list", case_work(), kwargs=lambda world: _case_kwargs(world)),
    Url("documents:upload", case_work(), kwargs=lambda world: _case_kwargs(world)),
    Url("documents:letter", case_work(), kwargs=lambda world: _case_kwargs(world)),
    Url("documents:export_request", case_work(), kwargs=lambda world: _case_kwargs(world)),
    Url("documents:detail", case_work(), kwargs=lambda world: _document_kwargs(world)),
    Url("documents:download", case_work(), kwargs=lambda world: _document_kwargs(world)),
    Url("documents:thumbnail", case_work(), kwargs=lambda world: _document_kwargs(world)),
    Url("documents:pdf", case_work(404), kwargs=lambda world: _document_kwargs(world)),
    Url("documents:pdf_status", case_work(), kwargs=lambda world: _document_kwargs(world)),
    Url("documents:add_version", case_work(), kwargs=lambda world: _document_kwargs(world)),
    Url("documents:export_detail", team_lead(), kwargs=lambda world: _export_kwargs(world)),
    Url("documents:export_status", team_lead(), kwargs=lambda world: _export_kwargs(world)),
    # Not finished (the PDF is made after the commit): 404 for whoever may see it.
    Url("documents:export_download", team_lead(404), kwargs=lambda world: _export_kwargs(world)),
    # Corrections: the author or a team leader; the entries of `world` have no author (the
    # system logged them), so a casemanager is refused (tests/test_corrections.py has authors).
    *[
        Url(
            f"cases:{kind}_{verb}",
            team_lead(),
            kwargs=lambda world, kind=kind: {
                "reference": world["case"].reference,
                "pk": world[kind].pk,
            },
        )
        for kind in ("party", "report", "action")
        for verb in ("edit", "withdraw")
    ],
    Url(
        "cases:status_correct",
        team_lead(),
        kwargs=lambda world: {"reference": world["closed_case"].reference},
    ),
    Url(
        "cases:status_withdraw",
        team_lead(),
        kwargs=lambda world: {"reference": world["closed_case"].reference},
    ),
    # The public melding form: no log-in (the answer page without a melding sends back to it).
    Url("melden:form", everyone(200)),
    Url("melden:thanks", everyone(302)),
    Url("intake:queue", case_work()),
    Url(
        "intake:detail",
        case_work(),
        kwargs=lambda world: {"reference": world["incoming"].reference},
    ),
    Url(
        "intake:add_to_case",
        case_work(),
        kwargs=lambda world: {"reference": world["incoming"].reference},
    ),
    Url(
        "intake:register_case",
        case_work(),
        kwargs=lambda world: {"reference": world["incoming"].reference},
    ),
    Url(
        "intake:close",
        case_work(),
        kwargs=lambda world: {"reference": world["incoming"].reference},
    ),
    Url("reports:maatregelen", reports(200)),
    Url("reports:maatregelen_export", reports(200), kwargs=lambda world: {"file_format": "csv"}),
    Url("reports:doorlooptijd", reports(200)),
    Url("reports:doorlooptijd_export", reports(200), kwargs=lambda world: {"file_format": "xlsx"}),
    Url("measures:list", case_work()),
    Url("measures:export", team_lead(), kwargs=lambda world: {"file_format": "xlsx"}),
    Url("measures:start", case_work(), kwargs=lambda world: {"reference": world["case"].reference}),
    Url(
        "measures:step",
        case_work(),
        kwargs=lambda world: {"pk": world["measure"].pk, "step": "onderzoeksverslag"},
    ),
    # Archiving: the lists and verklaringen without case content; the archivaris approves.
    Url("archiving:lists", archive_lists()),
    Url("archiving:list_detail", archive_lists(), kwargs=lambda world: _list_kwargs(world)),
    Url(
        "archiving:list_item_exclude",
        team_lead(405),  # POST only
        kwargs=lambda world: {**_list_kwargs(world), "item_pk": world["list_item"].pk},
    ),
    Url("archiving:list_review", team_lead(405), kwargs=lambda world: _list_kwargs(world)),
    Url("archiving:list_approve", archivaris_only(405), kwargs=lambda world: _list_kwargs(world)),
    Url("archiving:statement", archive_lists(), kwargs=lambda world: _statement_kwargs(world)),
    Url("archiving:statement_pdf", archive_lists(), kwargs=lambda world: _statement_kwargs(world)),
    # MDTO packages (the whole case file): team leaders only.
    Url("archiving:list_mdto", team_lead(), kwargs=lambda world: _list_kwargs(world)),
    Url(
        "archiving:case_mdto",
        team_lead(),
        kwargs=lambda world: {"reference": world["case"].reference},
    ),
    # The closed case's resultaat: who may write to it (this casemanager may not).
    Url(
        "archiving:case_result",
        case_work() | {Role.CASEMANAGER: 403},
        kwargs=lambda world: {"reference": world["closed_case"].reference},
    ),
    # Health probes: public, and they say up or down only (tests/test_health.py).
    Url("gezondheid", everyone(200)),
    Url("gezondheid_live", everyone(200)),
]


def _case_kwargs(world):
    return {"reference": world["case"].reference}


def _document_kwargs(world):
    return {"reference": world["case"].reference, "pk": world["document"].pk}


def _list_kwargs(world):
    return {"pk": world["destruction_list"].pk}


def _statement_kwargs(world):
    return {"pk": world["statement"].pk}


def _export_kwargs(world):
    return {"reference": world["case"].reference, "pk": world["dossier_export"].pk}


def url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's own admin guards itself (staff only)
            if pattern.namespace == "api":
                continue  # the REST API has its own table: tests/test_api_access.py
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_the_table_names_every_url():
    assert set(url_names()) == {url.name for url in URLS}


@pytest.fixture
def world(settings, tmp_path):
    """Objects the URLs point at."""
    settings.MEDIA_ROOT = str(tmp_path)
    case = CaseFactory()
    export = report_services.export_request(
        by=UserFactory(role=Role.RAPPORTAGE, password=None),
        year_from=2023,
        year_to=2023,
        file_format="csv",
    )
    report_services.export_run(job_id=export.pk)
    frozen_table = report_services.table_freeze(
        year=2023,
        as_of=datetime.date(2023, 12, 31),
        by=UserFactory(role=Role.TEAMLEIDER, password=None),
    )
    uploader = UserFactory(role=Role.CASEMANAGER, password=None)
    (document,) = documents_upload(
        case=case,
        files=[SimpleUploadedFile("foto.jpg", document_files.jpeg())],
        document_type="foto",
        by=uploader,
    )
    from woonoverlast.archiving import services as archiving
    from woonoverlast.archiving.models import DestructionStatement
    from woonoverlast.cases import services

    old = CaseFactory(registered_on=datetime.date(2019, 1, 2), closed_on=datetime.date(2019, 3, 1))
    destroyed = archiving.destruction_list_propose(on=datetime.date(2025, 1, 1))
    archiving.destruction_list_review(destroyed, by=UserFactory(role=Role.TEAMLEIDER))
    approved = archiving.destruction_list_approve(destroyed, by=UserFactory(role=Role.ARCHIVARIS))
    archiving.destruction_list_execute(approved.pk)
    old.refresh_from_db()
    return {
        "destruction_list": destroyed,
        "list_item": destroyed.items.get(),
        "statement": DestructionStatement.objects.get(destruction_list=destroyed),
        "case": case,
        "document": document,
        "dossier_export": dossier_export_request(case=case, by=uploader),
        "party": services.party_add(case, role="melder", name="Piet", by=None),
        "report": services.report_add(
            case, received_on=case.registered_on, source="politie", text="x", by=None
        ),
        "action": services.action_log(
            case, action_type="gesprek", performed_on=case.registered_on, by=None
        ),
        "measure": measure(case, by=UserFactory(role=Role.TEAMLEIDER, password=None)),
        "closed_case": CaseFactory(closed_on=datetime.date(2023, 6, 1)),
        "export": export,
        "frozen_table": frozen_table,
        "incoming": incoming_report(),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", URLS, ids=lambda url: url.name)
def test_access(client, world, url, role):
    if role != ANONYMOUS:
        client.force_login(UserFactory(role=role))
    path = reverse(url.name, kwargs=url.kwargs(world))
    response = client.get(path)
    expected = url.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert template_syntax_in(response.content.decode()) == []


TEMPLATE_SYNTAX = ("{#", "#}", "{%", "%}", "{{", "}}")


def template_syntax_in(html: str) -> list[str]:
    """Template syntax that reached the page (a multi-line {# #} comment, which Django does
    not support, shows as text): each with some context."""
    found = []
    for marker in TEMPLATE_SYNTAX:
        start = html.find(marker)
        if start >= 0:
            found.append(html[max(0, start - 40) : start + 40])
    return found


def test_template_syntax_is_found():
    assert template_syntax_in("<p>{# a\n b #}</p>")
    assert template_syntax_in("<p>{{ name }}</p>")
    assert template_syntax_in("<p>Gewoon tekst</p>") == []


# Writes: a POST is guarded like the GET, and a refused POST stores nothing.
CASE_WORK_POSTS = [
    "cases:create",
    "cases:edit",
    "cases:close",
    "cases:action_add",
    "cases:visit_add",
    "cases:report_add",
    "cases:party_add",
    "documents:upload",
    "documents:letter",
    "documents:export_request",
]
REFUSED_POSTS = [
    *[(name, role) for name in CASE_WORK_POSTS for role in (ANONYMOUS, Role.RAPPORTAGE)],
    *[("cases:reassign", role) for role in (ANONYMOUS, Role.CASEMANAGER, Role.RAPPORTAGE)],
]


@pytest.mark.parametrize(("name", "role"), REFUSED_POSTS)
def test_a_refused_post_changes_nothing(client, world, name, role):
    if role != ANONYMOUS:
        client.force_login(UserFactory(role=role))
    case = world["case"]
    kwargs = {} if name == "cases:create" else {"reference": case.reference}
    before = (Case.objects.count(), case.actions.count(), case.parties.count())
    data = {"casemanager": UserFactory(role=Role.CASEMANAGER).pk, "name": "X", "role": "melder"}
    response = client.post(reverse(name, kwargs=kwargs), data)
    if role == ANONYMOUS:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "open" and case.casemanager is None
    assert before == (Case.objects.count(), case.actions.count(), case.parties.count())


def test_a_user_without_a_role_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(reverse("home")).status_code == 403
    assert client.get(reverse("reports:index")).status_code == 403


def test_the_refusal_page_is_dutch(client):
    client.force_login(UserFactory(role=Role.RAPPORTAGE))
    client.raise_request_exception = False
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200  # rapportage is sent on to the reports
    client.force_login(UserFactory())
    response = client.get(reverse("reports:index"))
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
