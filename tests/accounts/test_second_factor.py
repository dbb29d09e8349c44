"""TOTP second factor: who must use it, enrolment with a QR code, verification, recovery codes,
and that a privileged login without it reaches no staff page, admin page or API endpoint."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, login
from zeren.accounts.policy import second_factor_required
from zeren.core.models import SecurityEvent

pytestmark = pytest.mark.django_db


def password_only(user) -> Client:
    return login(user, second_factor=False)


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.mark.parametrize(
    ("persona", "required"),
    [
        ("head", True),  # bureau head
        ("admin_user", True),  # administrator (superuser)
        ("auditor", True),
        ("staff_a", True),  # township staff hold reveal and export
        ("section_staff", True),
        ("officer1", True),  # officers hold reveal
        ("partner", False),  # partners only view what is shared, masked
    ],
)
def test_who_must_use_a_second_factor(request, persona, required):
    assert second_factor_required(request.getfixturevalue(persona)) is required


STAFF_PAGES = ["/staff/", "/staff/persons/", "/staff/audit/security/", "/staff/funds/", "/admin/"]


@pytest.mark.parametrize("persona", ["head", "admin_user", "auditor", "staff_a"])
def test_a_privileged_login_without_the_second_factor_reaches_no_staff_page(request, persona):
    client = password_only(request.getfixturevalue(persona))
    for url in STAFF_PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/staff/account/otp/enrol/"), url


def test_with_a_device_the_redirect_goes_to_verification(head):
    TOTPDevice.objects.create(user=head, name="x", confirmed=True)
    response = password_only(head).get("/staff/persons/")
    assert response["Location"] == "/staff/account/otp/verify/?next=/staff/persons/"


def test_a_privileged_session_without_the_second_factor_gets_403_from_the_api(head):
    response = password_only(head).get("/api/persons/")
    assert response.status_code == 403
    assert "双因素认证" in response.json()["detail"]


def test_a_partner_needs_no_second_factor(partner):
    assert password_only(partner).get("/staff/").status_code == 200


def test_enrolment_shows_an_svg_qr_code_and_confirms_with_a_code(head):
    client = password_only(head)
    page = client.get("/staff/account/otp/enrol/?next=/staff/persons/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "http" not in html.split("<svg")[1][:40]
    device = TOTPDevice.objects.get(user=head, confirmed=False)
    # A wrong code binds nothing.
    response = client.post("/staff/account/otp/enrol/", {"token": "000000", "next": "/staff/"})
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=head, confirmed=True).exists()

    response = client.post(
        "/staff/account/otp/enrol/", {"token": current_code(device), "next": "/staff/persons/"}
    )
    codes = response.context["codes"]
    assert len(codes) == 10 and all(c in response.content.decode() for c in codes)
    assert client.get("/staff/persons/").status_code == 200
    assert SecurityEvent.objects.filter(
        kind="otp", username="head", detail__what="绑定手机验证器"
    ).exists()


def test_verification_after_password_login(head, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's back-off after a wrong code: off here
    device = TOTPDevice.objects.create(user=head, name="x", confirmed=True)
    client = Client()
    response = client.post(
        "/staff/login/", {"username": "head", "password": PASSWORD, "next": "/staff/persons/"}
    )
    assert client.get("/staff/persons/").status_code == 302
    response = client.post(
        "/staff/account/otp/verify/", {"token": "123456", "next": "/staff/persons/"}
    )
    assert "验证码不正确" in response.content.decode()
    response = client.post(
        "/staff/account/otp/verify/", {"token": current_code(device), "next": "/staff/persons/"}
    )
    assert response.status_code == 302 and response["Location"] == "/staff/persons/"
    assert client.get("/staff/persons/").status_code == 200


def test_verification_refuses_to_redirect_elsewhere(head):
    device = TOTPDevice.objects.create(user=head, name="x", confirmed=True)
    client = password_only(head)
    response = client.post(
        "/staff/account/otp/verify/",
        {"token": current_code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/staff/"


def test_a_recovery_code_works_once(head):
    from zeren.accounts.services import recovery_codes_renew

    TOTPDevice.objects.create(user=head, name="x", confirmed=True)
    code = recovery_codes_renew(user=head)[0]
    first = password_only(head)
    assert first.post("/staff/account/otp/verify/", {"token": code}).status_code == 302
    assert first.get("/staff/persons/").status_code == 200
    second = password_only(head)
    response = second.post("/staff/account/otp/verify/", {"token": code})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()


def test_five_wrong_codes_end_the_session(head):
    TOTPDevice.objects.create(user=head, name="x", confirmed=True)
    client = password_only(head)
    for _ in range(5):
        response = client.post("/staff/account/otp/verify/", {"token": "000000"})
    assert response.status_code == 302 and response["Location"] == "/staff/login/"
    assert "_auth_user_id" not in client.session


def test_the_command_resets_a_lost_second_factor(head, capsys):
    from zeren.cli import main

    verified_earlier = login(head)
    assert verified_earlier.get("/staff/").status_code == 200
    assert main(["otp-reset", "--user", "head"]) == 0
    assert verified_earlier.get("/staff/")["Location"].startswith("/staff/login/")
    assert not TOTPDevice.objects.filter(user=head).exists()
    response = password_only(head).get("/staff/")
    assert response["Location"].startswith("/staff/account/otp/enrol/")
    assert SecurityEvent.objects.filter(kind="otp", detail__what="重置双因素认证").exists()


def test_without_the_second_factor_no_api_token_can_be_made(head):
    from zeren.accounts.models import ApiToken

    client = password_only(head)
    response = client.post("/staff/account/tokens/new/", {"name": "绕过", "days": "30"})
    assert response.status_code == 302 and "/otp/enrol/" in response["Location"]
    assert not ApiToken.objects.exists()
