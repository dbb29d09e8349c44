"""The public version comparison: field by field, in Chinese, with what changed marked."""

from __future__ import annotations

import re

import pytest

from zeren.catalogue.documents import compare_fields

DUTY = {"number": 1, "text": "甲", "work_items": [{"text": "事项一", "section": "办公室"}]}
BOUNDARY = {
    "matter": "出生医学证明",
    "divisions": [{"department": "卫健局", "duties": "负责签发"}],
    "basis": "",
    "cases": "",
}
SERVICE = {"number": 5, "name": "咨询", "content": "政策咨询", "section": "办公室", "phone": "1"}
REGIME = {"number": 2, "title": "抽查制度", "sections": [{"heading": "一、目的", "text": "规范"}]}


def _rows(part, before, after):
    change = {"part": part, "before": before, "after": after}
    return [(r["label"], r["before"], r["after"], r["kind"]) for r in compare_fields(change)]


@pytest.mark.parametrize(
    ("part", "before", "after", "expected"),
    [
        (
            "duties",
            DUTY,
            {**DUTY, "work_items": [*DUTY["work_items"], {"text": "事项二", "section": "股室"}]},
            [
                ("主要职责", "甲", "甲", "same"),
                ("具体工作事项1", "事项一", "事项一", "same"),
                ("具体工作事项1的责任科室", "办公室", "办公室", "same"),
                ("具体工作事项2", "", "事项二", "added"),
                ("具体工作事项2的责任科室", "", "股室", "added"),
            ],
        ),
        (
            "boundaries",
            BOUNDARY,
            {**BOUNDARY, "divisions": [{"department": "卫健局", "duties": "负责签发和管理"}]},
            [
                ("管理事项", "出生医学证明", "出生医学证明", "same"),
                ("卫健局的职责分工", "负责签发", "负责签发和管理", "changed"),
            ],
        ),
        (
            "services",
            SERVICE,
            {**SERVICE, "phone": ""},
            [
                ("服务事项", "咨询", "咨询", "same"),
                ("主要内容", "政策咨询", "政策咨询", "same"),
                ("承办科室", "办公室", "办公室", "same"),
                ("联系电话", "1", "", "removed"),
            ],
        ),
        (
            "regimes",
            None,
            REGIME,
            [
                ("名称", "", "抽查制度", "added"),
                ("第1部分标题", "", "一、目的", "added"),
                ("第1部分内容", "", "规范", "added"),
            ],
        ),
    ],
)
def test_each_part_is_compared_field_by_field(part, before, after, expected):
    assert _rows(part, before, after) == expected


@pytest.mark.django_db
def test_the_comparison_page_marks_changes_in_chinese(public, head):
    from zeren.catalogue.selectors import latest_published
    from zeren.catalogue.services import list_draft_start, list_publish

    draft = list_draft_start(actor=head, department=latest_published().department)
    duty = draft.duties.get(number=7)
    duty.text = duty.text + "（修订）"
    duty.save()
    service = draft.services.get(number=5)
    service.phone = "6663423"
    service.save()
    list_publish(actor=head, version=draft, summary="修订")
    page = public.get("/versions/compare/?a=1&b=2").content.decode()
    assert "主要职责 第7项" in page and "公共服务事项 第5项" in page
    changed = re.findall(
        r'<tr class="compare-changed">\s*<th scope="row" class="fw-normal">(\S+)', page
    )
    assert changed == ["主要职责", "联系电话"]
    assert "<ins>6663423</ins>" in page and "<del>6663422</del>" in page
    visible = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1])
    assert "{&#x27;" not in page and "work_items" not in visible and "phone" not in visible
