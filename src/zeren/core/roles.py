"""Roles and what each may do. Permissions are code, reviewed like code.

A permission is Django's ``app_label.action_model``; ``backends.RoleBackend`` answers ``has_perm`` from
the user's role, so views, the admin and the API all ask the same question.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class Role(models.TextChoices):
    HEAD = "head", "局领导"
    SECTION = "section", "科室工作人员"
    TOWNSHIP = "township", "乡镇工作人员"
    OFFICER = "officer", "执法人员"
    PARTNER = "partner", "协作部门"
    AUDITOR = "auditor", "审计员"
    ADMIN = "admin", "系统管理员"


def _crud(label: str, *actions: str) -> set[str]:
    app, model = label.split(".")
    return {f"{app}.{action}_{model}" for action in actions}


REFERENCE_VIEW = (
    _crud("org.division", "view")
    | _crud("org.department", "view")
    | _crud("org.section", "view")
    | _crud("org.officer", "view")
    | _crud("org.enforcementcertificate", "view")
    | _crud("core.notification", "view")
)
LIST_EDIT = (
    _crud("catalogue.listversion", "view", "change", "publish")
    | _crud("catalogue.duty", "view", "add", "change", "delete")
    | _crud("catalogue.workitem", "view", "add", "change", "delete")
    | _crud("catalogue.boundary", "view", "add", "change", "delete")
    | _crud("catalogue.publicservice", "view", "add", "change", "delete")
    | _crud("catalogue.regime", "view", "add", "change", "delete")
)
PERSON_WORK = _crud("people.person", "view", "add", "change", "export")
SHARING = _crud("core.share", "view", "add", "delete")

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.HEAD: REFERENCE_VIEW
    | SHARING
    | LIST_EDIT
    | PERSON_WORK
    | _crud("people.person", "reveal")
    | _crud("org.user", "view"),
    Role.SECTION: REFERENCE_VIEW
    | SHARING
    | LIST_EDIT
    | PERSON_WORK
    | _crud("people.person", "reveal"),
    Role.TOWNSHIP: REFERENCE_VIEW | PERSON_WORK | _crud("people.person", "reveal"),
    Role.OFFICER: REFERENCE_VIEW | _crud("people.person", "view", "reveal"),
    Role.PARTNER: REFERENCE_VIEW | _crud("people.person", "view"),
    Role.AUDITOR: REFERENCE_VIEW
    | _crud("core.changelog", "view")
    | _crud("core.securityevent", "view")
    | _crud("people.person", "view")
    | _crud("org.user", "view"),
    Role.ADMIN: REFERENCE_VIEW
    | _crud("org.division", "add", "change")
    | _crud("org.department", "add", "change")
    | _crud("org.section", "add", "change")
    | _crud("org.officer", "add", "change")
    | _crud("org.enforcementcertificate", "add", "change")
    | _crud("org.user", "view", "add", "change"),
}


# The logs are never writable, not even by a superuser.
NEVER_GRANTED = frozenset(
    f"core.{action}_{model}"
    for action in ("add", "change", "delete")
    for model in ("changelog", "securityevent")
)


# Extra permissions that later apps add to a role (apps call ``grant`` from their AppConfig).
def grant(role: str, *perms: str) -> None:
    ROLE_PERMISSIONS.setdefault(role, set()).update(perms)


def roles_with(perm: str) -> set[str]:
    """The roles granted ``perm`` (``"app.codename"``), e.g. to offer only accounts that can act."""
    return {role for role, perms in ROLE_PERMISSIONS.items() if perm in perms}


def permissions_for(user: Any) -> set[str]:
    if not user.is_active:
        return set()
    return ROLE_PERMISSIONS.get(getattr(user, "role", ""), set())


# Separation of duties (GB/T 22239-2019 8.1.4.2 c: least privilege, 权限分离 of administration, security and
# audit). Fields of an account that change what it may do:
PRIVILEGE_FIELDS = ("role", "is_superuser", "is_staff", "is_active")


def grantable_roles(actor: Any) -> set[str]:
    """Roles ``actor`` may give to an account: those whose permissions are all the actor's own.

    A superuser may give any role; an administrator (role ``admin``) holds no personal-data or
    audit permission, so may create and edit only accounts that hold none either.
    """
    if actor.is_superuser:
        return set(Role.values)
    own = permissions_for(actor)
    return {role for role in Role.values if ROLE_PERMISSIONS.get(role, set()) <= own}


def check_account_change(
    *, actor: Any, target: Any | None, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Refuse an account change that would give anyone more than ``actor`` has.

    ``target`` is the account (None when creating), ``before``/``after`` map
    ``PRIVILEGE_FIELDS`` to their values. Raises ``PermissionDenied`` with a Chinese message:
    nobody changes their own role or flags; only a superuser grants superuser or admin-site
    access; a role is given (and an account edited at all) only within ``grantable_roles``.
    ``actor`` None (the command line, run by whoever holds the server) is not checked.
    """
    from django.core.exceptions import PermissionDenied

    if actor is None:
        return
    changed = {f for f in PRIVILEGE_FIELDS if before.get(f) != after.get(f)}
    if target is not None and target.pk == actor.pk and changed:
        raise PermissionDenied("不能修改自己的角色、超级管理员、后台权限或启用状态。")
    if actor.is_superuser:
        return
    if {"is_superuser", "is_staff"} & changed:
        raise PermissionDenied("只有超级管理员可以授予或撤销超级管理员和后台管理权限。")
    allowed = grantable_roles(actor)
    if target is not None and (target.is_superuser or before.get("role") not in allowed):
        raise PermissionDenied(
            "不能修改权限比自己多的账号（如局领导、审计员或可查看个人信息的账号）。"
        )
    if after.get("role") not in allowed:
        label = Role(after["role"]).label if after.get("role") in Role.values else after.get("role")
        raise PermissionDenied(f"不能授予比自己更多的权限：角色“{label}”含有您没有的权限。")
