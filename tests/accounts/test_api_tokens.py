"""API tokens: hashed at rest, expiring, revocable, per user, optionally read-only; a page to
create and revoke them and a command to issue one; Basic authentication is gone."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login
from tests.factories import person
from zeren.accounts.models import ApiToken
from zeren.accounts.services import api_token_issue
from zeren.cli import main
from zeren.core.models import SecurityEvent

pytestmark = pytest.mark.django_db


def api(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_is_stored_only_as_a_digest_and_works(staff_a, village_a):
    person(actor=staff_a, division=village_a)
    row, text = api_token_issue(actor=staff_a, user=staff_a, name="脚本", days=30)
    assert text.startswith("zrn_") and text not in {row.digest, row.token_key}
    assert row.digest == hashlib.sha512(text.encode()).hexdigest()
    assert dt.timedelta(days=29) < row.expiry - timezone.now() <= dt.timedelta(days=30)
    response = api(text).get("/api/persons/")
    assert response.status_code == 200 and len(response.json()["results"]) == 1


def test_a_token_sees_only_its_users_scope(staff_b, staff_a, village_a):
    person(actor=staff_a, division=village_a)
    _, text = api_token_issue(actor=staff_b, user=staff_b, name="脚本", days=30)
    assert api(text).get("/api/persons/").json()["results"] == []


def test_an_expired_token_is_refused(staff_a):
    row, text = api_token_issue(actor=staff_a, user=staff_a, name="脚本", days=1)
    ApiToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = api(text).get("/api/persons/")
    assert response.status_code == 401 and "令牌无效" in response.json()["detail"]


def test_a_revoked_token_is_refused(staff_a):
    row, text = api_token_issue(actor=staff_a, user=staff_a, name="脚本", days=5)
    client = login(staff_a)
    page = client.get("/staff/account/")
    assert row.token_key in page.content.decode() and text not in page.content.decode()
    assert client.post(f"/staff/account/tokens/{row.token_key}/revoke/").status_code == 302
    assert api(text).get("/api/persons/").status_code == 401
    assert SecurityEvent.objects.filter(kind="account", detail__what="吊销API令牌").exists()


def test_a_user_cannot_revoke_anothers_token(staff_a, staff_b):
    row, text = api_token_issue(actor=staff_a, user=staff_a, name="脚本", days=5)
    response = login(staff_b).post(f"/staff/account/tokens/{row.token_key}/revoke/")
    assert response.status_code == 404
    assert api(text).get("/api/persons/").status_code == 200


def test_a_read_only_token_cannot_write(staff_a, village_a):
    p = person(actor=staff_a, division=village_a)
    _, text = api_token_issue(actor=staff_a, user=staff_a, name="只读", days=5, read_only=True)
    assert api(text).get(f"/api/persons/{p.pk}/").status_code == 200
    response = api(text).patch(
        f"/api/persons/{p.pk}/", {"name": "改名"}, content_type="application/json"
    )
    assert response.status_code == 403 and "只读" in response.json()["detail"]


def test_a_deactivated_users_token_is_refused(staff_a):
    _, text = api_token_issue(actor=staff_a, user=staff_a, name="脚本", days=5)
    staff_a.is_active = False
    staff_a.save()
    assert api(text).get("/api/persons/").status_code == 401


def test_the_page_creates_a_token_shown_once(staff_a):
    client = login(staff_a)
    response = client.post(
        "/staff/account/tokens/new/", {"name": "月报", "days": "30", "read_only": "on"}
    )
    text = response.context["text"]
    row = ApiToken.objects.get(user=staff_a)
    assert row.read_only and row.name == "月报" and text in response.content.decode()
    assert api(text).get("/api/persons/").status_code == 200
    assert text not in client.get("/staff/account/").content.decode()


@pytest.mark.parametrize(
    ("form", "message"),
    [({"name": "", "days": "30"}, "用途"), ({"name": "x", "days": "400"}, "365")],
)
def test_the_page_refuses_bad_input(staff_a, form, message):
    response = login(staff_a).post("/staff/account/tokens/new/", form, follow=True)
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_command_issues_lists_and_revokes(staff_a, capsys):
    assert main(["token", "issue", "--user", "staff_a", "--name", "夜间同步", "--days", "7"]) == 0
    text = capsys.readouterr().out.strip().splitlines()[-1]
    assert api(text).get("/api/persons/").status_code == 200
    assert main(["token", "list", "--user", "staff_a"]) == 0
    key = capsys.readouterr().out.split("\t")[0]
    assert main(["token", "revoke", key]) == 0
    assert api(text).get("/api/persons/").status_code == 401
    assert main(["token", "issue", "--user", "nobody", "--name", "x"]) == 2
    assert "没有用户" in capsys.readouterr().err
