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


def is_locked_out(username: str) -> bool:
    """Too many failed logins for this username in the window: refuse further attempts."""
    since = timezone.now() - LOCKOUT_WINDOW
    recent = SecurityEvent.objects.filter(username=username, time__gte=since).order_by("-time")
    last_login = recent.filter(kind=SecurityEvent.Kind.LOGIN).values_list("time", flat=True).first()
    failures = recent.filter(kind=SecurityEvent.Kind.LOGIN_FAILED)
    if last_login is not None:
        failures = failures.filter(time__gt=last_login)
    return failures.count() >= LOCKOUT_FAILURES
