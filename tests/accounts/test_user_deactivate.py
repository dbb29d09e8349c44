"""Deleting an account deactivates it, ends its sessions and tokens, keeps its history (no 500)."""

from __future__ import annotations

import pytest

from tests.conftest import login
from zeren.accounts.models import ApiToken
from zeren.accounts.services import api_token_issue
from zeren.core.models import ChangeLog, SecurityEvent
from zeren.org.models import User

pytestmark = pytest.mark.django_db


def test_deleting_a_user_who_logged_in_deactivates_it(admin_user, staff_a):
    victim_session = login(staff_a)
    assert victim_session.get("/staff/").status_code == 200
    api_token_issue(actor=staff_a, user=staff_a, name="脚本", days=5)
    logins = SecurityEvent.objects.filter(actor=staff_a).count()
    assert logins >= 1

    client = login(admin_user)
    url = f"/admin/org/user/{staff_a.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200 and "停用" in page.content.decode()
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302

    staff_a.refresh_from_db()  # still there
    assert not staff_a.is_active
    assert victim_session.get("/staff/").status_code == 302  # session ended: back to login
    assert not ApiToken.objects.filter(user=staff_a).exists()
    assert SecurityEvent.objects.filter(actor=staff_a).count() >= logins  # history kept
    assert ChangeLog.objects.filter(object_id=str(staff_a.pk), after__is_active=False).exists()


def test_bulk_delete_from_the_list_deactivates_too(admin_user, staff_a, staff_b):
    client = login(admin_user)
    response = client.post(
        "/admin/org/user/",
        {"action": "delete_selected", "_selected_action": [staff_a.pk, staff_b.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {
        "staff_a",
        "staff_b",
    }


def test_nobody_deactivates_themselves(admin_user):
    client = login(admin_user)
    client.post(f"/admin/org/user/{admin_user.pk}/delete/", {"post": "yes"})
    admin_user.refresh_from_db()
    assert admin_user.is_active
