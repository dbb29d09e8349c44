"""Daily reminders of plan milestones due or overdue (07:40 Beijing time)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="40"))
def notify_milestones() -> int:
    from zeren.core.facts import local_today
    from zeren.ledger.services import milestones_notify

    return milestones_notify(today=local_today())
