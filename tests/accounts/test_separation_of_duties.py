"""Separation of duties: no role grants itself or others more than it has; the administrator
cannot make itself superuser, change audit settings or read personal data; every change of
accounts, roles and shares lands in the change log and the security log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import login, make_user
from tests.factories import person
from zeren.core.models import ChangeLog, SecurityEvent
from zeren.core.roles import Role, check_account_change, grantable_roles
from zeren.org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(bureau) -> User:
    """An administrator who is not a superuser (the everyday account manager)."""
    return make_user("sysadmin", Role.ADMIN, department=bureau)


def change_form(user: User, **overrides) -> dict:
    data = {
        "username": user.username,
        "name": user.name,
        "role": user.role,
        "department": user.department_id or "",
        "section": user.section_id or "",
        "township": user.township_id or "",
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_the_administrator_cannot_make_itself_superuser(sysadmin):
    client = login(sysadmin)
    url = f"/admin/org/user/{sysadmin.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, change_form(sysadmin, is_superuser="on"))
    assert response.status_code == 200 and "不能修改自己的" in response.content.decode()
    sysadmin.refresh_from_db()
    assert not sysadmin.is_superuser


def test_the_administrator_cannot_make_another_account_superuser(sysadmin, bureau):
    other = make_user("admin2", Role.ADMIN, department=bureau)
    response = login(sysadmin).post(
        f"/admin/org/user/{other.pk}/change/", change_form(other, is_superuser="on")
    )
    assert "只有超级管理员" in response.content.decode()
    other.refresh_from_db()
    assert not other.is_superuser


@pytest.mark.parametrize("role", [Role.HEAD, Role.AUDITOR, Role.TOWNSHIP, Role.SECTION])
def test_the_administrator_cannot_grant_a_role_with_more_than_it_has(sysadmin, bureau, role):
    other = make_user("admin2", Role.ADMIN, department=bureau)
    response = login(sysadmin).post(
        f"/admin/org/user/{other.pk}/change/", change_form(other, role=role)
    )
    assert "不能授予比自己更多的权限" in response.content.decode()
    other.refresh_from_db()
    assert other.role == Role.ADMIN


def test_the_administrator_cannot_take_over_a_head_account(sysadmin, head):
    response = login(sysadmin).post(
        f"/admin/org/user/{head.pk}/change/", change_form(head, name="改名")
    )
    assert "不能修改权限比自己多的账号" in response.content.decode()


def test_the_administrator_reads_no_personal_data_and_no_logs(sysadmin, staff_a, village_a):
    p = person(actor=staff_a, division=village_a)
    client = login(sysadmin)
    assert client.get("/staff/persons/").status_code == 403
    assert client.get(f"/staff/persons/{p.pk}/").status_code in (403, 404)
    assert client.get("/api/persons/").json().get("results", []) == []
    assert client.get("/staff/audit/security/").status_code == 403
    # Audit settings are code and environment only; the logs are not in the admin to change.
    assert client.get("/admin/core/securityevent/").status_code in (403, 404)
    assert not sysadmin.has_perm("core.change_changelog")


def test_a_superuser_may_grant_any_role_but_not_change_its_own(admin_user, sysadmin):
    assert grantable_roles(admin_user) == set(Role.values)
    assert grantable_roles(sysadmin) == {Role.ADMIN}
    check_account_change(
        actor=admin_user,
        target=sysadmin,
        before={"role": Role.ADMIN},
        after={"role": Role.AUDITOR},
    )
    with pytest.raises(PermissionDenied):
        check_account_change(
            actor=admin_user,
            target=admin_user,
            before={"role": Role.ADMIN, "is_superuser": True},
            after={"role": Role.ADMIN, "is_superuser": False},
        )


@pytest.mark.parametrize("persona", ["head", "section_staff", "staff_a", "auditor", "officer1"])
def test_no_other_role_may_touch_accounts(request, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get("/admin/org/user/add/").status_code in (302, 403)


def test_role_changes_land_in_the_change_log_and_the_security_log(admin_user, sysadmin):
    client = login(admin_user)
    response = client.post(
        f"/admin/org/user/{sysadmin.pk}/change/", change_form(sysadmin, role=Role.AUDITOR)
    )
    assert response.status_code == 302
    row = (
        ChangeLog.objects.filter(object_id=str(sysadmin.pk), action="update").order_by("id").last()
    )
    assert row.before["role"] == "admin" and row.after["role"] == "auditor"
    assert row.actor_name == "root" and "password" not in row.after
    event = (
        SecurityEvent.objects.filter(kind="account", object_id=str(sysadmin.pk))
        .order_by("id")
        .last()
    )
    assert event.username == "root" and event.detail["changes"]["role"] == ["admin", "auditor"]


def test_account_creation_is_logged_in_both_logs(admin_user, bureau):
    from zeren.core.audit import acting_as
    from zeren.org.services import user_create

    with acting_as(admin_user):
        user = user_create(
            actor=admin_user,
            username="newcomer",
            password="Kx7-mountain",
            name="新人",
            role=Role.SECTION,
            department=bureau,
        )
    assert ChangeLog.objects.filter(object_id=str(user.pk), action="create").exists()
    event = SecurityEvent.objects.get(kind="account", object_id=str(user.pk))
    assert event.detail["what"] == "创建账号" and event.detail["changes"]["role"][1] == "section"


def test_shares_land_in_the_security_log(section_staff, partner, staff_a, village_a):
    from zeren.core.services import share_grant, share_revoke

    p = person(actor=staff_a, division=village_a)
    share = share_grant(actor=section_staff, obj=p, department=partner.department, reason="协查")
    share_revoke(actor=section_staff, share=share)
    whats = list(
        SecurityEvent.objects.filter(kind="account", object_type="core.Share")
        .order_by("id")
        .values_list("detail__what", flat=True)
    )
    assert whats == ["共享授权", "撤销共享"]
