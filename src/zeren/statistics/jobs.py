"""Background job (Beijing time): record new statistics warnings every morning."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zeren.statistics.services import alerts_record


@db_periodic_task(crontab(hour="6", minute="20"))
def daily_statistics_alerts() -> int:
    """Safe with several workers: the unique constraint on Alert makes a rerun add nothing."""
    return alerts_record(today=timezone.localdate())
