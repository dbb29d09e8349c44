"""The list as data: export shape, import (all or nothing), drafts, publishing, comparison."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

import zeren.catalogue
from zeren.catalogue.documents import (
    DocumentError,
    compare_documents,
    document_to_xlsx,
    xlsx_to_document,
)
from zeren.catalogue.models import Duty, ListVersion, WorkItem
from zeren.catalogue.selectors import latest_published, version_document
from zeren.catalogue.services import list_draft_start, list_import, list_publish

pytestmark = pytest.mark.django_db

SEED = json.loads(
    (Path(zeren.catalogue.__file__).parent / "seed" / "longyao.json").read_text(encoding="utf-8")
)
PARTS = ("duties", "boundaries", "services", "regimes")


def test_the_published_list_exports_in_the_stable_shape_and_matches_the_seed():
    doc = version_document(latest_published())
    assert list(doc) == ["department", "version", "published_at", *PARTS]
    assert doc["department"] == "隆尧县人口和计划生育局" and doc["version"] == 1
    assert doc["published_at"].endswith("+08:00")
    for part in PARTS:
        assert doc[part] == SEED[part]
    assert set(doc["duties"][0]) == {"number", "text", "work_items"}
    assert set(doc["duties"][0]["work_items"][0]) == {"text", "section"}
    assert set(doc["boundaries"][0]) == {"matter", "divisions", "basis", "cases"}
    assert set(doc["services"][0]) == {"number", "name", "content", "section", "phone"}
    assert set(doc["regimes"][0]) == {"number", "title", "sections"}
    assert set(doc["regimes"][0]["sections"][0]) == {"heading", "text"}


def _state() -> tuple:
    return (
        ListVersion.objects.count(),
        Duty.objects.count(),
        WorkItem.objects.count(),
        json.dumps(version_document(latest_published()), ensure_ascii=False),
    )


BAD = [
    # (change to the seed, the place the error must name)
    (
        lambda d: d["duties"][2]["work_items"][1].update(section="不存在股"),
        "duties[2].work_items[1].section：未知科室“不存在股”",
    ),
    (lambda d: d["services"][4].update(phone="打电话"), "services[4].phone"),
    (lambda d: d["services"][0].update(number=2), "services[1].number：序号2重复"),
    (
        lambda d: d["regimes"][1]["sections"][0].update(text=""),
        "regimes[1].sections[0].text：不能为空",
    ),
    (
        lambda d: d["boundaries"][0]["divisions"][3].update(department="税务局"),
        "boundaries[0].divisions[3].department：未知部门“税务局”",
    ),
    (lambda d: d["duties"][0].pop("text"), "duties[0].text：应为文本"),
    (lambda d: d.update(duties="none"), "duties：应为列表"),
    (lambda d: d["duties"][8].update(work_items=[]), "duties[8].work_items：至少应有一项"),
]


@pytest.mark.parametrize(("spoil", "place"), BAD)
def test_a_malformed_document_imports_nothing_and_names_the_place(spoil, place):
    before = _state()
    doc = copy.deepcopy(SEED)
    spoil(doc)
    with pytest.raises(DocumentError) as info:
        list_import(actor=None, data=doc)
    assert any(place in p for p in info.value.problems), info.value.problems
    assert _state() == before


def test_all_problems_are_reported_at_once():
    doc = copy.deepcopy(SEED)
    doc["services"][0]["phone"] = "x"
    doc["services"][1]["section"] = "无此股"
    with pytest.raises(DocumentError) as info:
        list_import(actor=None, data=doc)
    assert len(info.value.problems) == 2


def test_an_unknown_department_is_refused():
    with pytest.raises(DocumentError, match="没有名为“某某局”"):
        list_import(actor=None, data={**SEED, "department": "某某局"})


def test_editing_a_draft_and_publishing_makes_version_two(head):
    draft = list_draft_start(actor=head, department=latest_published().department)
    assert draft.is_draft and draft.number is None
    service = draft.services.get(number=5)
    service.phone = "6663423"
    service.save()
    assert version_document(latest_published())["services"][4]["phone"] == "6663422"
    v2 = list_publish(actor=head, version=draft, summary="更新政策法规股电话")
    assert (v2.number, v2.published_by, v2.summary) == (2, head, "更新政策法规股电话")
    assert latest_published() == v2
    changes = compare_documents(
        version_document(ListVersion.objects.get(number=1)), version_document(v2)
    )
    assert [(c["part"], c["number"], c["change"], c["fields"]) for c in changes] == [
        ("services", 5, "changed", ["phone"])
    ]


def test_publishing_needs_the_right_and_a_summary(head, staff_a):
    draft = list_draft_start(actor=head, department=latest_published().department)
    with pytest.raises(PermissionDenied):
        list_publish(actor=staff_a, version=draft, summary="x")
    with pytest.raises(ValidationError, match="修订说明"):
        list_publish(actor=head, version=draft, summary="  ")
    published = list_publish(actor=head, version=draft, summary="例行复核")
    with pytest.raises(ValidationError, match="已发布"):
        list_publish(actor=head, version=published, summary="再来")


def test_a_published_version_cannot_be_edited_through_the_staff_pages(head):
    from tests.conftest import login

    item = latest_published().services.first()
    response = login(head).post(f"/staff/list/draft/service/{item.pk}/", {"name": "改"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.name != "改"


def test_excel_round_trip_gives_back_the_same_document():
    doc = version_document(latest_published())
    back = xlsx_to_document(document_to_xlsx(doc))
    for part in PARTS:
        assert back[part] == doc[part]
    assert back["department"] == doc["department"]


def test_a_broken_excel_file_names_sheet_row_and_column():
    import io

    import xlsxwriter
    from python_calamine import CalamineWorkbook

    doc = version_document(latest_published())
    data = io.BytesIO(document_to_xlsx(doc))
    book = CalamineWorkbook.from_filelike(data)
    # Rebuild the workbook with one bad number in the services sheet (row 4).
    out = io.BytesIO()
    writer = xlsxwriter.Workbook(out, {"in_memory": True})
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        sheet = writer.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if name == "公共服务事项" and r == 3 and c == 0:
                    value = "三"
                sheet.write(r, c, value)
    writer.close()
    with pytest.raises(DocumentError) as info:
        xlsx_to_document(out.getvalue())
    assert info.value.problems == ["工作表“公共服务事项”第4行“序号”列：应为正整数，实际为“三”"]
