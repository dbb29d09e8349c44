"""Departments are reminded of their joint tasks due soon or overdue, once per state."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.joint.conftest import department
from zeren.core.models import Notification
from zeren.joint import services
from zeren.joint.models import Task
from zeren.joint.reminders import DUE_WITHIN, tasks_notify

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 10)


def _open(police, boundary, due_on):
    return services.matter_open(
        actor=police,
        boundary=boundary,
        title="诊所疑似非医学需要胎儿性别鉴定",
        description="群众举报",
        departments=[department("longyao-wsj")],
        opened_on=TODAY - dt.timedelta(days=20),
        due_on=due_on,
    )


def test_overdue_and_due_tasks_reach_their_departments_once(police, health, fda, boundary):
    matter = _open(police, boundary, TODAY - dt.timedelta(days=1))
    assert tasks_notify(today=TODAY) == 2  # the police's and the health bureau's task
    assert tasks_notify(today=TODAY) == 0  # a rerun adds nothing
    told = Notification.objects.filter(dedupe_key__startswith="joint-task:")
    assert {n.recipient_id for n in told} == {police.pk, health.pk}  # not the uninvolved fda
    assert all("已逾期" in n.title and n.link == f"/staff/joint/{matter.pk}/" for n in told)


def test_tasks_far_off_or_answered_are_not_reminded(police, health, boundary):
    _open(police, boundary, TODAY + dt.timedelta(days=DUE_WITHIN + 1))
    assert tasks_notify(today=TODAY) == 0
    near = TODAY + dt.timedelta(days=DUE_WITHIN)
    assert tasks_notify(today=near) == 2
    titles = list(Notification.objects.values_list("title", flat=True))
    assert titles and all("即将到期" in t for t in titles)
    Task.objects.update(done_on=near, status=Task.Status.DONE)
    assert tasks_notify(today=near + dt.timedelta(days=5)) == 0
