"""Every one of the list's twelve services has a guide: on the portal, printable, in the export.

The expected services come from the list's seed file (catalogue/seed/longyao.json), not from
the guide data under test.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

import zeren.catalogue

SEED = json.loads(
    (Path(zeren.catalogue.__file__).parent / "seed" / "longyao.json").read_text(encoding="utf-8")
)
SEED_SERVICES = SEED["services"]

pytestmark = pytest.mark.django_db


def test_the_seed_has_twelve_services():
    assert [s["number"] for s in SEED_SERVICES] == list(range(1, 13))


@pytest.mark.parametrize("service", SEED_SERVICES, ids=lambda s: str(s["number"]))
def test_each_service_has_a_full_guide_on_the_portal(public, service):
    response = public.get(reverse("publicservices-guide", args=[service["number"]]))
    assert response.status_code == 200
    html = response.content.decode()
    assert service["name"] in html
    assert service["phone"] in html
    assert service["section"] in html
    for heading in (
        "服务对象",
        "申请材料",
        "办理流程",
        "办理时限",
        "收费标准",
        "办理地点",
        "办理时间",
        "设定依据",
        "网上办理",
    ):
        assert f"<th>{heading}</th>" in html, heading
    assert "办事指南正在编制" not in html
    assert "免费" in html


@pytest.mark.parametrize("number", [s["number"] for s in SEED_SERVICES])
def test_each_guide_prints_on_a_bare_page(public, number):
    response = public.get(reverse("publicservices-guide", args=[number]) + "?print=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<nav" not in html
    assert f'id="guide-{number}"' in html


def test_the_services_page_links_every_guide(public):
    html = public.get(reverse("portal-services")).content.decode()
    for s in SEED_SERVICES:
        assert reverse("publicservices-guide", args=[s["number"]]) in html


def test_online_application_is_offered_only_where_one_applies(public):
    html = public.get(reverse("publicservices-guides")).content.decode()
    for number in (3, 5, 6, 7):
        assert reverse("publicservices-apply", args=[number]) in html
    for number in (1, 4, 8, 9, 10, 11, 12):
        assert reverse("publicservices-apply", args=[number]) not in html
        assert public.get(reverse("publicservices-apply", args=[number])).status_code == 404


def test_an_unknown_service_has_no_guide(public):
    assert public.get(reverse("publicservices-guide", args=[13])).status_code == 404


def test_the_json_export_carries_every_guide(public):
    response = public.get(reverse("portal-download", args=["json"]))
    doc = json.loads(response.content)
    assert [(s["number"], s["name"]) for s in doc["services"]] == [
        (s["number"], s["name"]) for s in SEED_SERVICES
    ]
    for s in doc["services"]:
        guide = s["guide"]
        assert guide is not None, s["number"]
        assert guide["applicants"] and guide["steps"] and guide["legal_basis"]
        assert guide["fee"] == "免费"
        assert guide["place"] and guide["hours"] and guide["time_limit"]


def test_the_xlsx_export_has_a_guide_sheet_with_every_service(public):
    response = public.get(reverse("portal-download", args=["xlsx"]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("办事指南").to_python()[1:]
    assert [(int(r[0]), r[1]) for r in rows] == [(s["number"], s["name"]) for s in SEED_SERVICES]
    assert [str(r[9]) for r in rows] == [s["phone"] for s in SEED_SERVICES]
    assert all(r[2] and r[4] and r[10] for r in rows)
    # The list's own sheets are still there and the export still reads back in.
    assert "公共服务事项" in book.sheet_names
    from zeren.catalogue.documents import xlsx_to_document

    assert len(xlsx_to_document(response.content)["services"]) == 12
