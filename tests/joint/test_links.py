"""A joint matter links to the bureau's enforcement case, inspection task or report: pages to
link and unlink (the office only), and the link shows on both sides where the viewer may see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import login
from tests.joint.conftest import department
from tests.supervision.conftest import make_permits
from zeren.joint import selectors, services
from zeren.supervision.services import report_submit

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


@pytest.fixture
def report(township_a):
    permit = make_permits(township_a, 1)[0]
    return report_submit(
        actor=None,
        kind="report",
        township=township_a,
        permit_number=permit.number,
        content="举报该持证人以虚假材料骗取证件",
    )


def test_the_office_links_a_case_a_task_and_a_report_by_their_numbers(
    matter, file_case, report, head, police
):
    case = file_case()
    task = report.task
    client = login(head)
    url = f"/staff/joint/{matter.pk}/link/"
    assert client.post(url, {"kind": "case", "key": case.number}).status_code == 302
    client.post(url, {"kind": "inspection_task", "key": str(task.pk)})
    client.post(url, {"kind": "report", "key": report.reference})
    matter.refresh_from_db()
    assert (matter.case, matter.inspection_task, matter.report) == (case, task, report)
    page = client.get(f"/staff/joint/{matter.pk}/").content.decode()
    for href in (f"/staff/cases/{case.pk}/", f"/staff/supervision/tasks/{task.pk}/"):
        assert href in page
    assert f"/staff/supervision/reports/{report.pk}/" in page
    # The other side: each of the bureau's pages names the joint matter.
    for other in (
        f"/staff/cases/{case.pk}/",
        f"/staff/supervision/tasks/{task.pk}/",
        f"/staff/supervision/reports/{report.pk}/",
    ):
        html = client.get(other).content.decode()
        assert "关联的联合查处事项" in html and f"/staff/joint/{matter.pk}/" in html, other
    # Unlinking removes it from both sides.
    assert client.post(f"/staff/joint/{matter.pk}/unlink/", {"kind": "case"}).status_code == 302
    matter.refresh_from_db()
    assert matter.case is None
    assert (
        f"/staff/joint/{matter.pk}/" not in client.get(f"/staff/cases/{case.pk}/").content.decode()
    )


def test_a_partner_sees_the_matter_but_not_the_bureaus_linked_work(matter, file_case, head, police):
    case = file_case()
    services.matter_link(actor=head, matter=matter, case=case)
    page = login(police).get(f"/staff/joint/{matter.pk}/").content.decode()
    assert case.number not in page and f"/staff/cases/{case.pk}/" not in page
    assert "另有 1 项您无权查看" in page
    assert selectors.links_for(police, matter) == []
    assert [link.pk for link in selectors.links_for(head, matter)] == [case.pk]
    # Partners cannot link or unlink.
    assert (
        login(police).post(f"/staff/joint/{matter.pk}/unlink/", {"kind": "case"}).status_code == 403
    )
    with pytest.raises(PermissionDenied):
        services.matter_unlink(actor=police, matter=matter, field="case")


def test_a_matter_another_department_cannot_see_is_not_shown_on_the_bureaus_page(
    matter, report, head, staff_a
):
    services.matter_link(actor=head, matter=matter, report=report)
    assert (
        "关联的联合查处事项"
        in login(head).get(f"/staff/supervision/reports/{report.pk}/").content.decode()
    )
    # A township account may see its report but holds no joint permission: no panel.
    response = login(staff_a).get(f"/staff/supervision/reports/{report.pk}/")
    assert response.status_code == 200
    assert "关联的联合查处事项" not in response.content.decode()


def test_linking_refuses_unknown_numbers_in_chinese(matter, head):
    with pytest.raises(ValidationError, match="没有案号为X-1的本局执法案件"):
        services.link_target(actor=head, field="case", key="X-1")
    with pytest.raises(ValidationError, match="请填写监管检查任务的任务编号"):
        services.link_target(actor=head, field="inspection_task", key="１２")
    with pytest.raises(ValidationError, match="只能关联"):
        services.link_target(actor=head, field="person", key="1")
    response = login(head).post(
        f"/staff/joint/{matter.pk}/link/", {"kind": "case", "key": "X-1"}, follow=True
    )
    assert "没有案号为X-1的本局执法案件" in response.content.decode()


def test_the_api_links_and_unlinks_and_hides_links_the_caller_may_not_see(
    matter, file_case, head, police
):
    case = file_case()
    office = login(head)
    linked = office.post(
        f"/api/joint/matters/{matter.pk}/link/",
        {"kind": "case", "key": case.number},
        content_type="application/json",
    )
    assert linked.status_code == 200 and linked.json()["case"] == case.pk
    # The police take part in the matter but may not see the bureau's case: no number.
    theirs = login(police).get(f"/api/joint/matters/{matter.pk}/").json()
    assert theirs["case"] is None
    refused = login(police).post(
        f"/api/joint/matters/{matter.pk}/unlink/", {"kind": "case"}, content_type="application/json"
    )
    assert refused.status_code == 403
    wrong = office.post(
        f"/api/joint/matters/{matter.pk}/link/",
        {"kind": "report", "key": "无此编号"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "没有受理编号为无此编号的举报投诉" in wrong.content.decode()
    gone = office.post(
        f"/api/joint/matters/{matter.pk}/unlink/", {"kind": "case"}, content_type="application/json"
    )
    assert gone.status_code == 200 and gone.json()["case"] is None
