"""Writing the security log and the login lockout that reads it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from zeren.core.audit import current_client_ip, current_request_id
from zeren.core.models import SecurityEvent

LOCKOUT_FAILURES = settings.ZEREN_LOCKOUT_FAILURES
LOCKOUT_WINDOW = dt.timedelta(minutes=15)


def client_ip(request: Any) -> str | None:
    """The client's address; behind ``ZEREN_PROXY_COUNT`` trusted proxies, the address the
    outermost of them saw (earlier X-Forwarded-For entries are the client's to forge)."""
    if request is None:
        return None
    proxies = getattr(settings, "ZEREN_PROXY_COUNT", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies] or None
    return request.META.get("REMOTE_ADDR") or None


def log_event(
    kind: str,
    *,
    request: Any = None,
    actor: Any = None,
    username: str = "",
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    derive_actor: bool = True,
) -> SecurityEvent:
    """Append one security event; the actor defaults to the request's user.

    ``derive_actor=False`` while authentication is still running (reading ``request.user``
    then would start authentication again).
    """
    if actor is None and request is not None and derive_actor:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    return SecurityEvent.objects.create(
        kind=kind,
        actor=actor,
        username=username or (actor.get_username() if actor else ""),
        ip=client_ip(request) or current_client_ip(),
        # the path only: query strings may carry search terms (personal data stays out)
        path=(request.path[:300] if request is not None else ""),
        request_id=current_request_id(),
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail or {},
    )


# Failed logins from one address (whatever the usernames) before that address is locked out.
ADDRESS_LOCKOUT_FACTOR = 4


def is_locked_out(username: str, ip: str | None = None) -> bool:
    """Too many failed logins in the 15-minute window: refuse further attempts.

    The lock is per account *and client address* (``ZEREN_LOCKOUT_FAILURES`` failures for this
    username from this address since its last success there), so an attacker elsewhere cannot
    lock a user out, plus per address (four times as many failures over any usernames), so one
    address cannot try password after password across accounts. GB/T 22239-2019 8.1.4.1 b).
    Without an address (command line) the lock falls back to the username alone.
    """
    since = timezone.now() - LOCKOUT_WINDOW
    recent = SecurityEvent.objects.filter(time__gte=since)
    if ip:
        address_failures = recent.filter(kind=SecurityEvent.Kind.LOGIN_FAILED, ip=ip)
        if address_failures.count() >= LOCKOUT_FAILURES * ADDRESS_LOCKOUT_FACTOR:
            return True
        recent = recent.filter(ip=ip)
    recent = recent.filter(username=username)
    last_login = (
        recent.filter(kind=SecurityEvent.Kind.LOGIN)
        .order_by("-time")
        .values_list("time", flat=True)
        .first()
    )
    failures = recent.filter(kind=SecurityEvent.Kind.LOGIN_FAILED)
    if last_login is not None:
        failures = failures.filter(time__gt=last_login)
    return failures.count() >= LOCKOUT_FAILURES


class CharacterClassValidator:
    """A password uses at least ``min_classes`` of: lower-case, upper-case, digits, others.

    等保 2.0 level 3 (GB/T 22239-2019, 8.1.4.1 a) asks for passwords of sufficient complexity;
    the bureau's policy is ten characters (Django's MinimumLengthValidator) from three classes.
    """

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        # ASCII classes; any other character (symbols, Chinese) counts as the fourth class.
        return sum(
            (
                any("a" <= c <= "z" for c in password),
                any("A" <= c <= "Z" for c in password),
                any("0" <= c <= "9" for c in password),
                any(not (c.isascii() and c.isalnum()) for c in password),
            )
        )

    def validate(self, password: str, user: Any = None) -> None:
        from django.core.exceptions import ValidationError

        if self.classes(password) < self.min_classes:
            raise ValidationError(
                f"密码至少要包含小写字母、大写字母、数字、符号中的{self.min_classes}类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码至少要包含小写字母、大写字母、数字、符号中的{self.min_classes}类。"
