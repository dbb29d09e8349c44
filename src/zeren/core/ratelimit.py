"""One rate limiter for every public form: per client address, per clock hour, per purpose.

    from zeren.core import ratelimit
    if not ratelimit.take("report", client=client_ip(request)):
        ...  # 429 with ratelimit.refusal("report")

Counts live in the database (``core.RateWindow``), not a cache: the embedded default runs
several gunicorn workers with no shared cache server, and django-ratelimit needs a shared
cache with atomic increments (see docs/architecture.md). A daily job prunes old windows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zeren.core import crypto

# scope -> (setting with the allowance per hour, its default, what the public was doing)
SCOPES: dict[str, tuple[str, int, str]] = {
    "report": ("ZEREN_REPORTS_PER_HOUR", 5, "提交举报投诉"),
    "lookup": ("ZEREN_REPORT_LOOKUPS_PER_HOUR", 30, "查询办理进度"),
    "verify": ("ZEREN_CERT_VERIFY_PER_HOUR", 30, "核验证件"),
    "apply": ("ZEREN_SERVICE_APPLICATIONS_PER_HOUR", 5, "提交公共服务申请"),
}


def limit(scope: str) -> int:
    """Requests allowed per client per clock hour for ``scope``.

    Raises ``ImproperlyConfigured`` when the setting is not a whole number of at least 1 and
    ``KeyError`` for an unknown scope.
    """
    name, default, _ = SCOPES[scope]
    value = getattr(settings, name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least 1, not {value!r}")
    return value


def refusal(scope: str) -> str:
    """The Chinese message shown with a 429 for ``scope``."""
    return f"操作过于频繁：同一网络每小时最多可{SCOPES[scope][2]}{limit(scope)}次，请一小时后再试。"


def take(scope: str, *, client: str | None, now: dt.datetime | None = None) -> bool:
    """Take one of ``client``'s requests for this clock hour; False when none is left.

    ``client`` is the address (``core.security.client_ip``); only its keyed hash is stored.
    A conditional UPDATE (``count < limit``) takes the slot, so concurrent requests on
    several workers never exceed the limit; the hour's row is created on first use.
    """
    allowed = limit(scope)
    now = now or timezone.now()
    window = now.replace(minute=0, second=0, microsecond=0)
    from zeren.core.models import RateWindow

    key = crypto.blind_index(f"client:{client or 'unknown'}")
    slot = RateWindow.objects.filter(
        scope=scope, client_hash=key, window_start=window, count__lt=allowed
    )
    if slot.update(count=F("count") + 1):
        return True
    try:
        with transaction.atomic():
            RateWindow.objects.create(scope=scope, client_hash=key, window_start=window, count=1)
        return True
    except IntegrityError:
        # The row exists: either the allowance is used up or another worker just created it.
        return bool(slot.update(count=F("count") + 1))


def prune(*, before: dt.datetime) -> int:
    """Delete the windows that ended before ``before``; returns how many rows went."""
    from zeren.core.models import RateWindow

    deleted, _ = RateWindow.objects.filter(window_start__lt=before - dt.timedelta(hours=1)).delete()
    return deleted
