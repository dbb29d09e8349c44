"""Lockout per account and client address: one attacker cannot lock everyone out."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD, make_user
from zeren.core.roles import Role

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OFFICE = "10.1.2.3"


def attempt(username: str, password: str, ip: str) -> Client:
    client = Client(REMOTE_ADDR=ip)
    client.post("/staff/login/", {"username": username, "password": password})
    return client


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_that_account_from_that_address(partner):
    for _ in range(5):
        attempt("health", "wrong", ATTACKER)
    assert not logged_in(attempt("health", PASSWORD, ATTACKER))


def test_an_attacker_elsewhere_cannot_lock_the_user_out(partner):
    for _ in range(10):
        attempt("health", "wrong", ATTACKER)
    assert logged_in(attempt("health", PASSWORD, OFFICE))


def test_one_address_trying_many_accounts_is_locked(bureau):
    users = [make_user(f"p{n}", Role.SECTION, department=bureau) for n in range(6)]
    for user in users[:5]:
        for _ in range(4):  # under the per-account limit for each account
            attempt(user.username, "wrong", ATTACKER)
    # 5 accounts x 4 = 20 failures from one address: 4 x ZEREN_LOCKOUT_FAILURES (5).
    assert not logged_in(attempt("p5", PASSWORD, ATTACKER))
    assert logged_in(attempt("p5", PASSWORD, OFFICE))


def test_a_success_resets_the_count_for_that_address(partner):
    for _ in range(4):
        attempt("health", "wrong", OFFICE)
    assert logged_in(attempt("health", PASSWORD, OFFICE))
    for _ in range(4):
        attempt("health", "wrong", OFFICE)
    assert logged_in(attempt("health", PASSWORD, OFFICE))
