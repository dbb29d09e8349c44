"""Record and milestone dates: one parser (core.dates) for pages and API, and a floor
(core.facts) so a typing slip such as 0001-01-01 or 1900-01-01 is refused everywhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import login
from tests.ledger.conftest import item
from tests.ledger.test_records import HEADER
from tests.statistics.conftest import sheet
from zeren.core.spreadsheets import ImportFailed
from zeren.ledger import services
from zeren.ledger.models import Record

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    "date, message",
    [
        ("0001-01-01", "早于2000-01-01"),
        ("1900-01-01", "早于2000-01-01"),
        ("2026-02-30", "“2026-02-30”不是有效日期"),
        ("２０２６-１１-３０", "不是有效日期"),
        ("2026-13-01", "不是有效日期"),
    ],
)
def test_the_records_api_refuses_bad_dates_in_chinese(section_staff, date, message):
    answer = login(section_staff).post(
        "/api/ledger/records/",
        {"work_item": item(7, 2).pk, "date": date, "kind": "publicity", "summary": "宣传"},
        content_type="application/json",
    )
    assert answer.status_code == 400 and message in answer.json()["date"][0]
    assert not Record.objects.exists()


@pytest.mark.parametrize("date", ["2026/05/29", "2026-05-29", "2026/5/29"])
def test_the_records_api_and_the_form_take_both_written_forms(expectations, section_staff, date):
    client = login(section_staff)
    made = client.post(
        "/api/ledger/records/",
        {"work_item": item(7, 2).pk, "date": date, "kind": "publicity", "summary": "宣传"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["date"] == "2026-05-29"
    target = item(3, 4)
    form = client.post(
        f"/staff/ledger/items/{target.pk}/?period=2026",
        {"date": date, "kind": "meeting", "summary": "协调会"},
    )
    assert form.status_code == 302
    assert Record.objects.filter(date=D("2026-05-29")).count() == 2


@pytest.mark.parametrize(
    "date, message",
    [
        ("1900-01-01", "早于2000-01-01"),
        ("２０２６-１１-３０", "不是有效日期"),
        ("2026-02-30", "不是有效日期"),
    ],
)
def test_the_item_form_refuses_bad_dates(expectations, section_staff, date, message):
    target = item(3, 4)
    page = login(section_staff).post(
        f"/staff/ledger/items/{target.pk}/?period=2026",
        {"date": date, "kind": "meeting", "summary": "协调会"},
    )
    assert page.status_code == 200 and message in page.content.decode()
    assert not Record.objects.exists()


def test_the_excel_import_refuses_a_date_before_the_floor(section_staff):
    with pytest.raises(ImportFailed) as exc:
        services.records_import(
            actor=section_staff,
            content=sheet([HEADER, [7, 2, "1900-01-01", "宣传活动", "宣传"]]),
            today=D("2026-06-30"),
        )
    assert "早于2000-01-01" in str(exc.value.errors[0])
    assert not Record.objects.exists()


@pytest.mark.parametrize(
    "done_on, message",
    [("1900-01-01", "早于2026-01-01（计划年度为2026年）"), ("2025-12-31", "计划年度为2026年")],
)
def test_a_milestone_cannot_be_done_before_its_plans_year(
    expectations, section_staff, done_on, message
):
    plan = services.plan_create(
        actor=section_staff,
        work_item=item(1, 1),
        year=2026,
        title="计划",
        responsible=section_staff,
    )
    milestone = services.milestone_add(
        actor=section_staff, plan=plan, title="x", due_on=D("2026-07-01")
    )
    with pytest.raises(ValidationError) as exc:
        services.milestone_complete(
            actor=section_staff, milestone=milestone, done_on=D(done_on), today=D("2026-06-30")
        )
    assert message in exc.value.message_dict["done_on"][0]
    assert not Record.objects.exists()
    answer = login(section_staff).post(
        f"/api/ledger/milestones/{milestone.pk}/done/",
        {"done_on": done_on},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "计划年度为2026年" in answer.content.decode()
