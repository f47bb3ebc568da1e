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
    Role.KETENPARTNER,
]
# A koppeling (partner system account) reaches the partners' API only: 403 on every page. A
# ketenpartner (a partner organisation's contact) reaches /partner/ and its own account pages.
NO_PAGES = {Role.KOPPELING: 403, Role.KETENPARTNER: 403}


@dataclass
class Url:
    name: str
    expect: dict  # role -> status or LOGIN
    kwargs: callable = field(default=lambda world: {})


def everyone(status):
    return {**{role: status for role in ROLES}, **NO_PAGES}


def signed_in(status, anonymous=LOGIN):
    return {ANONYMOUS: anonymous, **{role: status for role in ROLES[1:]}, **NO_PAGES}


def case_work(status=200):
    """Case files and personal data: casemanagers and team leaders only."""
    return {
        ANONYMOUS: LOGIN,
        Role.CASEMANAGER: status,
        Role.TEAMLEIDER: status,
        Role.RAPPORTAGE: 403,
        **NO_PAGES,
    }


def team_lead(status=200):
    return {
        ANONYMOUS: LOGIN,
        Role.CASEMANAGER: 403,
        Role.TEAMLEIDER: status,
        Role.RAPPORTAGE: 403,
        **NO_PAGES,
    }


def own_account(status=200, anonymous=LOGIN):
    """The account pages (two-factor, password): every signed-in role but a koppeling; a
    ketenpartner needs them to set up its required two-factor verification."""
    return {**signed_in(status, anonymous), Role.KETENPARTNER: status}


def partner_only(status=200):
    """/partner/: a ketenpartner only (and only its own overleggen: tests/test_overleg_*)."""
    return {ANONYMOUS: LOGIN, **{role: 403 for role in ROLES[1:]}, Role.KETENPARTNER: status}


def chair_or_team_lead(status=200):
    """The chair's pages of an overleg; this casemanager is not the chair of `world`'s."""
    return case_work(status) | {Role.CASEMANAGER: 403}


def owner_or_team_lead(status=200):
    """Someone else's export: only a team leader besides its owner (tested in test_reports_*);
    to anyone else it answers 404, as a job that does not exist does."""
    return {
        ANONYMOUS: LOGIN,
        Role.CASEMANAGER: 404,
        Role.TEAMLEIDER: status,
        Role.RAPPORTAGE: 404,
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
            **NO_PAGES,
            Role.KETENPARTNER: 302,  # to /partner/
        },
    ),
    Url("login", {**everyone(200), Role.KETENPARTNER: 200}),
    # Logging out is a POST; a koppeling or ketenpartner may log out too.
    Url("logout", {**everyone(405), Role.KOPPELING: 405, Role.KETENPARTNER: 405}),
    Url("reports:index", signed_in(200)),
    Url("audit:log", team_lead()),
    Url("accounts:two_factor", own_account(200)),
    Url("accounts:two_factor_disable", own_account(405)),
    Url("accounts:keep_alive", {**everyone(405), Role.KETENPARTNER: 405}),  # POST only
    Url("accounts:password_change", own_account(200)),
    Url("accounts:password_change_done", own_account(200)),
    Url("accounts:password_reset", {**everyone(200), Role.KETENPARTNER: 200}),
    Url("accounts:password_reset_done", {**everyone(200), Role.KETENPARTNER: 200}),
    Url(
        "accounts:password_reset_confirm",
        {**everyone(200), Role.KETENPARTNER: 200},  # an invalid link: a page that says so
        kwargs=lambda world: {"uidb64": "MQ", "token": "ongeldig-token"},
    ),
    Url("accounts:password_reset_complete", {**everyone(200), Role.KETENPARTNER: 200}),
    Url("admin_login", everyone(302)),  # to the app's log-in, with its two-factor step
    Url("reports:tabel51", signed_in(200)),
    Url("reports:tabel51_csv", signed_in(200)),
    Url("reports:tabel51_xlsx", signed_in(200)),
    Url("reports:tabel51_freeze", team_lead(200)),
    Url(
        "reports:tabel51_frozen",
        signed_in(200),
        kwargs=lambda world: {"year": world["frozen_table"].year},
    ),
    Url("reports:overview", signed_in(200)),
    Url("reports:exports", signed_in(200)),
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
    Url("reports:maatregelen", signed_in(200)),
    Url("reports:maatregelen_export", signed_in(200), kwargs=lambda world: {"file_format": "csv"}),
    Url("reports:doorlooptijd", signed_in(200)),
    Url(
        "reports:doorlooptijd_export", signed_in(200), kwargs=lambda world: {"file_format": "xlsx"}
    ),
    Url("reports:overleg", signed_in(200)),
    Url("reports:overleg_export", signed_in(200), kwargs=lambda world: {"file_format": "csv"}),
    Url("measures:list", case_work()),
    Url("measures:export", team_lead(), kwargs=lambda world: {"file_format": "xlsx"}),
    Url("measures:start", case_work(), kwargs=lambda world: {"reference": world["case"].reference}),
    Url(
        "measures:step",
        case_work(),
        kwargs=lambda world: {"pk": world["measure"].pk, "step": "onderzoeksverslag"},
    ),
    # The casusoverleg (woonoverlast.overleg): the team's pages and the partners' pages.
    Url("overleg:list", case_work()),
    Url("overleg:create", case_work()),
    Url("overleg:detail", case_work(), kwargs=lambda world: {"pk": world["meeting"].pk}),
    Url("overleg:propose", case_work(), kwargs=lambda world: {"pk": world["meeting"].pk}),
    Url("overleg:agenda_set", case_work(405), kwargs=lambda world: {"pk": world["meeting"].pk}),
    Url(
        "overleg:preview",
        chair_or_team_lead(),
        kwargs=lambda world: {
            "pk": world["meeting"].pk,
            "organisation_pk": world["organisation"].pk,
        },
    ),
    Url("overleg:item", chair_or_team_lead(), kwargs=lambda world: {"pk": world["item"].pk}),
    Url("overleg:minutes_pdf", case_work(405), kwargs=lambda world: {"pk": world["item"].pk}),
    Url(
        "overleg:agreement_done",
        case_work(405),
        kwargs=lambda world: {"pk": world["agreement"].pk},
    ),
    Url("overleg:register", team_lead()),
    Url("overleg:register_export", team_lead(), kwargs=lambda world: {"file_format": "xlsx"}),
    Url("overleg:case", case_work(), kwargs=lambda world: _case_kwargs(world)),
    Url("partner:home", partner_only()),
    Url("partner:meeting", partner_only(), kwargs=lambda world: {"pk": world["meeting"].pk}),
    Url(
        "partner:case",
        partner_only(),
        kwargs=lambda world: {"pk": world["meeting"].pk, **_case_kwargs(world)},
    ),
    Url("partner:agenda_pdf", partner_only(), kwargs=lambda world: {"pk": world["meeting"].pk}),
    Url(
        "partner:agreement_done",
        partner_only(),
        kwargs=lambda world: {"pk": world["agreement"].pk},
    ),
    # Health probes: public, and they say up or down only (tests/test_health.py).
    Url("gezondheid", everyone(200)),
    Url("gezondheid_live", everyone(200)),
]


def _case_kwargs(world):
    return {"reference": world["case"].reference}


def _document_kwargs(world):
    return {"reference": world["case"].reference, "pk": world["document"].pk}


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
def world(settings, tmp_path, monkeypatch):
    """Objects the URLs point at."""
    settings.MEDIA_ROOT = str(tmp_path)
    # The partner's agenda PDF without LibreOffice (tests/test_overleg_services.py reads it).
    monkeypatch.setattr("woonoverlast.documents.conversion.to_pdf", lambda data, *, suffix: data)
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
    from woonoverlast.cases import services

    return {
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
        **_overleg_world(case),
    }


def _overleg_world(case):
    """A casusoverleg today with `case` on its agenda, a corporatie taking part (its contact
    is the ketenpartner who logs in) and an afspraak of that corporatie."""
    from tests.overleg_helpers import meeting_with_agenda, organisation, partner_user
    from woonoverlast.cases.services.validation import today
    from woonoverlast.overleg import services as overleg_services
    from woonoverlast.overleg.choices import DataCategory

    corporatie = organisation("Vidomes", categories=[DataCategory.ADDRESS])
    user, contact = partner_user(corporatie)
    meeting, (item,) = meeting_with_agenda(held_on=today(), contacts=[contact], cases=[case])
    agreement = overleg_services.agreement_add(
        item=item,
        text="Gesprek met de huurder",
        due_on=meeting.held_on,
        owner_organisation=corporatie,
        by=meeting.chair,
    )
    return {
        "meeting": meeting,
        "item": item,
        "organisation": corporatie,
        "partner_user": user,
        "agreement": agreement,
    }


def _log_in(client, world, role):
    """The role's user; a ketenpartner is the world's partner contact, past its two-factor
    step (required for partners)."""
    if role == Role.KETENPARTNER:
        from tests.overleg_helpers import verified_login

        verified_login(client, world["partner_user"])
    else:
        client.force_login(UserFactory(role=role))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", URLS, ids=lambda url: url.name)
def test_access(client, world, url, role):
    if role != ANONYMOUS:
        _log_in(client, world, role)
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
    *[
        (name, role)
        for name in CASE_WORK_POSTS
        for role in (ANONYMOUS, Role.RAPPORTAGE, Role.KETENPARTNER)
    ],
    *[
        ("cases:reassign", role)
        for role in (ANONYMOUS, Role.CASEMANAGER, Role.RAPPORTAGE, Role.KETENPARTNER)
    ],
]


@pytest.mark.parametrize(("name", "role"), REFUSED_POSTS)
def test_a_refused_post_changes_nothing(client, world, name, role):
    if role != ANONYMOUS:
        _log_in(client, world, role)
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
