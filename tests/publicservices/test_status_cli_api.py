"""``zeren services status`` and the API count the applications actually handled."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from zeren.cli import main
from zeren.publicservices.services import (
    application_complete,
    application_submit,
    rating_submit,
)

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.today = dt.date(2026, 11, 2)

    def __call__(self, *args, **kwargs) -> dt.date:
        return self.today


@pytest.fixture
def clock(monkeypatch) -> Clock:
    from django.utils import timezone

    c = Clock()
    monkeypatch.setattr(timezone, "localdate", c)
    return c


def _apply(number: int):
    return application_submit(
        actor=None, service_number=number, applicant_name="申请人甲", content="请办理此事项，谢谢"
    )


@pytest.fixture
def handled(clock, migrant_clerk, head):
    """November 2026, handled for real: service 3 late and rated bad, 5 left open, 7 in time."""
    clock.today = dt.date(2026, 11, 2)  # Monday
    review, consult, check = _apply(3), _apply(5), _apply(7)
    assert (review.due_on, consult.due_on, check.due_on) == (
        dt.date(2026, 11, 9),
        dt.date(2026, 11, 9),
        dt.date(2026, 11, 5),
    )
    clock.today = dt.date(2026, 11, 4)
    check = application_complete(actor=head, application=check, result="已安排检查")
    rating_submit(application=check, level=4)
    clock.today = dt.date(2026, 11, 12)
    review = application_complete(actor=migrant_clerk, application=review, result="无记录")
    rating_submit(application=review, level=2, reason="超过承诺时限")
    clock.today = dt.date(2026, 12, 1)
    _apply(3)  # December: not in November's figures
    return clock


EXPECTED_NOVEMBER = {
    3: {"applications": 1, "completed": 1, "overdue": 1, "rating": 2.0},
    5: {"applications": 1, "completed": 0, "overdue": 1, "rating": None},
    7: {"applications": 1, "completed": 1, "overdue": 0, "rating": 4.0},
}
ZERO = {"applications": 0, "completed": 0, "overdue": 0, "rating": None}


def test_status_json_matches_the_applications_handled(handled, capsys):
    assert main(["services", "status", "--period", "2026-11", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["number"] for r in rows] == list(range(1, 13))
    assert set(rows[0]) == {"number", "name", "applications", "completed", "overdue", "rating"}
    assert rows[2]["name"] == "县直部门计生审查"
    for r in rows:
        expected = EXPECTED_NOVEMBER.get(r["number"], ZERO)
        assert {k: r[k] for k in expected} == expected, r["number"]


def test_status_of_another_month(handled, capsys):
    assert main(["services", "status", "--period", "2026-12", "--format", "json"]) == 0
    rows = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[3]["applications"] == 1 and rows[3]["overdue"] == 0
    assert sum(r["applications"] for r in rows.values()) == 1


def test_status_refuses_a_bad_period(capsys):
    assert main(["services", "status", "--period", "2026-13", "--format", "json"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_api_status_is_the_same_and_needs_the_permission(handled, head, staff_a):
    response = _api(head).get("/api/service-status/", {"period": "2026-11"})
    assert response.status_code == 200
    rows = {r["number"]: r for r in response.json()}
    assert rows[3]["overdue"] == 1 and rows[7]["rating"] == 4.0
    assert _api(staff_a).get("/api/service-status/", {"period": "2026-11"}).status_code == 403
    assert _api(head).get("/api/service-status/", {"period": "11/2026"}).status_code == 400


def test_the_guides_are_public_in_the_api():
    response = _api().get("/api/service-guides/")
    assert response.status_code == 200
    assert [g["number"] for g in response.json()] == list(range(1, 13))
    assert all(g["guide"]["fee"] == "免费" for g in response.json())


def test_the_api_scopes_applications_to_the_section(clock, migrant_clerk, section_staff, head):
    clock.today = dt.date(2026, 12, 1)
    a = _apply(3)
    assert [
        r["reference"]
        for r in _api(migrant_clerk).get("/api/service-applications/").json()["results"]
    ] == [a.reference]
    assert _api(section_staff).get("/api/service-applications/").json()["results"] == []
    assert _api(section_staff).get(f"/api/service-applications/{a.pk}/").status_code == 404
    done = _api(migrant_clerk).post(
        f"/api/service-applications/{a.pk}/complete/", {"result": "经核查无记录"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "completed"
    created = _api(head).post(
        "/api/service-applications/",
        {"service_number": 5, "applicant_name": "王某", "content": "咨询再生育政策"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["receipt_code"]
    assert created.json()["section"] == "政策法规股"
    bad = _api(head).post(
        "/api/service-applications/",
        {"service_number": 11, "applicant_name": "王某", "content": "办理登记卡"},
        format="json",
    )
    assert bad.status_code == 400 and "service_number" in bad.json()


def test_reverse_names_exist():
    assert reverse("api:service-guide-list") == "/api/service-guides/"


def test_status_counts_the_certificates_of_services_10_to_12(
    clock, staff_a, section_staff, village_a, capsys
):
    from tests import factories
    from zeren.certificates.models import CertificateType
    from zeren.certificates.services import certificate_issue, certificate_register

    migrant = CertificateType.objects.get(code="migrant")
    facts = {"marital_status": "已婚", "children": "1", "destination": "北京市"}
    clock.today = dt.date(2026, 11, 2)
    on_time, late, _waiting = (
        certificate_register(
            actor=staff_a,
            type=migrant,
            holder=factories.person(actor=staff_a, division=village_a, name=name),
            facts=facts,
            applied_on=dt.date(2026, 11, 2),
        )
        for name in ("甲", "乙", "丙")
    )
    clock.today = dt.date(2026, 11, 10)  # issuing is a fact: not dated after today
    certificate_issue(actor=section_staff, certificate=on_time, on=dt.date(2026, 11, 9))  # day 5
    certificate_issue(actor=section_staff, certificate=late, on=dt.date(2026, 11, 10))  # day 6
    clock.today = dt.date(2026, 12, 1)  # the third still waits, past its due day (11-09)
    assert main(["services", "status", "--period", "2026-11", "--format", "json"]) == 0
    rows = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[10] == {
        "number": 10,
        "name": "流动人口婚育证明",
        "applications": 3,
        "completed": 2,
        "overdue": 2,
        "rating": None,
    }
    assert rows[11]["applications"] == rows[12]["applications"] == 0
