"""Pages, exports, the API and reports: scope, masking and the reporter's identity."""

from __future__ import annotations

import io

import pytest

from tests.conftest import login
from tests.supervision.conftest import make_permits, regime
from zeren.core.models import SecurityEvent
from zeren.supervision.models import InspectionTask, Report
from zeren.supervision.services import report_take, sampling_plan_commit, sampling_plan_draw

pytestmark = pytest.mark.django_db


def _draw(actor, code, division, period="2026-03"):
    plan = sampling_plan_commit(actor=actor, regime=regime(code), period=period, division=division)
    return sampling_plan_draw(actor=actor, plan=plan)


def test_the_bureau_dashboard_shows_every_township_and_no_subjects(head, township_a, township_b):
    make_permits(township_a, 7)
    _draw(head, "termination-followup", township_a)
    page = login(head).get("/staff/supervision/?period=2026-03").content.decode()
    assert township_a.name in page and township_b.name in page
    assert "无检查对象" in page and "0%" not in page.split("无检查对象")[0][-200:]


def test_a_township_dashboard_shows_only_its_own(staff_a, head, township_a, township_b):
    make_permits(township_a, 3)
    make_permits(township_b, 3)
    _draw(head, "termination-followup", township_a)
    plan_b = _draw(head, "termination-followup", township_b)
    client = login(staff_a)
    page = client.get("/staff/supervision/?period=2026-03").content.decode()
    assert township_a.name in page and township_b.name not in page
    assert client.get(f"/staff/supervision/plans/{plan_b.pk}/").status_code == 404
    rows = client.get("/staff/supervision/?period=2026-03&format=json").json()
    assert {r["township"] for r in rows} == {township_a.code}
    assert {
        r["township"] for r in client.get("/api/supervision/status/?period=2026-03").json()
    } == {township_a.code}
    assert [p["scope"] for p in client.get("/api/supervision/plans/").json()["results"]] == [
        township_a.code
    ]


def test_the_excel_export(head, township_a):
    from python_calamine import CalamineWorkbook

    make_permits(township_a, 7)
    _draw(head, "termination-followup", township_a)
    response = login(head).get("/staff/supervision/?period=2026-03&format=xlsx")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    row = next(r for r in rows if r[0] == "termination-followup" and r[2] == township_a.code)
    assert row[4:9] == [7, 6, 6, 0, 0]
    assert SecurityEvent.objects.filter(kind="export").exists()


def test_drawing_from_the_dashboard_and_verifying_on_the_plan_page(head, township_a):
    make_permits(township_a, 5)
    client = login(head)
    response = client.post(
        "/staff/supervision/draw/",
        {
            "regime": "termination-followup",
            "period": "2026-03",
            "township": township_a.pk,
            "round": 1,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"] + "?verify=1").content.decode()
    assert "核对通过" in page


def test_recording_a_result_on_the_task_page(staff_a, head, township_a):
    make_permits(township_a, 2)
    task = _draw(head, "termination-followup", township_a).tasks.first()
    client = login(staff_a)
    client.post(
        f"/staff/supervision/tasks/{task.pk}/record/",
        {"visit_date": "2026-03-05", "result": "conforming", "evidence": "入户随访"},
    )
    task.refresh_from_db()
    assert task.result == "conforming"


def test_the_public_reports_without_login_and_a_task_opens_at_once(
    public, section_staff, township_a
):
    permit = make_permits(township_a, 1)[0]
    response = public.post(
        "/supervision/report/",
        {
            "kind": "report",
            "township": township_a.pk,
            "permit_number": permit.number,
            "content": "持证人已离婚且未怀孕，仍持有再生育证",
            "reporter_name": "王五",
            "reporter_phone": "13900001111",
        },
    )
    assert response.status_code == 200 and "受理编号" in response.content.decode()
    report = Report.objects.get()
    assert report.permit == permit and report.task is not None
    assert InspectionTask.objects.get(pk=report.task_id).plan is None
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_phone FROM supervision_report WHERE id = %s", [report.pk])
        raw = cursor.fetchone()[0]
    assert "13900001111" not in raw  # encrypted at rest


def test_the_reporters_identity_is_only_for_the_handler(section_staff, head, township_a):
    from zeren.supervision.services import report_submit

    report = report_submit(
        actor=None,
        kind="complaint",
        township=township_a,
        content="审批拖延不予答复",
        reporter_name="赵六",
        reporter_phone="13900002222",
    )
    other = login(head).get(f"/staff/supervision/reports/{report.pk}/?reveal=1").content.decode()
    assert "赵六" not in other and "13900002222" not in other and "仅承办人可见" in other
    listing = login(head).get("/staff/supervision/reports/").content.decode()
    assert "赵六" not in listing
    report_take(actor=section_staff, report=report)
    mine = (
        login(section_staff)
        .get(f"/staff/supervision/reports/{report.pk}/?reveal=1")
        .content.decode()
    )
    assert "赵六" in mine and "13900002222" in mine
    assert SecurityEvent.objects.filter(kind="reveal", username="clerk").exists()


def test_a_township_cannot_see_another_townships_reports(staff_b, township_a):
    from zeren.supervision.services import report_submit

    report = report_submit(actor=None, kind="report", township=township_a, content="某某违规办证")
    client = login(staff_b)
    assert client.get(f"/staff/supervision/reports/{report.pk}/").status_code == 404
    assert report.reference not in client.get("/staff/supervision/reports/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/staff/supervision/plans/",
        "/staff/supervision/tasks/",
        "/staff/core/inbox/",
        "/staff/supervision/regimes/",
        "/staff/supervision/conflicts/",
        "/staff/supervision/reports/new/",
    ],
)
def test_the_other_pages_render(head, url):
    assert login(head).get(url).status_code == 200


def test_the_public_gets_no_staff_pages(public):
    response = public.get("/staff/supervision/")
    assert response.status_code == 302
    assert public.get("/api/supervision/status/?period=2026-03").status_code in (401, 403)
