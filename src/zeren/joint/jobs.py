"""Daily reminders of joint-investigation tasks due soon or overdue (07:50 Beijing time)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="50"))
def notify_tasks() -> int:
    from zeren.core.facts import local_today
    from zeren.joint.reminders import tasks_notify

    return tasks_notify(today=local_today())
