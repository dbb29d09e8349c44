"""Ids typed into the joint pages: a bad boundary, department or share target is refused in
Chinese, never a server error and never replaced by another row (or by every department)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import login
from tests.joint.conftest import department
from zeren.joint import services
from zeren.joint.models import InformationShare, Matter

HUGE = "1" * 25


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("boundary", "abc", "所选职责边界事项不存在或不可选"),
        ("boundary", HUGE, "所选职责边界事项不存在或不可选"),
        ("boundary", "９", "所选职责边界事项不存在或不可选"),
        ("boundary", "", "请选择职责边界事项"),
        ("departments", "abc", "所选参与部门不存在或不可选"),
        ("departments", HUGE, "所选参与部门不存在或不可选"),
        ("departments", "-3", "所选参与部门不存在或不可选"),
    ],
)
def test_opening_refuses_bad_ids_in_chinese(police, boundary, field, value, message):
    data = {
        "boundary": boundary.pk,
        "title": "诊所线索",
        "description": "群众举报",
        "departments": [department("longyao-wsj").pk],
    }
    data[field] = value
    answer = login(police).post("/staff/joint/new/", data)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not Matter.objects.exists()


def test_opening_with_good_ids_still_works(police, boundary):
    answer = login(police).post(
        "/staff/joint/new/",
        {
            "boundary": boundary.pk,
            "title": "诊所线索",
            "description": "群众举报",
            "departments": [department("longyao-wsj").pk],
        },
    )
    assert answer.status_code == 302
    assert Matter.objects.get().boundary == boundary


@pytest.mark.parametrize("value", ["abc", HUGE, "0", "２"])
def test_sharing_to_a_bad_department_is_refused_not_sent_to_all(police, boundary, value):
    matter = services.matter_open(
        actor=police,
        boundary=boundary,
        title="诊所线索",
        description="群众举报",
        departments=[department("longyao-wsj")],
    )
    client = login(police)
    answer = client.post(
        f"/staff/joint/{matter.pk}/share/", {"text": "只给卫生局", "to_department": value}
    )
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert "所选共享对象部门不存在或不可选" in page
    assert not InformationShare.objects.exists()
    good = client.post(
        f"/staff/joint/{matter.pk}/share/",
        {"text": "只给卫生局", "to_department": department("longyao-wsj").pk},
    )
    assert good.status_code == 302
    assert InformationShare.objects.get().to_department == department("longyao-wsj")


@pytest.mark.parametrize("length, refused", [(5000, False), (5001, True), (20000, True)])
def test_reply_and_share_texts_are_at_most_5000_characters(
    police, health, boundary, length, refused
):
    matter = services.matter_open(
        actor=police,
        boundary=boundary,
        title="诊所线索",
        description="群众举报",
        departments=[department("longyao-wsj")],
    )
    task = matter.tasks.get(department__code="longyao-wsj")
    text = "查" * length
    if refused:
        with pytest.raises(ValidationError, match="答复内容不能超过5000字"):
            services.task_reply(actor=health, task=task, kind="acknowledge", text=text)
        with pytest.raises(ValidationError, match="共享内容不能超过5000字"):
            services.share_post(actor=police, matter=matter, text=text)
        assert not task.replies.exists() and not InformationShare.objects.exists()
    else:
        services.task_reply(actor=health, task=task, kind="acknowledge", text=text)
        services.share_post(actor=police, matter=matter, text=text)
        assert task.replies.get().text == text and InformationShare.objects.get().text == text
