"""Daily reminders of joint-investigation tasks due soon or overdue (the board's red rows)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse

from zeren.joint.models import Matter, Task

DUE_WITHIN = 3  # days before the due date a department is first told


def tasks_notify(*, today: dt.date, within: int = DUE_WITHIN) -> int:
    """Tell each department's users (those who may answer a task, ``joint.add_reply``) of its
    open tasks due by ``today`` + ``within`` days, overdue ones included.

    Set-based like the other reminders (``core.notifications.notify_many``, kind
    ``reminder``); the dedupe key (task, due day, due or overdue, user) makes a rerun add
    nothing, and an overdue task is told once more when it passes its day. Returns how many
    notifications were added; a bulk change-log row counts them.
    """
    from zeren.core.models import Notification
    from zeren.core.notifications import send_from_job

    tasks = list(
        Task.objects.filter(
            done_on__isnull=True,
            matter__status=Matter.Status.OPEN,
            due_on__lte=today + dt.timedelta(days=within),
        )
        .exclude(status=Task.Status.DONE)
        .select_related("matter")
        .order_by("due_on", "id")
    )
    users: dict[int, list] = {}
    for user in get_user_model().objects.filter(
        is_active=True, department_id__in={t.department_id for t in tasks}
    ):
        if user.has_perm("joint.add_reply"):
            users.setdefault(user.department_id, []).append(user)
    rows = []
    for task in tasks:
        overdue = task.due_on < today
        state = "已逾期" if overdue else "即将到期"
        for user in users.get(task.department_id, []):
            rows.append(
                Notification(
                    kind=Notification.Kind.REMINDER,
                    recipient_id=user.pk,
                    title=f"联合查处“{task.matter}”本部门任务{state}"
                    f"（期限 {task.due_on:%Y-%m-%d}）"[:300],
                    link=reverse("joint-matter", args=[task.matter_id]),
                    due_on=task.due_on,
                    dedupe_key=f"joint-task:{task.pk}:{task.due_on:%Y%m%d}:"
                    f"{'overdue' if overdue else 'due'}:{user.pk}",
                )
            )
    return send_from_job(
        rows,
        job="joint.tasks_notify",
        actor="联合查处任务提醒",
        summary=f"联合查处任务提醒 {today:%Y-%m-%d}",
    )
