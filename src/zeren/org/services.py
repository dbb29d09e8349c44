"""Writes for the organisation: loading reference data, staff accounts, officers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from zeren.core.audit import acting_as
from zeren.core.roles import Role, check_account_change
from zeren.org.models import (
    Department,
    Division,
    DocumentSettings,
    EnforcementCertificate,
    Officer,
    Section,
    User,
)

SEED_FILE = Path(__file__).parent / "seed" / "longyao.json"


def org_load_seed(*, actor: Any = None, path: Path = SEED_FILE) -> dict[str, int]:
    """Create the divisions, departments and sections of the seed file; safe to run again."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created = {"divisions": 0, "departments": 0, "sections": 0}
    with transaction.atomic(), acting_as(actor or "系统初始化"):
        by_code: dict[str, Division] = {}
        for order, row in enumerate(data["divisions"]):
            parent = by_code.get(row["parent"]) if row["parent"] else None
            division, made = Division.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "level": row["level"],
                    "parent": parent,
                    "order": order,
                },
            )
            by_code[row["code"]] = division
            created["divisions"] += made
        for row in data["departments"]:
            department, made = Department.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "short_name": row["short_name"],
                    "kind": row["kind"],
                    "division": by_code[row["division"]],
                },
            )
            created["departments"] += made
            if row.get("documents"):
                DocumentSettings.objects.get_or_create(
                    department=department, defaults=row["documents"]
                )
            for order, name in enumerate(row["sections"], start=1):
                _, made = Section.objects.get_or_create(
                    department=department, name=name, defaults={"order": order}
                )
                created["sections"] += made
    return created


def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    name: str,
    role: str,
    department: Department | None = None,
    section: Section | None = None,
    township: Division | None = None,
    is_superuser: bool = False,
) -> User:
    """Create a staff account whose role, department, section and township agree."""
    if role not in Role.values:
        raise ValidationError({"role": f"未知角色“{role}”"})
    if section is not None and section.department_id != getattr(department, "pk", None):
        raise ValidationError({"section": "科室不属于所选部门"})
    if role == Role.TOWNSHIP and township is None:
        raise ValidationError({"township": "乡镇工作人员必须指定乡镇"})
    if township is not None and township.level != Division.Level.TOWNSHIP:
        raise ValidationError({"township": "所选区划不是乡镇"})
    if role == Role.PARTNER and (department is None or department.kind != Department.Kind.PARTNER):
        raise ValidationError({"department": "协作部门用户必须属于协作部门"})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"用户名“{username}”已存在"})
    if getattr(actor, "is_authenticated", False):
        # Separation of duties: nobody creates an account with more than they have.
        check_account_change(
            actor=actor,
            target=None,
            before={},
            after={
                "role": role,
                "is_superuser": is_superuser,
                "is_staff": is_superuser or role == Role.ADMIN,
                "is_active": True,
            },
        )
    if password:
        # The same policy as every other way of setting a password (settings.AUTH_PASSWORD_VALIDATORS).
        try:
            validate_password(password, User(username=username, name=name))
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    with transaction.atomic(), acting_as(actor):
        user = User(
            username=username,
            name=name,
            role=role,
            department=department,
            section=section,
            township=township,
            is_superuser=is_superuser,
            is_staff=is_superuser or role == Role.ADMIN,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    return user


def officer_certify(
    *,
    actor: Any,
    user: User,
    number: str,
    valid_from: dt.date,
    valid_to: dt.date,
    village: Division | None = None,
) -> EnforcementCertificate:
    """Record an enforcement certificate for a staff member (creating the officer if new)."""
    if valid_to < valid_from:
        raise ValidationError({"valid_to": "有效期止不能早于有效期起"})
    if EnforcementCertificate.objects.filter(number=number).exists():
        raise ValidationError({"number": f"执法证号“{number}”已存在"})
    with transaction.atomic(), acting_as(actor):
        officer, _ = Officer.objects.get_or_create(user=user, defaults={"village": village})
        return EnforcementCertificate.objects.create(
            officer=officer, number=number, valid_from=valid_from, valid_to=valid_to
        )


def user_deactivate(*, actor: Any, user: User, request: Any = None) -> int:
    """Deactivate an account instead of deleting it: it can no longer log in, its sessions
    and API tokens end at once, and every record it made keeps pointing at it (the logs are
    append-only, so a delete could not null their references anyway). Returns the number of
    sessions ended. Raises ``PermissionDenied`` (separation of duties, ``core.roles``)."""
    from zeren.core.roles import check_account_change

    before = {"role": user.role, "is_superuser": user.is_superuser, "is_staff": user.is_staff}
    check_account_change(
        actor=actor,
        target=user,
        before={**before, "is_active": user.is_active},
        after={**before, "is_active": False},
    )
    with transaction.atomic(), acting_as(actor):
        user.is_active = False
        user.save(update_fields=["is_active", "updated_at"])
        ended = user_sessions_end(user=user)
        from zeren.accounts.models import ApiToken

        ApiToken.objects.filter(user=user).delete()
    return ended


def user_sessions_end(*, user: User) -> int:
    """Delete every live session of ``user`` (database sessions); returns how many."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended
