"""The password policy (length ≥ 10, three character classes, not common, not like the
username) holds for every way of setting one; every user can change their own."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD, login
from zeren.cli import main
from zeren.core.models import SecurityEvent
from zeren.core.security import CharacterClassValidator
from zeren.org.models import User

pytestmark = pytest.mark.django_db

# (password, accepted, why) — GB/T 22239-2019 8.1.4.1 a) and the bureau's policy.
CASES = [
    ("password", False, "common, short, one class"),
    ("Password", False, "common and short"),
    ("abcdefghij", False, "one class"),
    ("abcdefgh12", False, "two classes (lower-case, digits)"),
    ("Abcdefgh1", False, "three classes but nine characters"),
    ("Kx7-mountain", True, "four classes, twelve characters"),
    ("kx7-mountain", True, "three classes: lower-case, digit, symbol"),
    ("KX7MOUNTAINq", True, "three classes: upper-case, digit, lower-case"),
    ("Password123", False, "three classes, eleven characters, but a common password"),
    ("zhangsan-2026A", False, "too like the username zhangsan"),
]


@pytest.mark.parametrize(("password", "accepted", "why"), CASES)
def test_the_password_policy(password, accepted, why):
    user = User(username="zhangsan-2026", name="张三")
    if accepted:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abc", 1), ("aB", 2), ("aB3", 3), ("aB3-", 4), ("中文密码", 1), ("12345", 1)],
)
def test_character_classes_are_counted(password, classes):
    assert CharacterClassValidator.classes(password) == classes


def test_createadmin_refuses_password(monkeypatch, capsys):
    monkeypatch.setenv("ZEREN_ADMIN_PASSWORD", "password")
    assert main(["createadmin", "--username", "boss"]) == 2
    assert "密码" in capsys.readouterr().err
    assert not User.objects.filter(username="boss").exists()


def test_createadmin_generates_a_password_that_meets_the_policy(monkeypatch, capsys):
    monkeypatch.delenv("ZEREN_ADMIN_PASSWORD", raising=False)
    assert main(["createadmin", "--username", "boss"]) == 0
    password = capsys.readouterr().out.split("密码：")[1].split("（")[0]
    user = User.objects.get(username="boss")
    validate_password(password, user)
    assert user.check_password(password)


def test_any_user_changes_their_own_password(partner):
    client = login(partner)
    page = client.get("/staff/account/password/")
    assert page.status_code == 200 and "至少10位" in page.content.decode()
    response = client.post(
        "/staff/account/password/",
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200 and "密码" in response.content.decode()
    partner.refresh_from_db()
    assert partner.check_password(PASSWORD)

    response = client.post(
        "/staff/account/password/",
        {"old_password": "wrong", "new_password1": "Kx7-mountain", "new_password2": "Kx7-mountain"},
    )
    assert "原密码不正确" in response.content.decode()

    response = client.post(
        "/staff/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Kx7-mountain",
            "new_password2": "Kx7-mountain",
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.check_password("Kx7-mountain")
    assert client.get("/staff/").status_code == 200  # still logged in
    event = (
        SecurityEvent.objects.filter(kind="account", object_id=str(partner.pk))
        .order_by("id")
        .last()
    )
    assert event.detail["changes"] == {"password": ["*", "*"]} and event.username == "health"
