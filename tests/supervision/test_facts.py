"""Inspection results are facts: no visit dated after today, and a refused result keeps what
was typed on the task page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import login
from tests.supervision.conftest import make_permits
from tests.supervision.test_pages import _draw

pytestmark = pytest.mark.django_db


def test_a_visit_dated_tomorrow_is_refused_and_the_typed_result_stays(staff_a, head, township_a):
    make_permits(township_a, 2)
    task = _draw(head, "termination-followup", township_a).tasks.first()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = login(staff_a).post(
        f"/staff/supervision/tasks/{task.pk}/record/",
        {"visit_date": tomorrow, "result": "finding", "evidence": "持证人称已于外地生育"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "晚于今天" in page
    assert "持证人称已于外地生育" in page and f'value="{tomorrow}"' in page
    task.refresh_from_db()
    assert task.result == "pending" and task.visit_date is None
