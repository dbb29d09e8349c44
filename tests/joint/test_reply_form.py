"""The reply form offers the task's next normal step; a hand-off asks first."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.joint.test_reminders import TODAY, _open
from zeren.joint import services
from zeren.joint.models import Task

pytestmark = pytest.mark.django_db


def _reply_form(client, matter) -> str:
    page = client.get(f"/staff/joint/{matter.pk}/").content.decode()
    return page.split('name="kind"', 1)[1].split("</select>", 1)[0]


def test_the_reply_form_offers_the_next_step_and_asks_before_a_hand_off(police, health, boundary):
    from tests.conftest import login

    matter = _open(police, boundary, TODAY + dt.timedelta(days=5))
    client = login(health)
    form = _reply_form(client, matter)
    assert '<option value="acknowledge" selected>' in form  # assigned: sign for it first
    assert 'value="handoff" selected' not in form
    assert 'value="handoff" data-confirm="' in form
    task = Task.objects.get(matter=matter, department=health.department)
    services.task_reply(actor=health, task=task, kind="acknowledge", text="已签收")
    assert '<option value="result" selected>' in _reply_form(client, matter)  # then the result
