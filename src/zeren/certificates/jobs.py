"""Daily: migration certificates past their validity become 'expired' (set-based)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zeren.certificates.services import certificates_expire


@db_periodic_task(crontab(hour="0", minute="25"))
def expire_certificates() -> int:
    # A conditional UPDATE (status still 'valid'): a second worker finds nothing left to do.
    return certificates_expire(actor="定时任务", on=timezone.localdate())
