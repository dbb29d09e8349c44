"""The plan page asks before 完成 (saying when it closes the plan) and offers as 责任人 only
bureau staff who may change plans."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import login
from tests.ledger.test_plans import plan  # noqa: F401
from zeren.ledger import services

pytestmark = pytest.mark.django_db


def _forms(page: str) -> list[str]:
    return [f.split(">", 1)[0] for f in page.split('<form method="post" class="d-flex gap-1"')[1:]]


def test_the_last_open_milestone_warns_that_it_closes_the_plan(plan, section_staff):  # noqa: F811
    the_plan, soon, _later, late = plan
    client = login(section_staff)
    url = f"/staff/ledger/plans/{the_plan.pk}/"
    forms = _forms(client.get(url).content.decode())
    assert len(forms) == 3 and all("data-confirm=" in f for f in forms)
    assert not any("整个计划随即办结" in f for f in forms)
    for milestone in (soon, late):
        services.milestone_complete(
            actor=section_staff, milestone=milestone, done_on=dt.date(2026, 6, 12), summary=""
        )
    (last,) = _forms(client.get(url).content.decode())
    assert "整个计划随即办结" in last


def test_the_responsible_choices_are_staff_who_can_change_plans(
    plan,  # noqa: F811
    section_staff,
    head,
    auditor,
    admin_user,
    officer1,
):
    page = login(section_staff).get(f"/staff/ledger/plans/{plan[0].pk}/").content.decode()
    select = page.split('name="responsible"', 1)[1].split("</select>", 1)[0]
    offered = set(select.split('value="')[1:])
    offered = {v.split('"', 1)[0] for v in offered} - {""}
    assert {str(section_staff.pk), str(head.pk)} <= offered
    assert not offered & {str(auditor.pk), str(admin_user.pk), str(officer1.pk)}
