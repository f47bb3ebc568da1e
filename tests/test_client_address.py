"""The client's address behind nginx (TRUSTED_PROXIES): the public form's rate limit, log-in
throttling and the audit log all see the client, and a client cannot choose its address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import casemanager
from tests.test_intake_views import FORM, form_data
from woonoverlast.audit.models import AuditEvent
from woonoverlast.client_address import client_ip

pytestmark = pytest.mark.django_db
PASSWORD = "een-goed-wachtwoord-9"
NGINX = "127.0.0.1"


def _ip(forwarded=None, peer=NGINX):
    meta = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.1.0.0/16"]


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert _ip("203.0.113.5") == NGINX


@pytest.mark.usefixtures("behind_nginx")
@pytest.mark.parametrize(
    "forwarded, peer, expected",
    [
        # nginx appends the address it got the request from.
        ("203.0.113.5", NGINX, "203.0.113.5"),
        # What the client wrote itself stands left of it and is never believed.
        ("6.6.6.6, 203.0.113.5", NGINX, "203.0.113.5"),
        ("127.0.0.1, 203.0.113.5", NGINX, "203.0.113.5"),
        # A chain of trusted proxies (a load balancer in the internal network, then nginx).
        ("203.0.113.5, 10.1.2.3", NGINX, "203.0.113.5"),
        ("2001:db8::7", "::1", "2001:db8::7"),
        # From a peer that is no trusted proxy the header counts for nothing: spoofing fails.
        ("6.6.6.6", "198.51.100.7", "198.51.100.7"),
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),
        # No header, or nonsense where nginx should have written an address: the peer.
        (None, NGINX, NGINX),
        ("", NGINX, NGINX),
        ("203.0.113.5, unknown", NGINX, NGINX),
        # Only trusted proxies in the chain: the first of them.
        ("10.1.0.9", NGINX, NGINX),
    ],
)
def test_the_client_behind_trusted_proxies(forwarded, peer, expected):
    assert _ip(forwarded, peer) == expected


@pytest.mark.usefixtures("behind_nginx")
def test_the_rate_limit_counts_each_resident_not_nginx(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.INTAKE_RATE_LIMIT = 2
    resident = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for number in range(2):
        assert client.post(FORM, form_data(form_token=f"a{number}"), **resident).status_code == 302
    assert client.post(FORM, form_data(form_token="a3"), **resident).status_code == 429
    # The next resident, through the same nginx, is not blocked.
    neighbour = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "203.0.113.6"}
    assert client.post(FORM, form_data(form_token="b1"), **neighbour).status_code == 302
    # The first resident cannot escape by writing another address into the header.
    spoofed = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5"}
    assert client.post(FORM, form_data(form_token="a4"), **spoofed).status_code == 429


@pytest.mark.usefixtures("behind_nginx")
def test_failed_log_ins_lock_the_attacker_out_not_everyone(client, settings):
    worker = casemanager(password=PASSWORD)
    attacker = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    data = {"username": worker.username, "password": "fout"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), data, **attacker)
    assert response.status_code == 429
    colleague = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    data["password"] = PASSWORD
    assert client.post(reverse("login"), data, **colleague).status_code == 302


@pytest.mark.usefixtures("behind_nginx")
def test_the_audit_log_records_the_client(client):
    worker = casemanager(password=PASSWORD)
    client.post(
        reverse("login"),
        {"username": worker.username, "password": PASSWORD},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.10",
    )
    client.get(reverse("cases:list"), REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.10")
    addresses = set(AuditEvent.objects.values_list("ip_address", flat=True))
    assert addresses == {"203.0.113.10"}


def test_nginx_passes_the_clients_address_wherever_it_proxies():
    import re
    from pathlib import Path

    conf = (Path(__file__).resolve().parent.parent / "deploy/nginx/woonoverlast.conf").read_text()
    blocks = re.findall(r"location [^{]+\{[^}]*proxy_pass[^}]*\}", conf)
    assert len(blocks) >= 2
    for block in blocks:
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in block, block


def test_the_example_environment_trusts_the_local_nginx():
    from pathlib import Path

    env = (Path(__file__).resolve().parent.parent / "deploy/woonoverlast.env.example").read_text()
    assert "TRUSTED_PROXIES=127.0.0.1,::1" in env
