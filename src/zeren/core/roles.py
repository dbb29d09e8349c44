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
    | _crud("org.certificate", "view")
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
    | _crud("org.certificate", "add", "change")
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


def permissions_for(user: Any) -> set[str]:
    if not user.is_active:
        return set()
    return ROLE_PERMISSIONS.get(getattr(user, "role", ""), set())
