"""Optional two-factor verification (TOTP), required for team leaders when switched on."""

import datetime

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


def test_a_casemanager_may_switch_it_off_with_password_and_a_fresh_code(client):
    worker = casemanager(password=PASSWORD)
    device = with_device(worker)
    log_in(client, worker, current_code(device))
    device.refresh_from_db()  # the log-in used up this time step's code
    device.last_t = -1
    device.save()
    url = reverse("accounts:two_factor_disable")
    refused = client.post(url, {"password": "verkeerd", "otp_token": current_code(device)})
    assert "Dit wachtwoord klopt niet." in refused.content.decode()
    refused = client.post(url, {"password": PASSWORD, "otp_token": ""})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(user=worker).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    client.post(url, {"password": PASSWORD, "otp_token": current_code(device)})
    assert not TOTPDevice.objects.filter(user=worker).exists()


def test_switching_off_without_the_code_is_refused_by_the_service():
    worker = casemanager(password=PASSWORD)
    with_device(worker)
    with pytest.raises(ValidationError) as refused:
        two_factor_disable(user=worker, by=worker, password=PASSWORD, otp_token="")
    assert "otp_token" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        two_factor_disable(user=worker, by=worker, password="", otp_token="123456")
    assert "password" in refused.value.error_dict
    assert TOTPDevice.objects.filter(user=worker).exists()


class TestNoWayAroundTheCode:
    """Issue 17, finding 1: the admin's own log-in skipped the code."""

    def test_the_admin_login_is_the_apps_login(self, client):
        response = client.get("/beheer/login/?next=/beheer/cases/case/")
        assert response.status_code == 302
        assert response.url == "/inloggen/?next=%2Fbeheer%2Fcases%2Fcase%2F"
        assert client.get("/beheer/").url.startswith("/beheer/login/")

    @pytest.mark.parametrize("role", ["casemanager", "rapportage", "teamleider"])
    def test_signed_in_without_admin_rights_the_admin_says_geen_toegang(self, client, role):
        """Issue 27, item 18: not a log-in form, which suggests another password helps."""
        from tests import factories

        client.force_login(getattr(factories, role)(is_staff=False))
        response = client.get("/beheer/", follow=True)
        assert response.status_code == 403
        assert "Geen toegang" in response.content.decode()
        assert 'name="password"' not in response.content.decode()

    def test_posting_name_and_password_to_the_admin_login_logs_nobody_in(self, client):
        leader = teamleider(password=PASSWORD, is_staff=True)
        with_device(leader)
        client.post("/beheer/login/", {"username": leader.username, "password": PASSWORD})
        assert "_auth_user_id" not in client.session
        assert client.get("/beheer/").status_code == 302

    @pytest.mark.parametrize(
        "path",
        ["/beheer/", "/audit/", "/casussen/", "/rapportages/exports/", "/casussen/export/"],
    )
    def test_a_session_opened_without_the_code_opens_nothing(self, client, path):
        leader = teamleider(password=PASSWORD, is_staff=True)
        with_device(leader)
        client.force_login(leader)  # any log-in path that skips the second step
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert "_auth_user_id" not in client.session

    def test_a_closed_case_file_is_not_opened_either(self, client):
        from tests.factories import CaseFactory

        leader = teamleider(password=PASSWORD)
        with_device(leader)
        case = CaseFactory(closed_on=datetime.date(2023, 6, 1))
        client.force_login(leader)
        response = client.get(case.get_absolute_url())
        assert response.status_code == 302 and response.url.startswith(reverse("login"))

    def test_with_the_code_the_admin_opens(self, client):
        leader = teamleider(password=PASSWORD, is_staff=True)
        device = with_device(leader)
        log_in(client, leader, current_code(device))
        assert client.get("/beheer/").status_code == 200


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
            two_factor_disable(
                user=leader, by=leader, password="geheim-wachtwoord", otp_token="123456"
            )
        assert TOTPDevice.objects.filter(user=leader).exists()
