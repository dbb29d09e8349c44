"""Daily: licences whose validity ended become 'expired' (set-based)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zeren.permits.services import permits_expire_lapsed


@db_periodic_task(crontab(hour="0", minute="20"))
def expire_lapsed_permits() -> int:
    # A conditional UPDATE (status still 'granted'): a second worker finds nothing left to do.
    return permits_expire_lapsed(actor="定时任务", on=timezone.localdate())
