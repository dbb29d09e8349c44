"""Every staff page and API endpoint of permits and supervision: scoped, and no N+1 queries.

Scope: township staff of another township get 404 on details and see nothing in lists;
a partner department sees only the rows shared with it. Queries: each list costs the same
number of queries for 3 rows as for 30.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import login
from tests.supervision.conftest import make_permits, regime
from zeren.core.models import Notification
from zeren.core.services import share_grant
from zeren.org.models import Officer
from zeren.permits.models import Permit, PermitKind
from zeren.permits.services import permit_amend
from zeren.supervision.models import InspectionTask, Report, SamplingPlan
from zeren.supervision.services import (
    conflict_declare,
    report_submit,
    sampling_plan_commit,
    sampling_plan_draw,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    permit: Permit
    plan: SamplingPlan
    task: InspectionTask
    report: Report
    notice: Notification


def populate(n: int, township, actor, officer=None) -> World:
    """n of everything in one township: licences, a drawn plan with n tasks, n more plans,
    n reports (each opening an ad-hoc task and a notice), n history events, n conflicts."""
    permits = make_permits(township, n, kind=PermitKind.REBIRTH)
    plan = sampling_plan_commit(
        actor=actor, regime=regime("rebirth-followup"), period="2026-03", division=township
    )
    plan = sampling_plan_draw(actor=actor, plan=plan)
    for i in range(n):
        sampling_plan_commit(
            actor=actor,
            regime=regime("termination-followup"),
            period=f"{2020 + i // 12}-{i % 12 + 1:02d}",
            division=township,
        )
    reports = [
        report_submit(
            actor=None,
            kind="report",
            township=township,
            content="某某以欺骗手段取得再生育证",
            permit_number=p.number,
            reporter_name="举报人",
        )
        for p in permits
    ]
    for i in range(n):
        permit_amend(
            actor=actor, permit=permits[0], changes={"conditions": f"条件{i}"}, reason="补正"
        )
    if officer is not None:
        for p in permits:
            conflict_declare(actor=actor, officer=officer, kind="relative", person=p.holder)
    notice = Notification.objects.filter(division=township).first()
    task = plan.tasks.first()
    return World(permits[0], plan, task, reports[0], notice)


# Query ceilings measured with 3 rows (a couple spare for session and middleware); with an
# N+1 a list of 30 rows would need dozens more.
PAGES = {
    "permit list": ("/staff/permits/", 11),
    # The licence's detail, page (+5) and API (+3), writes its view row to the security log
    # (issue 10, finding 9: chain head lock, insert, head update), the same for 3 or 30 rows
    "permit detail": ("/staff/permits/{w.permit.pk}/", 16),
    "dashboard": ("/staff/supervision/?period=2026-03", 26),
    "plan list": ("/staff/supervision/plans/", 10),
    "plan detail": ("/staff/supervision/plans/{w.plan.pk}/", 14),
    "plan verify": ("/staff/supervision/plans/{w.plan.pk}/?verify=1", 16),
    "task list": ("/staff/supervision/tasks/", 10),
    "task detail": ("/staff/supervision/tasks/{w.task.pk}/", 17),  # + the joint matters linked
    "report list": ("/staff/supervision/reports/", 10),
    "report detail": ("/staff/supervision/reports/{w.report.pk}/", 15),
    "inbox": ("/staff/core/inbox/", 10),
    "regime list": ("/staff/supervision/regimes/", 8),
    "conflict list": ("/staff/supervision/conflicts/", 10),
    "api permits": ("/api/permits/", 10),
    "api permit": ("/api/permits/{w.permit.pk}/", 14),
    "api plans": ("/api/supervision/plans/", 10),
    "api plan": ("/api/supervision/plans/{w.plan.pk}/", 10),
    "api tasks": ("/api/supervision/tasks/", 10),
    "api task": ("/api/supervision/tasks/{w.task.pk}/", 10),
    "api status": ("/api/supervision/status/?period=2026-03", 20),
}


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_costs_the_same_queries_for_3_and_30_rows(
    page, n, head, township_a, officer1, django_assert_max_num_queries
):
    w = populate(n, township_a, head, Officer.objects.get(user=officer1))
    url, ceiling = PAGES[page]
    client = login(head)
    client.get("/staff/")  # the session is warm, as in real use
    with django_assert_max_num_queries(ceiling):
        response = client.get(url.format(w=w))
    assert response.status_code == 200
    # The lists really hold the rows (the ceiling would be meaningless on an empty page).
    if page == "task list":
        assert response.content.decode().count("/staff/supervision/tasks/") >= 2 * n
    if page == "api permits":
        assert response.json()["results"].__len__() == n
    if page == "permit detail":
        assert response.content.decode().count("补正") == n


# --- scope --------------------------------------------------------------------------------


DETAILS = [
    "/staff/permits/{w.permit.pk}/",
    "/staff/supervision/plans/{w.plan.pk}/",
    "/staff/supervision/plans/{w.plan.pk}/?verify=1",
    "/staff/supervision/tasks/{w.task.pk}/",
    "/staff/supervision/reports/{w.report.pk}/",
    "/staff/core/inbox/{w.notice.pk}/document/",
    "/api/permits/{w.permit.pk}/",
    "/api/supervision/plans/{w.plan.pk}/",
    "/api/supervision/tasks/{w.task.pk}/",
]
ACTIONS = [
    ("/staff/permits/{w.permit.pk}/amend/", {"conditions": "x", "reason": "y"}),
    ("/staff/permits/{w.permit.pk}/use/", {"on": "2026-03-05"}),
    ("/staff/supervision/tasks/{w.task.pk}/record/", {"visit_date": "2026-03-05"}),
    ("/staff/supervision/reports/{w.report.pk}/take/", {}),
    ("/api/permits/{w.permit.pk}/amend/", {"conditions": "x", "reason": "y"}),
]
LISTS = [
    "/staff/permits/",
    "/staff/supervision/plans/",
    "/staff/supervision/tasks/",
    "/staff/supervision/reports/",
    "/staff/core/inbox/",
    "/staff/supervision/?period=2026-03",
    "/api/permits/",
    "/api/supervision/plans/",
    "/api/supervision/tasks/",
    "/api/supervision/status/?period=2026-03",
]


@pytest.fixture
def world_a(head, township_a) -> World:
    w = populate(3, township_a, head)
    w.notice.document = b"xlsx"
    w.notice.document_name = "通报.xlsx"
    with_actor(w.notice)
    return w


def with_actor(obj) -> None:
    from zeren.core.audit import acting_as

    with acting_as("测试"):
        obj.save()


@pytest.mark.parametrize("url", DETAILS)
def test_another_township_gets_404_on_every_detail(url, world_a, staff_a, staff_b):
    assert login(staff_b).get(url.format(w=world_a)).status_code == 404
    assert login(staff_a).get(url.format(w=world_a)).status_code == 200


@pytest.mark.parametrize("url, data", ACTIONS)
def test_another_township_gets_404_on_every_action(url, data, world_a, staff_b):
    before = (Permit.objects.get(pk=world_a.permit.pk).conditions, world_a.task.result)
    extra = {"content_type": "application/json"} if url.startswith("/api/") else {}
    response = login(staff_b).post(url.format(w=world_a), data, **extra)
    assert response.status_code == 404
    world_a.task.refresh_from_db()
    assert (Permit.objects.get(pk=world_a.permit.pk).conditions, world_a.task.result) == before
    assert Report.objects.get(pk=world_a.report.pk).handler_id is None


@pytest.mark.parametrize("url", LISTS)
def test_another_townships_lists_hold_none_of_its_rows(url, world_a, staff_b, staff_a):
    marks = [world_a.permit.number, world_a.report.reference, f"/plans/{world_a.plan.pk}/"]
    theirs = login(staff_b).get(url).content.decode()
    assert not any(m in theirs for m in marks)
    assert "130525100" not in theirs or url.startswith("/staff/supervision/?")
    mine = login(staff_a).get(url).content.decode()
    assert any(m in mine for m in marks) or "130525100" in mine


def test_a_partner_sees_only_what_is_shared_with_it(world_a, head, partner):
    shared_task = world_a.task
    other_task = InspectionTask.objects.exclude(pk=shared_task.pk).first()
    share_grant(actor=head, obj=shared_task, department=partner.department, reason="联合督查")
    share_grant(
        actor=head, obj=shared_task.permit, department=partner.department, reason="联合督查"
    )
    client = login(partner)
    assert client.get(f"/staff/supervision/tasks/{shared_task.pk}/").status_code == 200
    assert client.get(f"/staff/supervision/tasks/{other_task.pk}/").status_code == 404
    assert [t["id"] for t in client.get("/api/supervision/tasks/").json()["results"]] == [
        shared_task.pk
    ]
    page = client.get("/staff/supervision/tasks/").content.decode()
    assert f"/tasks/{shared_task.pk}/" in page and f"/tasks/{other_task.pk}/" not in page
    assert [p["id"] for p in client.get("/api/permits/").json()["results"]] == [
        shared_task.permit_id
    ]
    assert client.get(f"/staff/permits/{other_task.permit_id}/").status_code == 404
    assert client.get(f"/staff/permits/{shared_task.permit_id}/").status_code == 200
    # Reading is all: no plans, reports, dashboard, nor any change.
    for url in ("/staff/supervision/", "/staff/supervision/plans/", "/staff/supervision/reports/"):
        assert client.get(url).status_code == 403
    assert client.get("/api/supervision/plans/").status_code == 403
    refused = client.post(
        f"/staff/supervision/tasks/{shared_task.pk}/record/",
        {"visit_date": "2026-03-05", "result": "conforming"},
    )
    assert refused.status_code == 403
