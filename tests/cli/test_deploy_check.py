"""`zeren manage check --deploy --fail-level WARNING` is clean with the production settings of
docs/operations.md, and HTTPS redirect and HSTS work behind the proxy header."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client

PRODUCTION = {
    "ZEREN_HTTPS": "true",
    "ZEREN_PROXY_COUNT": "1",
    "ALLOWED_HOSTS": "zeren.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://zeren.example.gov.cn",
}


def check_deploy(tmp_path, extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZEREN_DATA_DIR": str(tmp_path), **extra}
    for name in ("DEBUG", "ZEREN_SECURE_COOKIES", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    command = [sys.executable, "-m", "zeren.cli", "manage", "check", "--deploy"]
    return subprocess.run(
        [*command, "--fail-level", "WARNING"], env=env, capture_output=True, text=True, check=False
    )


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    done = check_deploy(tmp_path, PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_deploy_fails_without_https(tmp_path):
    done = check_deploy(tmp_path, {**PRODUCTION, "ZEREN_HTTPS": "false"})
    assert done.returncode != 0 and "SECURE_SSL_REDIRECT" in done.stdout + done.stderr


@pytest.fixture
def https_settings(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(https_settings):
    response = Client().get("/services/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/services/"


@pytest.mark.django_db
def test_https_behind_the_proxy_carries_hsts(https_settings):
    response = Client().get("/services/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
