"""The boundary as a joint space: who sees what, tasks and replies, overdue on the board."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import login
from tests.joint.conftest import department
from zeren.cli import main
from zeren.joint import selectors, services
from zeren.joint.models import Matter, Reply, Task

TODAY = timezone.localdate()


@pytest.fixture
def clinic(police, boundary):
    """Opened by the police with health (the bureau is not chosen: it still sees it)."""
    return services.matter_open(
        actor=police,
        boundary=boundary,
        title="诊所疑似非医学需要胎儿性别鉴定",
        description="群众举报",
        departments=[department("longyao-wsj")],
        opened_on=TODAY - dt.timedelta(days=10),
        due_on=TODAY + dt.timedelta(days=5),
    )


@pytest.fixture
def pharmacy(fda, boundary):
    """Opened by food and drug with health; health's part is already overdue."""
    return services.matter_open(
        actor=fda,
        boundary=boundary,
        title="药店无处方销售终止妊娠药品",
        description="随访发现",
        departments=[department("longyao-wsj"), department("longyao-jsj")],
        opened_on=TODAY - dt.timedelta(days=30),
        due_on=TODAY - dt.timedelta(days=1),
    )


def test_opening_assigns_each_department_its_division_of_duties(clinic):
    tasks = {t.department.code: t for t in clinic.tasks.all()}
    assert set(tasks) == {"longyao-gaj", "longyao-wsj"}
    assert "依法对发生“两非”行为的医疗保健机构" in tasks["longyao-wsj"].duties
    assert "专项行动" in tasks["longyao-gaj"].duties
    assert {t.due_on for t in tasks.values()} == {TODAY + dt.timedelta(days=5)}


def test_a_police_account_sees_its_joint_clue_and_not_another_matters(
    clinic, pharmacy, police, health, head
):
    assert list(selectors.matters_for(police)) == [clinic]
    assert set(selectors.matters_for(health)) == {clinic, pharmacy}
    assert set(selectors.matters_for(head)) == {clinic, pharmacy}  # the office sees all
    client = login(police)
    assert client.get(f"/staff/joint/{clinic.pk}/").status_code == 200
    assert client.get(f"/staff/joint/{pharmacy.pk}/").status_code == 404
    assert [m["id"] for m in client.get("/api/joint/matters/").json()["results"]] == [clinic.pk]
    assert client.get(f"/api/joint/matters/{pharmacy.pk}/").status_code == 404
    assert pharmacy.title not in client.get("/staff/joint/").content.decode()


def test_a_health_task_overdue_shows_red_on_the_bureaus_board(pharmacy, head):
    health_task = pharmacy.tasks.get(department__code="longyao-wsj")
    bureau_task = pharmacy.tasks.get(department__code="longyao-jsj")
    services.task_reply(
        actor=head, task=bureau_task, kind="result", text="已移交", on=TODAY - dt.timedelta(days=5)
    )
    html = login(head).get("/staff/joint/").content.decode()
    row = html.split(f'data-task="{health_task.pk}"')[0].rsplit("<tr", 1)[1]
    assert 'class="table-danger"' in row
    # The bureau answered with its result before the due date: not red.
    other_row = html.split(f'data-task="{bureau_task.pk}"')[0].rsplit("<tr", 1)[1]
    assert "table-danger" not in other_row


def test_a_reply_is_recorded_with_who_and_when(clinic, health):
    task = clinic.tasks.get(department__code="longyao-wsj")
    before = timezone.now()
    response = login(health).post(
        f"/api/joint/tasks/{task.pk}/reply/",
        {"kind": "result", "text": "已吊销该诊所B超项目，移送公安"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["by"] == "health"
    reply = Reply.objects.get(task=task)
    assert reply.by == health and reply.at >= before
    task.refresh_from_db()
    assert (task.status, task.done_on) == (Task.Status.DONE, TODAY)
    page = login(health).get(f"/staff/joint/{clinic.pk}/").content.decode()
    assert "已吊销该诊所B超项目" in page and "（结果反馈）" in page
    # Who and when, as the page shows them next to the reply.
    shown = f"{timezone.localtime(reply.at):%Y-%m-%d %H:%M} {health.name or health.username}"
    assert shown in page


def test_only_the_tasks_department_replies(clinic, police, health):
    task = clinic.tasks.get(department__code="longyao-wsj")
    with pytest.raises(PermissionDenied, match="卫生局承办"):
        services.task_reply(actor=police, task=task, kind="result", text="代答")
    assert (
        login(police)
        .post(f"/api/joint/tasks/{task.pk}/reply/", {"kind": "result", "text": "代答"})
        .status_code
        == 403
    )
    with pytest.raises(ValidationError, match="请填写答复内容"):
        services.task_reply(actor=health, task=task, kind="acknowledge", text=" ")
    assert not Reply.objects.exists()


def test_opening_refuses_a_department_outside_the_boundary_or_alone(police, boundary, bureau):
    with pytest.raises(ValidationError, match="至少需要两个部门"):
        services.matter_open(
            actor=police, boundary=boundary, title="t", description="d", departments=[]
        )
    assert not Matter.objects.exists()


def test_the_feed_shows_who_shared_what_with_whom(clinic, police, health, fda):
    services.share_post(actor=health, matter=clinic, text="诊所执业许可无B超科目")
    services.share_post(
        actor=police, matter=clinic, text="只给卫生局", to_department=department("longyao-wsj")
    )
    assert [s.text for s in selectors.feed_for(health, clinic)] == [
        "只给卫生局",
        "诊所执业许可无B超科目",
    ]
    with pytest.raises(PermissionDenied, match="未参与该事项"):
        services.share_post(actor=fda, matter=clinic, text="x")


def test_meetings_and_links_are_the_offices(clinic, head, police):
    services.meeting_record(
        actor=head,
        matter=clinic,
        held_on=TODAY,
        minutes="研究联合查处方案",
        decisions="三日内联合检查",
    )
    assert clinic.meetings.get().decisions == "三日内联合检查"
    with pytest.raises(PermissionDenied):
        services.meeting_record(actor=police, matter=clinic, held_on=TODAY, minutes="x")


def test_indicators_per_department_and_the_cli(clinic, pharmacy, health, fda, capsys):
    services.task_reply(
        actor=fda,
        task=pharmacy.tasks.get(department__code="longyao-sjj"),
        kind="result",
        text="已查处",
        on=TODAY - dt.timedelta(days=3),
    )
    services.task_reply(
        actor=health,
        task=clinic.tasks.get(department__code="longyao-wsj"),
        kind="result",
        text="已处理",
    )
    rows = {i.department: i for i in selectors.indicators(None)}
    assert (rows["卫生局"].received, rows["卫生局"].in_time, rows["卫生局"].overdue) == (2, 1, 1)
    assert (rows["食药监局"].in_time, rows["食药监局"].overdue) == (1, 0)
    assert (rows["公安局"].received, rows["公安局"].open) == (1, 1)
    assert main(["joint", "status", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["matters"]) == 2
    health_row = next(d for d in data["departments"] if d["department"] == "卫生局")
    assert health_row == {
        "department": "卫生局",
        "received": 2,
        "in_time": 1,
        "overdue": 1,
        "open": 0,
    }
    overdue = [t for m in data["matters"] for t in m["tasks"] if t["overdue"]]
    # In the pharmacy matter: health has not answered, the bureau has not either.
    assert sorted(t["department"] for t in overdue) == ["人口和计划生育局", "卫生局"]
