"""Writes for accounts: second-factor enrolment and recovery codes, API tokens, passwords.

Every function records what it did in the security log (``SecurityEvent.Kind.ACCOUNT`` or
``SECOND_FACTOR``); the secrets themselves (TOTP keys, recovery codes, tokens) never reach a log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zeren.accounts.models import ApiToken
from zeren.core.audit import acting_as
from zeren.core.models import SecurityEvent
from zeren.core.security import log_event
from zeren.org.services import user_sessions_end

RECOVERY_CODES = 10
TOKEN_MAX_DAYS = 365


def totp_enrol_start(*, user: Any) -> TOTPDevice:
    """Return the user's unconfirmed TOTP device (30-second steps, 6 digits, RFC 6238),
    creating one with a fresh 20-byte key if none is pending."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=False)
    return device


@transaction.atomic
def totp_enrol_confirm(*, user: Any, token: str, request: Any = None) -> list[str]:
    """Confirm the pending TOTP device with a code from the phone; returns ten one-time
    recovery codes (shown once). Any earlier devices and recovery codes are replaced.

    Raises ``ValidationError`` (Chinese) if nothing is pending or the code is wrong.
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError("没有待绑定的验证器，请重新打开绑定页面。")
    if not device.verify_token((token or "").strip()):
        raise ValidationError("验证码不正确或已过期，请输入手机验证器上当前显示的6位数字。")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_renew(user=user)
    log_event(
        SecurityEvent.Kind.SECOND_FACTOR,
        request=request,
        actor=user,
        detail={"what": "绑定手机验证器"},
    )
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: Any) -> list[str]:
    """Replace the user's recovery codes with ten fresh single-use codes; returns them."""
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name="恢复码", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


@transaction.atomic
def second_factor_reset(*, actor: Any, user: Any, request: Any = None) -> None:
    """Remove a user's TOTP device and recovery codes (lost phone) and end their sessions: they
    enrol again at their next login. Only a superuser (or the command line, actor ``None``) may
    do it, and never for themselves."""
    if actor is not None and (not actor.is_superuser or actor.pk == user.pk):
        raise PermissionDenied("只有超级管理员可以为其他用户重置双因素认证。")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    # Sessions that passed the old device end too (the middleware trusts the session's mark).
    user_sessions_end(user=user)
    log_event(
        SecurityEvent.Kind.SECOND_FACTOR,
        request=request,
        actor=actor,
        username="" if actor is not None else "命令行",
        obj=user,
        detail={"what": "重置双因素认证", "user": user.get_username()},
    )


def password_change(
    *, actor: Any, user: Any, old_password: str, new_password: str, request: Any = None
) -> None:
    """Change one's own password. Raises ``ValidationError`` (Chinese) if the old password is
    wrong or the new one fails the policy (settings.AUTH_PASSWORD_VALIDATORS)."""
    if actor.pk != user.pk:
        raise PermissionDenied("只能修改自己的密码。")
    if not user.check_password(old_password):
        raise ValidationError({"old_password": "原密码不正确。"})
    if old_password == new_password:
        raise ValidationError({"new_password1": "新密码不能与原密码相同。"})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    with transaction.atomic(), acting_as(actor):
        user.set_password(new_password)
        user.save(update_fields=["password"])
        log_event(
            SecurityEvent.Kind.ACCOUNT, request=request, actor=actor, detail={"what": "修改密码"}
        )


def api_token_issue(
    *,
    actor: Any,
    user: Any,
    name: str,
    days: int,
    read_only: bool = False,
    request: Any = None,
) -> tuple[ApiToken, str]:
    """Issue an API token for ``user`` valid ``days`` days (1–365); returns the row and the
    token text, which is shown once and stored only as a SHA-512 digest.

    A user issues their own tokens; the command line (actor ``None``) may issue for anyone.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写令牌用途，例如“统计报表脚本”。"})
    if not 1 <= int(days) <= TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"有效期应为1到{TOKEN_MAX_DAYS}天。"})
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied("只能为自己创建令牌。")
    if not user.is_active:
        raise ValidationError({"user": "该账号已停用，不能创建令牌。"})
    with transaction.atomic():
        token, text = ApiToken.objects.create(
            user=user, expiry=dt.timedelta(days=int(days)), name=name[:100], read_only=read_only
        )
        log_event(
            SecurityEvent.Kind.ACCOUNT,
            request=request,
            actor=actor,
            username="" if actor is not None else "命令行",
            obj=user,
            detail={
                "what": "创建API令牌",
                "user": user.get_username(),
                "token": token.token_key,
                "name": token.name,
                "days": int(days),
                "read_only": read_only,
            },
        )
    return token, text


def api_token_revoke(*, actor: Any, token: ApiToken, request: Any = None) -> None:
    """Revoke (delete) a token: its owner, or a superuser, may."""
    if actor is not None and actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied("只能吊销自己的令牌。")
    with transaction.atomic():
        log_event(
            SecurityEvent.Kind.ACCOUNT,
            request=request,
            actor=actor,
            username="" if actor is not None else "命令行",
            detail={
                "what": "吊销API令牌",
                "user": token.user.get_username(),
                "token": token.token_key,
                "name": token.name,
            },
        )
        token.delete()
