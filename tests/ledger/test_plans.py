"""Yearly work plans with milestones and responsible staff; reminders of milestones due on
the section's page, the home card and ``selectors.milestones_due``; period views that drill
down to each record and to the list's text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import login
from tests.ledger.conftest import item
from zeren.ledger import selectors, services
from zeren.ledger.models import Plan, Record

D = dt.date.fromisoformat
TODAY = D("2026-06-15")


@pytest.fixture
def fixed_today(monkeypatch):
    """Pages read ``timezone.localdate()``; pin it so the dates below stay due or overdue."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def plan(expectations, section_staff, head):
    plan = services.plan_create(
        actor=section_staff,
        work_item=item(1, 1),
        year=2026,
        title="2026年政策文件起草计划",
        responsible=section_staff,
    )
    soon = services.milestone_add(
        actor=section_staff, plan=plan, title="形成初稿", due_on=D("2026-06-20")
    )
    later = services.milestone_add(
        actor=section_staff, plan=plan, title="印发", due_on=D("2026-09-30")
    )
    late = services.milestone_add(
        actor=section_staff, plan=plan, title="征求意见", due_on=D("2026-06-10"), responsible=head
    )
    return plan, soon, later, late


def test_milestones_due_are_the_owners_within_the_window_overdue_flagged(plan, section_staff, head):
    _plan, soon, later, late = plan
    # The plan's responsible staff answers for the milestones that name nobody.
    mine = list(selectors.milestones_due(section_staff, TODAY))
    assert mine == [soon] and not mine[0].is_overdue
    theirs = list(selectors.milestones_due(head, TODAY))
    assert theirs == [late] and theirs[0].is_overdue
    # Fourteen days ahead: the September milestone comes up on 16 September, not before.
    assert later not in selectors.milestones_due(section_staff, D("2026-09-15"))
    assert later in selectors.milestones_due(section_staff, D("2026-09-16"))


def test_a_township_account_has_no_milestones_due(plan, staff_a):
    assert not selectors.milestones_due(staff_a, TODAY).exists()


def test_completing_a_milestone_records_the_work_and_the_last_closes_the_plan(
    plan, section_staff, head
):
    the_plan, soon, later, late = plan
    _, before = selectors.ledger_status("2026-Q2")
    assert next(r for r in before if (r.duty, r.order) == (1, 1)).records == 0
    done = services.milestone_complete(
        actor=section_staff, milestone=soon, done_on=D("2026-06-14"), today=TODAY
    )
    assert done.record.kind == "plan" and done.record.work_item == item(1, 1)
    assert done.record.summary == "2026年政策文件起草计划：形成初稿已完成"
    _, after = selectors.ledger_status("2026-Q2")
    assert next(r for r in after if (r.duty, r.order) == (1, 1)).records == 1
    assert soon not in selectors.milestones_due(section_staff, TODAY)
    with pytest.raises(ValidationError, match="该节点已完成"):
        services.milestone_complete(
            actor=section_staff, milestone=soon, done_on=D("2026-06-14"), today=TODAY
        )
    for m in (later, late):
        the_plan.refresh_from_db()
        assert the_plan.status == Plan.Status.OPEN
        services.milestone_complete(
            actor=section_staff, milestone=m, done_on=D("2026-06-15"), today=TODAY
        )
    the_plan.refresh_from_db()
    assert the_plan.status == Plan.Status.CLOSED
    assert Record.objects.filter(kind="plan", source="manual").count() == 3


def test_plans_refuse_bad_input_in_chinese_and_townships(expectations, section_staff, staff_a):
    with pytest.raises(ValidationError) as caught:
        services.plan_create(
            actor=section_staff, work_item=item(1, 1), year=2026, title=" ", responsible=None
        )
    assert caught.value.message_dict == {
        "title": ["请填写计划名称"],
        "responsible": ["请指定责任人"],
    }
    with pytest.raises(ValidationError, match="责任人应为本局在职工作人员"):
        services.plan_create(
            actor=section_staff,
            work_item=item(1, 1),
            year=2026,
            title="计划",
            responsible=staff_a.__class__.objects.create(username="outsider"),
        )
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=staff_a, work_item=item(1, 1), year=2026, title="计划", responsible=staff_a
        )
    plan = services.plan_create(
        actor=section_staff,
        work_item=item(1, 1),
        year=2026,
        title="计划",
        responsible=section_staff,
    )
    with pytest.raises(ValidationError, match="完成期限应在2026年内"):
        services.milestone_add(actor=section_staff, plan=plan, title="x", due_on=D("2027-01-05"))
    milestone = services.milestone_add(
        actor=section_staff, plan=plan, title="x", due_on=D("2026-07-01")
    )
    with pytest.raises(ValidationError, match="晚于今天"):
        services.milestone_complete(
            actor=section_staff, milestone=milestone, done_on=D("2026-06-16"), today=TODAY
        )
    assert not Record.objects.exists()


def test_the_due_page_and_the_home_card_show_the_reminders(plan, section_staff, fixed_today):
    del plan  # the milestones above: due soon, later, overdue
    client = login(section_staff)
    page = client.get(f"/staff/ledger/due/?section={item(1, 1).section_id}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "形成初稿" in html and "征求意见" in html and "印发" not in html
    assert 'class="table-danger"><td>2026-06-10' in html  # overdue in red
    home = client.get("/staff/").content.decode()
    assert "计划节点（14天内到期）" in home and "形成初稿" in home
    assert login(section_staff).get("/staff/ledger/due/?section=x1").status_code == 404


def test_the_plan_pages_create_a_plan_add_and_complete_a_milestone(
    expectations, section_staff, staff_a, fixed_today
):
    client = login(section_staff)
    target = item(3, 4)
    bad = client.post(
        "/staff/ledger/plans/",
        {"work_item": target.pk, "year": 2026, "title": "", "responsible": section_staff.pk},
    )
    assert bad.status_code == 200 and "该字段是必填项" in bad.content.decode()
    made = client.post(
        "/staff/ledger/plans/",
        {
            "work_item": target.pk,
            "year": 2026,
            "title": "出生人口性别比治理年度计划",
            "responsible": section_staff.pk,
        },
    )
    plan = Plan.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/staff/ledger/plans/{plan.pk}/"
    url = f"/staff/ledger/plans/{plan.pk}/"
    assert (
        client.post(url, {"action": "add", "title": "召开协调会", "due_on": "2026-06-20"})[
            "Location"
        ]
        == url
    )
    milestone = plan.milestones.get()
    assert milestone.responsible is None  # the plan's responsible staff
    done = client.post(
        url, {"action": "done", "milestone": milestone.pk, "done_on": "2026-06-12", "summary": ""}
    )
    assert done.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == D("2026-06-12") and milestone.record is not None
    assert (
        "出生人口性别比治理年度计划"
        in client.get("/staff/ledger/plans/?year=2026").content.decode()
    )
    assert login(staff_a).get("/staff/ledger/plans/").status_code == 403


def test_the_plans_api_and_the_due_endpoint(expectations, section_staff, staff_a, fixed_today):
    client = login(section_staff)
    made = client.post(
        "/api/ledger/plans/",
        {
            "work_item": item(2, 1).pk,
            "year": 2026,
            "title": "培训计划",
            "responsible": section_staff.pk,
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    plan_id = made.json()["id"]
    step = client.post(
        f"/api/ledger/plans/{plan_id}/milestones/",
        {"title": "举办培训班", "due_on": "2026-06-25"},
        content_type="application/json",
    )
    assert step.status_code == 201
    due = client.get("/api/ledger/milestones/due/").json()
    assert [m["title"] for m in due] == ["举办培训班"]
    wrong = client.post(
        f"/api/ledger/plans/{plan_id}/milestones/",
        {"title": "x", "due_on": "2027-01-01"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "完成期限应在2026年内" in wrong.content.decode()
    finished = client.post(
        f"/api/ledger/milestones/{step.json()['id']}/done/",
        {"done_on": "2026-06-14"},
        content_type="application/json",
    )
    assert finished.status_code == 200 and finished.json()["record"]
    assert login(staff_a).get("/api/ledger/plans/").status_code == 403


def test_period_views_month_quarter_year_drill_down_to_records_and_the_lists_text(
    expectations, section_staff
):
    record = services.record_create(
        actor=section_staff,
        work_item=item(3, 4),
        date=D("2026-05-08"),
        kind="meeting",
        summary="召开两非协调会",
    )
    client = login(section_staff)
    year = client.get("/staff/ledger/period/?period=2026").content.decode()
    for quarter in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"):
        assert f"/staff/ledger/period/?period={quarter}" in year
    quarter = client.get("/staff/ledger/period/?period=2026-Q2").content.decode()
    assert "/staff/ledger/period/?period=2026-05" in quarter
    assert f"/staff/ledger/items/{item(3, 4).pk}/?period=2026-05" in quarter
    month = client.get("/staff/ledger/period/?period=2026-05").content.decode()
    assert month.count('href="/staff/ledger/items/') == 25
    assert "/staff/ledger/period/?period=2026-Q2" in month  # back up to the quarter
    drill = client.get(f"/staff/ledger/items/{item(3, 4).pk}/?period=2026-05").content.decode()
    assert f"/staff/ledger/records/{record.pk}/" in drill
    detail = client.get(f"/staff/ledger/records/{record.pk}/").content.decode()
    assert "召开两非协调会" in detail and item(3, 4).text[:20] in detail
    assert item(3, 4).duty.text[:20] in detail
    silent = client.get("/staff/ledger/period/?period=2026-06").content.decode()
    assert "本期间未履职的事项" in silent
    assert client.get("/staff/ledger/period/?period=2026-13", follow=True).redirect_chain


def test_milestones_due_reach_their_owners_inbox_once(plan, section_staff, head):
    from zeren.core.audit import ChangeLog
    from zeren.core.notifications import inbox

    _plan, soon, _later, late = plan
    # 15 June: 形成初稿 (due 20 June) is near for its owner, 征求意见 (due 10 June) is overdue
    # for the head; 印发 (30 September) is not yet told.
    assert services.milestones_notify(today=TODAY) == 2
    mine = list(inbox(section_staff).filter(kind="reminder"))
    assert [n.title for n in mine] == [
        "2026年政策文件起草计划：节点“形成初稿”即将到期（期限 2026-06-20）"
    ]
    assert mine[0].link == f"/staff/ledger/plans/{soon.plan_id}/" and mine[0].due_on == soon.due_on
    theirs = list(inbox(head).filter(kind="reminder"))
    assert [n.title for n in theirs] == [
        "2026年政策文件起草计划：节点“征求意见”已逾期（期限 2026-06-10）"
    ]
    bulk = ChangeLog.objects.filter(
        action=ChangeLog.Action.BULK, object_repr__startswith="计划节点提醒"
    )
    assert [row.after for row in bulk] == [{"created": 2}]
    # A rerun the same day, or a second worker, adds nothing and logs nothing.
    assert services.milestones_notify(today=TODAY) == 0
    assert bulk.count() == 1
    # When 形成初稿 passes its day it is told once more, as overdue; a done milestone never.
    services.milestone_complete(actor=section_staff, milestone=late, done_on=TODAY)
    assert services.milestones_notify(today=D("2026-06-21")) == 1
    assert inbox(section_staff).filter(title__contains="“形成初稿”已逾期").count() == 1
