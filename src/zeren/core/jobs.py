"""Periodic jobs of the shared kernel."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="3", minute="40"))
def prune_rate_windows() -> int:
    """Rate-limit counters of hours gone by serve nothing: delete them (idempotent)."""
    from zeren.core import ratelimit

    return ratelimit.prune(before=timezone.now())
