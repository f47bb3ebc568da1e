"""Optional two-factor verification (TOTP), required for team leaders when switched on."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import casemanager, teamleider
from woonoverlast.accounts.services import two_factor_disable

pytestmark = pytest.mark.django_db
PASSWORD = "een-goed-wachtwoord-9"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(client, user, code=""):
    return client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "otp_token": code},
    )


def with_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def test_without_a_device_the_password_is_enough(client):
    assert log_in(client, casemanager(password=PASSWORD)).status_code == 302


def test_with_a_device_the_code_is_needed(client):
    worker = casemanager(password=PASSWORD)
    device = with_device(worker)
    missing = log_in(client, worker)
    assert "Vul de verificatiecode uit uw authenticator-app in." in missing.content.decode()
    wrong = log_in(client, worker, "000000" if current_code(device) != "000000" else "111111")
    assert "Deze verificatiecode klopt niet" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above throttles the next try
    device.save()
    assert log_in(client, worker, current_code(device)).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_setting_it_up(client):
    worker = casemanager(password=PASSWORD)
    client.force_login(worker)
    page = client.get(reverse("accounts:two_factor"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    wrong = client.post(reverse("accounts:two_factor"), {"otp_token": "12345"})
    assert "Deze code klopt niet" in wrong.content.decode()
    throttled = client.post(reverse("accounts:two_factor"), {"otp_token": current_code(device)})
    assert "Te veel verkeerde codes" in throttled.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    client.post(reverse("accounts:two_factor"), {"otp_token": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed


def test_a_casemanager_may_switch_it_off(client):
    worker = casemanager(password=PASSWORD)
    with_device(worker)
    client.force_login(worker)
    client.post(reverse("accounts:two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=worker).exists()


class TestRequiredForTeamLeaders:
    @pytest.fixture(autouse=True)
    def required(self, settings):
        settings.TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER = True

    def test_a_team_leader_without_it_is_sent_to_set_it_up(self, client):
        client.force_login(teamleider())
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url == reverse("accounts:two_factor")

    def test_a_verified_team_leader_gets_in(self, client):
        leader = teamleider(password=PASSWORD)
        device = with_device(leader)
        log_in(client, leader, current_code(device))
        assert client.get(reverse("home")).status_code == 200

    def test_a_team_leader_cannot_switch_it_off(self, client):
        leader = teamleider(password=PASSWORD)
        device = with_device(leader)
        log_in(client, leader, current_code(device))
        client.post(reverse("accounts:two_factor_disable"))
        assert TOTPDevice.objects.filter(user=leader).exists()

    def test_casemanagers_are_not_forced(self, client):
        client.force_login(casemanager())
        assert client.get(reverse("home")).status_code == 200

    def test_the_service_refuses_it_for_every_caller(self):
        leader = teamleider()
        with_device(leader)
        with pytest.raises(ValidationError):
            two_factor_disable(user=leader, by=leader)
        assert TOTPDevice.objects.filter(user=leader).exists()
