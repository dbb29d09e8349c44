"""The office closes a joint matter from its page once every department has fed back its result;
before that the page says who has not; a partner department cannot close it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import login
from tests.joint.conftest import department
from zeren.joint import services
from zeren.joint.models import Matter

TODAY = timezone.localdate()


@pytest.fixture
def matter(police, boundary):
    return services.matter_open(
        actor=police,
        boundary=boundary,
        title="诊所疑似非医学需要胎儿性别鉴定",
        description="群众举报",
        departments=[department("longyao-wsj")],
        opened_on=TODAY - dt.timedelta(days=3),
        due_on=TODAY + dt.timedelta(days=10),
    )


def test_the_office_closes_a_matter_once_every_result_is_in(matter, head, police, health):
    office = login(head)
    page = office.get(f"/staff/joint/{matter.pk}/").content.decode()
    assert "办结事项" in page and "data-confirm" in page
    waiting = office.post(f"/staff/joint/{matter.pk}/close/", follow=True).content.decode()
    assert "尚未反馈结果，不能办结" in waiting
    matter.refresh_from_db()
    assert matter.status == Matter.Status.OPEN
    # A partner department may not close it, even with every result in.
    for task in matter.tasks.select_related("department"):
        who = police if task.department == police.department else health
        if task.department_id == who.department_id:
            services.task_reply(actor=who, task=task, kind="result", text="已查处")
    assert not matter.tasks.exclude(status="done").exists()
    assert login(police).post(f"/staff/joint/{matter.pk}/close/").status_code == 403
    done = office.post(f"/staff/joint/{matter.pk}/close/", follow=True).content.decode()
    assert "联合查处事项已办结" in done and "办结事项</button>" not in done
    matter.refresh_from_db()
    assert matter.status == Matter.Status.CLOSED
