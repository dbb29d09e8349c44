"""Background jobs (Beijing time): monthly draws, daily reminders and alerts, the bulletin."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zeren.supervision import periodic


@db_periodic_task(crontab(day="1", hour="1", minute="10"))
def draw_monthly_plans() -> dict:
    return periodic.draw_due_plans(timezone.localdate())


@db_periodic_task(crontab(day="1", hour="2", minute="0"))
def monthly_rebirth_bulletin() -> int:
    return periodic.publish_rebirth_bulletins(timezone.localdate())


@db_periodic_task(crontab(hour="7", minute="30"))
def daily_reminders_and_alerts() -> tuple[int, int]:
    today = timezone.localdate()
    return periodic.send_reminders(today), periodic.raise_alerts(today)
