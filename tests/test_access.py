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
from tests.factories import CaseFactory, UserFactory, intake_melding, measure
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
            Role.KETENPARTNER: 302,  # to /partner/
        },
    ),
    Url("login", {**everyone(200), Role.KETENPARTNER: 200}),
    # Logging out is a POST; a koppeling or ketenpartner may log out too.
    Url("logout", {**everyone(405), Role.KOPPELING: 405, Role.KETENPARTNER: 405}),
    Url("reports:index", reports(200)),
    Url("audit:log", team_lead()),
    # Single sign-on: off by default, so not found (tests/test_sso.py with it on).
    Url("sso:login", everyone(404)),
    Url("sso:callback", everyone(404)),
    Url("sso:verify", everyone(404)),
    # Events for other systems: failed deliveries, retried by a team leader (POST only).
    Url("events:failed", team_lead()),
    Url("events:retry", team_lead(405), kwargs=lambda world: {"pk": 1}),
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
    # Anonymous: to the app's log-in, with its two-factor step; signed in without admin
    # rights: Geen toegang, not a log-in form (issue 27, item 18).
    Url("admin_login", signed_in(403, anonymous=302)),
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
    Url("cases:mine_open", case_work()),
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
        "cases:melding_add",
        case_work(),
        kwargs=lambda world: {"reference": world["case"].reference},
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
    Url("documents:set_type", case_work(405), kwargs=lambda world: _document_kwargs(world)),
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
        for kind in ("party", "melding", "action")
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
    # POST only (opening a melding changes nothing; taking it is this explicit step).
    Url(
        "intake:take",
        case_work(405),
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
    Url("reports:overleg", reports(200)),
    Url("reports:overleg_export", reports(200), kwargs=lambda world: {"file_format": "csv"}),
    Url("measures:list", case_work()),
    Url("measures:export", team_lead(), kwargs=lambda world: {"file_format": "xlsx"}),
    Url("measures:start", case_work(), kwargs=lambda world: {"reference": world["case"].reference}),
    Url(
        "measures:step",
        case_work(),
        kwargs=lambda world: {"pk": world["measure"].pk, "step": "onderzoeksverslag"},
    ),
    Url("measures:addressee_add", case_work(), kwargs=lambda world: {"pk": world["measure"].pk}),
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
    # A maatregel's resultaat: who may write to its case (the open case: every case worker).
    Url(
        "archiving:measure_result",
        case_work(),
        kwargs=lambda world: _measure_result_kwargs(world),
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
        "melding": services.melding_add(
            case, received_on=case.registered_on, source="politie", text="x", by=None
        ),
        "action": services.action_log(
            case, action_type="gesprek", performed_on=case.registered_on, by=None
        ),
        "measure": measure(case, by=UserFactory(role=Role.TEAMLEIDER, password=None)),
        "closed_case": CaseFactory(closed_on=datetime.date(2023, 6, 1)),
        "export": export,
        "frozen_table": frozen_table,
        "incoming": intake_melding(),
        **_overleg_world(case),
    }


def _overleg_world(case):
    """A casusoverleg today with `case` on its agenda, a corporatie taking part (its contact
    is the ketenpartner who logs in) and an afspraak of that corporatie."""
    from tests.overleg_helpers import meeting_with_agenda, organisation, partner_user
    from woonoverlast.common.validation import today
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
    "cases:melding_add",
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


# -- the closed-case rule in every branch of the search (issue 27) -----------------------------


@pytest.fixture
def hidden_case():
    """A case closed recently by another casemanager: its address is hidden from the others."""
    today = datetime.date.today()
    return CaseFactory(
        street="Geheimweg",
        house_number=7,
        house_number_addition="A",
        postcode="2799 ZZ",
        registered_on=today - datetime.timedelta(days=100),
        closed_on=today - datetime.timedelta(days=10),
        casemanager=UserFactory(role=Role.CASEMANAGER),
    )


SEARCH_BRANCHES = [
    "Geheimweg",  # part of a street
    "geheimweg 7",  # street and number
    "Geheimweg 7A",  # street, number and addition
    "2799 ZZ",  # postcode
    "2799zz",  # postcode without its space
    "2799 ZZ 7",  # postcode and number
    "2799ZZ7a",
]


def _listed(client, **params) -> set[str]:
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return {case.reference for case in response.context["page"].object_list}


@pytest.mark.parametrize("text", SEARCH_BRANCHES)
def test_a_shut_out_casemanager_does_not_find_a_closed_case_by_address(client, hidden_case, text):
    client.force_login(UserFactory(role=Role.TEAMLEIDER))
    assert _listed(client, q=text) == {hidden_case.reference}
    client.force_login(hidden_case.casemanager)
    assert _listed(client, q=text) == {hidden_case.reference}
    client.force_login(UserFactory(role=Role.CASEMANAGER))
    assert _listed(client, q=text) == set()
    # Its reference is no personal data: found, with its address hidden.
    assert _listed(client, q=hidden_case.reference) == {hidden_case.reference}


def test_the_address_sort_does_not_place_a_hidden_case_by_its_street(client, hidden_case):
    today = datetime.date.today()
    before = CaseFactory(street="Aaweg", house_number=1, registered_on=today)
    after = CaseFactory(street="Zzweg", house_number=1, registered_on=today)
    client.force_login(UserFactory(role=Role.CASEMANAGER))
    for sort in ("adres", "-adres"):
        response = client.get(reverse("cases:list"), {"sorteer": sort})
        order = [case.reference for case in response.context["page"].object_list]
        # Last either way, as a case without an address: not between Aaweg and Zzweg.
        assert order[-1] == hidden_case.reference, sort
        assert {before.reference, after.reference} <= set(order)
    client.force_login(UserFactory(role=Role.TEAMLEIDER))
    response = client.get(reverse("cases:list"), {"sorteer": "adres"})
    order = [case.reference for case in response.context["page"].object_list]
    assert order.index(before.reference) < order.index(hidden_case.reference)
    assert order.index(hidden_case.reference) < order.index(after.reference)


def test_the_intake_does_not_match_a_hidden_closed_case(client, hidden_case):
    melding = intake_melding(street="Geheimweg", postcode="2799 ZZ", house_number=7)
    client.force_login(UserFactory(role=Role.CASEMANAGER))
    for path in (reverse("intake:queue"), reverse("intake:detail", args=[melding.reference])):
        html = client.get(path).content.decode()
        assert hidden_case.reference not in html and melding.reference in html
    client.force_login(hidden_case.casemanager)
    for path in (reverse("intake:queue"), reverse("intake:detail", args=[melding.reference])):
        assert hidden_case.reference in client.get(path).content.decode()


# -- every service that writes to a case checks the closed-case rule itself (issue 27) ---------


def _service_functions():
    """Every public service function that takes `by`: {name: function}."""
    import importlib
    import inspect

    found = {}
    for module_name in (
        "woonoverlast.cases.services",
        "woonoverlast.measures.services",
        "woonoverlast.documents.services",
        "woonoverlast.intake.services",
        "woonoverlast.accounts.services",
        "woonoverlast.followups.services",
        "woonoverlast.api.services",
    ):
        module = importlib.import_module(module_name)
        app = module_name.rsplit(".", 1)[0]
        for name, function in vars(module).items():
            if (
                inspect.isfunction(function)
                and not name.startswith("_")
                and function.__module__.startswith(app)
                and name != "check_case_write"
                and "by" in inspect.signature(function).parameters
            ):
                found[name] = function
    return found


# Services with `by` that write to no existing case, or only as a team leader (who may always).
NOT_A_CASE_WRITE = {
    "case_register": "a new case",
    "registration_casemanager": "no write: the casemanager of a case being registered",
    "cases_register_many": "new cases (the import)",
    "cases_anonymise": "the retention job (by=None)",
    "intake_melding_receive": "a new melding",
    "intake_melding_open": "the melding, not a case",
    "intake_melding_take": "the melding, not a case",
    "intake_melding_close": "the melding, no case",
    "intake_melding_register_case": "a new case",
    "intake_meldingen_anonymise": "the retention job",
    "case_access_grant": "team leaders only (refused with a 400 to anyone else)",
    "two_factor_enable": "the user's own account",
    "two_factor_disable": "the user's own account",
    "notification_mark_read": "the user's own bericht",
    "token_issue": "an API token",
    "token_revoke": "an API token",
    "tokens_revoke_all": "API tokens (a password reset)",
    "letter_template_upload": "a template, no case",
    "document_download": "a read (can_see_document)",
    "documents_remove_files": "the retention job",
    "dossier_export_downloaded": "a read of the user's own export",
}


@pytest.fixture
def shut_out(settings, tmp_path):
    """A closed case with entries of every kind written by `worker` while it was open; its
    casemanager is someone else, so `worker` is shut out now."""
    from woonoverlast.cases import services
    from woonoverlast.cases.choices import PartyRole

    settings.MEDIA_ROOT = str(tmp_path)
    worker = UserFactory(role=Role.CASEMANAGER)
    owner = UserFactory(role=Role.CASEMANAGER)
    case = CaseFactory(casemanager=owner, registered_on=datetime.date(2023, 1, 2))
    on = datetime.date(2023, 1, 3)
    world = {
        "worker": worker,
        "owner": owner,
        "case": case,
        "party": services.party_add(case, role=PartyRole.RESPONDENT, name="V. Oorzaker", by=worker),
        "melding": services.melding_add(
            case, received_on=on, source="politie", text="x", by=worker
        ),
        "action": services.action_log(
            case,
            action_type="gesprek",
            performed_on=on,
            follow_up_on=datetime.date(2023, 2, 1),
            by=worker,
        ),
        "document": documents_upload(
            case=case,
            files=[SimpleUploadedFile("foto.jpg", document_files.jpeg())],
            document_type="foto",
            by=worker,
        )[0],
        "incoming": intake_melding(),
    }
    from woonoverlast.measures.services import measure_start

    world["measure"] = measure_start(
        case=case, respondent=world["party"], kind="gedragsaanwijzing_dwangsom", on=on, by=worker
    )
    services.case_close(case, on=datetime.date(2023, 6, 1), reason="opgelost", by=None)
    case.refresh_from_db()
    return world


def _measure_result_kwargs(world):
    """The world's maatregel as if it had ended, with its resultaat (12.2)."""
    from woonoverlast.archiving.models import MeasureResult, ResultType

    measure = world["measure"]
    MeasureResult.objects.get_or_create(
        measure=measure,
        defaults={
            "result_type": ResultType.objects.get(number="12.2"),
            "ended_on": measure.started_on,
        },
    )
    return {"reference": measure.case.reference, "pk": measure.pk}


def _write_calls():
    """name -> a call of that service by the shut-out worker on the closed case."""
    from woonoverlast.cases import services as c
    from woonoverlast.documents import services as d
    from woonoverlast.intake import services as i
    from woonoverlast.measures import services as m

    on = datetime.date(2023, 7, 1)
    return {
        "case_update": lambda w: c.case_update(w["case"], by=w["worker"], description="x"),
        "case_close": lambda w: c.case_close(w["case"], on=on, reason="opgelost", by=w["worker"]),
        "case_reopen": lambda w: c.case_reopen(w["case"], on=on, reason="terug", by=w["worker"]),
        "case_reassign": lambda w: c.case_reassign(
            w["case"], casemanager=w["worker"], reason="Verlof", by=w["worker"]
        ),
        "case_reassign_many": lambda w: c.case_reassign_many(
            [w["case"]], casemanager=w["worker"], reason="Verlof", by=w["worker"]
        ),
        "case_reassign_matching": lambda w: c.case_reassign_matching(
            {"q": w["case"].reference},
            expected=1,
            casemanager=w["worker"],
            reason="Verlof",
            by=w["worker"],
        ),
        "status_date_correct": lambda w: c.status_date_correct(
            w["case"], on=on, reason="typfout", by=w["worker"]
        ),
        "status_change_withdraw": lambda w: c.status_change_withdraw(
            w["case"], reason="typfout", by=w["worker"]
        ),
        "melding_add": lambda w: c.melding_add(
            w["case"], received_on=on, source="politie", text="x", by=w["worker"]
        ),
        "party_add": lambda w: c.party_add(w["case"], role="melder", name="P", by=w["worker"]),
        "action_log": lambda w: c.action_log(
            w["case"], action_type="gesprek", performed_on=on, by=w["worker"]
        ),
        "party_correct": lambda w: c.party_correct(
            w["party"], role="veroorzaker", name="Ander", by=w["worker"]
        ),
        "melding_correct": lambda w: c.melding_correct(
            w["melding"], received_on=on, source="politie", text="y", by=w["worker"]
        ),
        "action_correct": lambda w: c.action_correct(
            w["action"], performed_on=on, action_type="gesprek", by=w["worker"]
        ),
        "entry_withdraw": lambda w: c.entry_withdraw(w["action"], reason="fout", by=w["worker"]),
        "followup_complete": lambda w: c.followup_complete(w["action"], on=on, by=w["worker"]),
        "measure_start": lambda w: m.measure_start(
            case=w["case"],
            respondent=w["party"],
            kind="gedragsaanwijzing_bestuursdwang",
            on=on,
            by=w["worker"],
        ),
        "measure_addressee_add": lambda w: m.measure_addressee_add(
            measure=w["measure"], party=w["party"], on=on, by=w["worker"]
        ),
        "measure_step_record": lambda w: m.measure_step_record(
            w["measure"], step="onderzoeksverslag", on=on, by=w["worker"]
        ),
        "documents_upload": lambda w: d.documents_upload(
            case=w["case"],
            files=[SimpleUploadedFile("foto.jpg", document_files.jpeg())],
            document_type="foto",
            by=w["worker"],
        ),
        "document_add_version": lambda w: d.document_add_version(
            document=w["document"],
            file=SimpleUploadedFile("foto.jpg", document_files.jpeg()),
            by=w["worker"],
        ),
        "document_set_type": lambda w: d.document_set_type(
            document=w["document"], document_type="overig", by=w["worker"]
        ),
        "letter_make": lambda w: d.letter_make(case=w["case"], template=None, by=w["worker"]),
        "dossier_export_request": lambda w: d.dossier_export_request(
            case=w["case"], by=w["worker"]
        ),
        "intake_melding_add_to_case": lambda w: i.intake_melding_add_to_case(
            w["incoming"], case=w["case"], by=w["worker"]
        ),
    }


def test_the_write_table_names_every_service():
    assert set(_service_functions()) == set(_write_calls()) | set(NOT_A_CASE_WRITE)


def _stored(case):
    from woonoverlast.audit.models import AuditEvent

    case.refresh_from_db()
    return (
        case.status,
        case.casemanager_id,
        case.version,
        case.actions.count(),
        case.meldingen.count(),
        case.parties.count(),
        case.measures.count(),
        case.documents.count(),
        case.status_changes.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("name", sorted(_write_calls()))
def test_every_write_service_refuses_a_shut_out_casemanager(shut_out, name):
    from django.core.exceptions import PermissionDenied

    before = _stored(shut_out["case"])
    with pytest.raises(PermissionDenied):
        _write_calls()[name](shut_out)
    assert _stored(shut_out["case"]) == before
