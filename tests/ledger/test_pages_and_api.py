"""The matrix page with drill-down, the quick form, and the API with its scoping."""

from __future__ import annotations

import datetime as dt

from tests.conftest import login
from tests.ledger.conftest import item
from zeren.ledger import services
from zeren.ledger.models import Record

D = dt.date.fromisoformat


def test_the_matrix_shows_every_item_and_flags_the_silent(expectations, head):
    page = login(head).get("/staff/ledger/?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('href="/staff/ledger/items/') == 25
    assert "本年度未履职的事项" in html and "未履职" in html


def test_the_drill_down_shows_the_lists_text_and_records_and_takes_a_quick_record(
    expectations, section_staff
):
    client = login(section_staff)
    target = item(3, 4)
    url = f"/staff/ledger/items/{target.pk}/?period=2026"
    page = client.get(url)
    assert page.status_code == 200 and target.duty.text[:20] in page.content.decode()
    bad = client.post(url, {"date": "2026-04-08", "kind": "meeting", "summary": ""})
    assert bad.status_code == 200 and "该字段是必填项" in bad.content.decode()
    good = client.post(url, {"date": "2026-04-08", "kind": "meeting", "summary": "协调会"})
    assert good.status_code == 302
    assert "协调会" in client.get(url).content.decode()


def test_township_staff_cannot_open_the_ledger(staff_a):
    assert login(staff_a).get("/staff/ledger/").status_code == 403


def test_the_api_gives_the_status_and_scopes_records(
    expectations, section_staff, staff_a, staff_b, township_a
):
    services.record_create(
        actor=section_staff, work_item=item(1, 1), date=D("2026-03-01"), kind="plan", summary="x"
    )
    own = services.record_automatic(
        event_key="cases.case_closed",
        obj=township_a,
        date=D("2026-04-02"),
        division_id=township_a.pk,
        summary="案件结案",
    )[0]
    status = login(section_staff).get("/api/ledger/status/?period=2026").json()
    assert status["period"] == "2026" and len(status["items"]) == 25
    assert login(section_staff).get("/api/ledger/status/?period=20x").status_code == 400
    assert login(staff_a).get("/api/ledger/status/?period=2026").status_code == 403
    # A township sees the records its own work produced, not the bureau's or another's.
    assert [r["id"] for r in login(staff_a).get("/api/ledger/records/").json()["results"]] == [
        own.pk
    ]
    assert login(staff_b).get(f"/api/ledger/records/{own.pk}/").status_code == 404
    assert len(login(section_staff).get("/api/ledger/records/").json()["results"]) == 2


def test_the_api_adds_a_manual_record_and_refuses_bad_input_in_chinese(section_staff):
    client = login(section_staff)
    made = client.post(
        "/api/ledger/records/",
        {"work_item": item(7, 2).pk, "date": "2026-05-29", "kind": "publicity", "summary": "宣传"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["duty"] == 7
    bad = client.post(
        "/api/ledger/records/",
        {"work_item": item(7, 2).pk, "date": "2099-01-01", "kind": "publicity", "summary": "宣传"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "晚于今天" in bad.json()["date"][0]
    assert Record.objects.count() == 1
