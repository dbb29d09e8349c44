"""The security log: logins, failed logins (with lockout), denials, reveals and exports."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD, login
from zeren.core.models import SecurityEvent

pytestmark = pytest.mark.django_db


def test_logins_and_failed_logins_are_logged(staff_a):
    client = Client()
    client.post("/staff/login/", {"username": "staff_a", "password": "wrong"})
    client.post("/staff/login/", {"username": "staff_a", "password": PASSWORD})
    kinds = list(
        SecurityEvent.objects.filter(username="staff_a")
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == ["login_failed", "login"]


def test_five_failures_lock_the_account_for_a_while(staff_a):
    client = Client()
    for _ in range(5):
        client.post("/staff/login/", {"username": "staff_a", "password": "wrong"})
    response = client.post("/staff/login/", {"username": "staff_a", "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_permission_denial_is_logged(staff_a):
    assert login(staff_a).get("/staff/audit/security/").status_code == 403
    assert SecurityEvent.objects.filter(kind="denied", username="staff_a").exists()


def test_downloads_are_logged(public):
    public.get("/download/list.json")
    assert SecurityEvent.objects.filter(kind="export", detail__format="json").exists()


def test_the_api_takes_no_password_by_basic_authentication(staff_a):
    import base64

    token = base64.b64encode(f"staff_a:{PASSWORD}".encode()).decode()
    response = Client().get("/api/persons/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code in (401, 403)
    assert not SecurityEvent.objects.filter(kind="login", username="staff_a").exists()


def test_pages_carry_a_content_security_policy(public):
    policy = public.get("/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1", "10.0.0.1"),  # no proxy: the header is the client's to forge
        (1, "6.6.6.6, 1.2.3.4", "10.0.0.1", "1.2.3.4"),  # one proxy appended the real client
        (2, "1.2.3.4, 10.0.0.2", "10.0.0.1", "1.2.3.4"),
        (1, "", "10.0.0.1", "10.0.0.1"),  # header missing: fall back to the socket address
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    settings, proxies, forwarded, remote, expected
):
    from django.test import RequestFactory

    from zeren.core.security import client_ip

    settings.ZEREN_PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_bad_numeric_settings_fail_loudly(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from zeren.settings import env_int

    monkeypatch.setenv("ZEREN_X", "五")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("ZEREN_X", 1)
    monkeypatch.setenv("ZEREN_X", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("ZEREN_X", 1, minimum=1)


def test_oversized_uploads_are_refused_before_they_are_read(staff_a, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zeren.core.middleware import RequestSizeMiddleware

    settings.ZEREN_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.xlsx", b"x" * (1024 * 1024 + 10))
    # The middleware reads the limit when the handler is built: build a fresh one.
    middleware = RequestSizeMiddleware(lambda request: None)
    from django.test import RequestFactory

    request = RequestFactory().post("/staff/funds/import/", {"file": big})
    response = middleware(request)
    assert response.status_code == 413 and "上限" in response.content.decode()
    small = RequestFactory().post(
        "/staff/funds/import/", {"file": SimpleUploadedFile("s.xlsx", b"x")}
    )
    assert middleware(small) is None  # passed on to the view
