"""Every URL of the app, for every role and for anonymous visitors.

The table below must name every URL the app has (a test checks that), so a new view cannot
ship without saying who may see it. Values: the expected status for a GET, or LOGIN for a
redirect to the login page.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reports import services as report_services
from tests.factories import CaseFactory, UserFactory, measure
from woonoverlast.accounts.roles import Role
from woonoverlast.cases.models import Case

pytestmark = pytest.mark.django_db

LOGIN = "login"
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, Role.CASEMANAGER, Role.TEAMLEIDER, Role.RAPPORTAGE]


@dataclass
class Url:
    name: str
    expect: dict  # role -> status or LOGIN
    kwargs: callable = field(default=lambda world: {})


def everyone(status):
    return {role: status for role in ROLES}


def signed_in(status, anonymous=LOGIN):
    return {ANONYMOUS: anonymous, **{role: status for role in ROLES[1:]}}


def case_work(status=200):
    """Case files and personal data: casemanagers and team leaders only."""
    return {
        ANONYMOUS: LOGIN,
        Role.CASEMANAGER: status,
        Role.TEAMLEIDER: status,
        Role.RAPPORTAGE: 403,
    }


def team_lead(status=200):
    return {ANONYMOUS: LOGIN, Role.CASEMANAGER: 403, Role.TEAMLEIDER: status, Role.RAPPORTAGE: 403}


def owner_or_team_lead(status=200):
    """Someone else's export: only a team leader besides its owner (tested in test_reports_*)."""
    return team_lead(status)


URLS = [
    Url(
        "home",
        {ANONYMOUS: LOGIN, Role.CASEMANAGER: 200, Role.TEAMLEIDER: 200, Role.RAPPORTAGE: 302},
    ),
    Url("login", everyone(200)),
    Url("logout", everyone(405)),  # logging out is a POST
    Url("reports:index", signed_in(200)),
    Url("audit:log", team_lead()),
    Url("accounts:two_factor", signed_in(200)),
    Url("accounts:two_factor_disable", signed_in(405)),
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
    Url("cases:detail", case_work(), kwargs=lambda world: {"reference": world["case"].reference}),
    Url("followups:due", case_work()),
    Url("followups:notifications", case_work()),
    # POST only: a GET is refused after the role check.
    Url("followups:notifications_read_all", case_work(405)),
    Url("followups:notification_read", case_work(405), kwargs=lambda world: {"pk": 1}),
    Url("followups:followup_done", case_work(405), kwargs=lambda world: {"pk": 1}),
    Url("cases:edit", case_work(), kwargs=lambda world: {"reference": world["case"].reference}),
    Url("cases:close", case_work(), kwargs=lambda world: {"reference": world["case"].reference}),
    Url(
        "cases:reopen",
        case_work(),
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
    Url("reports:maatregelen", signed_in(200)),
    Url("reports:maatregelen_export", signed_in(200), kwargs=lambda world: {"file_format": "csv"}),
    Url(
        "reports:doorlooptijd_export", signed_in(200), kwargs=lambda world: {"file_format": "xlsx"}
    ),
    Url("measures:list", case_work()),
    Url("measures:export", team_lead(), kwargs=lambda world: {"file_format": "xlsx"}),
    Url("measures:start", case_work(), kwargs=lambda world: {"reference": world["case"].reference}),
    Url(
        "measures:step",
        case_work(),
        kwargs=lambda world: {"pk": world["measure"].pk, "step": "onderzoeksverslag"},
    ),
]


def url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's own admin guards itself (staff only)
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
    return {
        "case": case,
        "measure": measure(case, by=UserFactory(role=Role.TEAMLEIDER, password=None)),
        "closed_case": CaseFactory(closed_on=datetime.date(2023, 6, 1)),
        "export": export,
        "frozen_table": frozen_table,
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


# Writes: a POST is guarded like the GET, and a refused POST stores nothing.
CASE_WORK_POSTS = [
    "cases:create",
    "cases:edit",
    "cases:close",
    "cases:action_add",
    "cases:visit_add",
    "cases:report_add",
    "cases:party_add",
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
