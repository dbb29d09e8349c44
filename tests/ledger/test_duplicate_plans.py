"""One yearly plan per work item and year (docs/ledger.md: “a yearly work plan of one work
item”): a second one is refused in Chinese by the API, the form and the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tests.conftest import login
from tests.ledger.conftest import item
from zeren.ledger.models import Plan

MESSAGE = "该事项2026年度已有工作计划"


def _data(staff, work_item):
    return {"work_item": work_item.pk, "year": 2026, "title": "计划", "responsible": staff.pk}


def test_the_api_refuses_a_second_plan_for_the_same_item_and_year(expectations, section_staff):
    client = login(section_staff)
    answers = [
        client.post(
            "/api/ledger/plans/", _data(section_staff, item(2, 1)), content_type="application/json"
        )
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 400, 400]
    assert MESSAGE in answers[1].json()["work_item"][0]
    assert Plan.objects.filter(work_item=item(2, 1), year=2026).count() == 1


def test_the_form_refuses_a_second_plan(expectations, section_staff):
    client = login(section_staff)
    assert client.post("/staff/ledger/plans/", _data(section_staff, item(3, 4))).status_code == 302
    again = client.post("/staff/ledger/plans/", _data(section_staff, item(3, 4)))
    assert again.status_code == 200 and MESSAGE in again.content.decode()
    assert Plan.objects.count() == 1


def test_the_database_refuses_a_duplicate_written_past_the_service(expectations, section_staff):
    Plan.objects.create(work_item=item(1, 1), year=2026, title="a", responsible=section_staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(work_item=item(1, 1), year=2026, title="b", responsible=section_staff)
