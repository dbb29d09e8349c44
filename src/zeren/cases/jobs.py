"""Daily deadline reminders for the officers responsible (07:30 Beijing time)."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="30"))
def notify_deadlines() -> int:
    from zeren.cases.services import deadlines_notify

    return deadlines_notify(today=dt.date.today())
