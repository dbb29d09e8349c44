"""The registry: Excel import all or nothing, pages and API scoped and masked."""

from __future__ import annotations

import io

import pytest
import xlsxwriter

from tests.conftest import login
from tests.permits.conftest import grant
from zeren.permits.imports import COLUMNS, ImportProblems, permits_import
from zeren.permits.models import Permit

pytestmark = pytest.mark.django_db


def workbook(rows: list[list[str]], header: list[str] = COLUMNS) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("许可")
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def test_a_valid_workbook_imports_every_row(section_staff, holder, holder_b):
    content = workbook(
        [
            ["再生育证", "R-1", holder.id_number, "", "2026-01-05", "", "2026-12-31", "", ""],
            [
                "终止妊娠批准",
                "T-1",
                holder_b.id_number,
                "",
                "2026-02-01",
                "",
                "2026-02-28",
                "",
                "县医院",
            ],
        ]
    )
    assert permits_import(actor=section_staff, content=content) == 2
    t = Permit.objects.get(number="T-1")
    assert t.kind == "termination" and t.hospital == "县医院" and t.events.count() == 1


def test_one_bad_row_imports_nothing_and_names_row_and_column(section_staff, holder):
    content = workbook(
        [
            ["再生育证", "R-1", holder.id_number, "", "2026-01-05", "", "2026-12-31", "", ""],
            ["再生育证", "R-2", "110105194912310021", "", "2026-01-05", "", "2026-12-31", "", ""],
            ["再生育证", "R-3", holder.id_number, "", "2026-13-05", "", "2026-12-31", "", ""],
            ["许可证", "R-1", holder.id_number, "", "2026-01-05", "", "2025-12-31", "", ""],
        ]
    )
    with pytest.raises(ImportProblems) as info:
        permits_import(actor=section_staff, content=content)
    problems = info.value.problems
    # An invalid number is named as invalid (GB 11643 check digit), not as unregistered.
    assert "第3行“持证人身份证号”：身份证号校验位错误（应为X）" in problems
    assert any(p.startswith("第4行“批准日期”") for p in problems)
    assert "第5行“类别”：应为“再生育证”或“终止妊娠批准”" in problems
    assert "第5行“有效期止”：不能早于有效期起" in problems
    assert not Permit.objects.exists()


def test_an_existing_number_is_refused(section_staff, holder):
    grant(section_staff, holder, number="R-1")
    content = workbook(
        [["再生育证", "R-1", holder.id_number, "", "2026-01-05", "", "2026-12-31", "", ""]]
    )
    with pytest.raises(ImportProblems, match="第2行“证号”：证号“R-1”已存在"):
        permits_import(actor=section_staff, content=content)


def test_a_missing_column_is_named(section_staff):
    with pytest.raises(ImportProblems, match="缺少列：证号"):
        permits_import(actor=section_staff, content=workbook([], header=["类别"]))


def test_the_import_page_shows_the_problems(section_staff, holder):
    content = workbook(
        [["再生育证", "", holder.id_number, "", "2026-01-05", "", "2026-12-31", "", ""]]
    )
    upload = io.BytesIO(content)
    upload.name = "p.xlsx"
    response = login(section_staff).post("/staff/permits/import/", {"file": upload})
    assert response.status_code == 400
    assert "第2行“证号”：不能为空" in response.content.decode()


def test_pages_and_api_are_scoped_and_masked(section_staff, staff_a, holder, holder_b):
    mine = grant(section_staff, holder, number="A-1")
    other = grant(section_staff, holder_b, number="B-1")
    client = login(staff_a)
    page = client.get("/staff/permits/").content.decode()
    assert "A-1" in page and "B-1" not in page
    assert holder.id_number not in page and holder.id_number_masked in page
    assert client.get(f"/staff/permits/{other.pk}/").status_code == 404
    api = client.get("/api/permits/").json()["results"]
    assert [p["number"] for p in api] == ["A-1"]
    assert api[0]["holder_id_number_masked"] == holder.id_number_masked
    assert holder.id_number not in str(api)
    assert client.get(f"/api/permits/{other.pk}/").status_code == 404
    assert client.get(f"/staff/permits/{mine.pk}/").status_code == 200


def test_the_api_revokes_with_a_ground_and_refuses_an_illegal_one(section_staff, holder):
    permit = grant(section_staff, holder, number="A-1")
    client = login(section_staff)
    bad = client.post(
        f"/api/permits/{permit.pk}/cancel/",
        {"ground": "expired_unused", "documents": "x", "on": "2026-03-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "尚未届满" in str(bad.json())
    ok = client.post(
        f"/api/permits/{permit.pk}/revoke/",
        {"ground": "deception", "documents": "撤销决定书"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "revoked"
    assert ok.json()["events"][-1]["ground"] == "deception"


def test_the_detail_page_revokes_through_the_form(section_staff, holder):
    permit = grant(section_staff, holder, number="A-1")
    client = login(section_staff)
    client.post(
        f"/staff/permits/{permit.pk}/revoke/",
        {"ground": "deception", "on": "2026-04-01", "documents": "撤销决定书"},
    )
    permit.refresh_from_db()
    assert permit.status == "revoked"
    page = client.get(f"/staff/permits/{permit.pk}/").content.decode()
    assert "以欺骗、贿赂等不正当手段取得许可" in page and "第六十九条" in page


def test_the_detail_page_withdraws_a_licence_whose_conditions_are_lost(section_staff, holder):
    permit = grant(section_staff, holder, number="A-2")
    client = login(section_staff)
    url = f"/staff/permits/{permit.pk}/"
    # The revocation form no longer offers lost conditions (the law's word is 撤回).
    r = client.post(
        url + "revoke/", {"ground": "conditions_lost", "on": "2026-04-01", "documents": "x"}
    )
    permit.refresh_from_db()
    assert permit.status == "granted" and r.status_code == 400
    client.post(
        url + "withdraw/",
        {"ground": "conditions_lost", "on": "2026-04-01", "documents": "撤回决定书"},
    )
    permit.refresh_from_db()
    assert permit.status == "withdrawn"
    page = client.get(url).content.decode()
    assert "已撤回" in page and "第八条" in page
    client.post(
        url + "cancel/",
        {"ground": "after_revocation", "on": "2026-04-02", "documents": "注销决定书"},
    )
    permit.refresh_from_db()
    assert permit.status == "cancelled"


def test_the_list_filters_by_status_and_kind(section_staff, holder, holder_b):
    from zeren.permits.models import PermitKind
    from zeren.permits.services import permit_revoke

    a = grant(section_staff, holder, number="F-1")
    grant(section_staff, holder_b, number="F-2", kind=PermitKind.TERMINATION)
    permit_revoke(actor=section_staff, permit=a, ground="deception", documents="d")
    client = login(section_staff)
    revoked = client.get("/staff/permits/?status=revoked").content.decode()
    assert "F-1" in revoked and "F-2" not in revoked
    termination = client.get("/staff/permits/?kind=termination").content.decode()
    assert "F-2" in termination and "F-1" not in termination
    # the holder's number is posted, never put in a URL (issue 10, finding 6)
    found = client.post("/staff/permits/", {"holder_id_number": holder_b.id_number})
    by_id = client.get(found["Location"]).content.decode()
    assert "F-2" in by_id and "F-1" not in by_id


def test_an_officer_can_revoke_through_the_api_but_township_staff_cannot(
    section_staff, officer1, staff_a, holder
):
    permit = grant(section_staff, holder, number="O-1")
    body = {"ground": "deception", "documents": "撤销决定书"}
    refused = login(staff_a).post(
        f"/api/permits/{permit.pk}/revoke/", body, content_type="application/json"
    )
    assert refused.status_code == 403
    ok = login(officer1).post(
        f"/api/permits/{permit.pk}/revoke/", body, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "revoked"
