"""CLI, API and pages: the shapes the issue states, scoped to the caller, identities masked."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import login
from tests.statistics.conftest import HEADER, make_births, make_mother, sheet
from zeren.cli import main
from zeren.core.models import SecurityEvent
from zeren.statistics.models import Birth, ManualScore, Threshold

DAY = dt.date(2026, 5, 10)


@pytest.fixture
def births(db, village_a, village_b):
    Threshold.objects.update(minimum_births=10)
    make_births(village_a, boys=13, girls=10, day=DAY)  # 130.00 red
    make_births(village_b, boys=21, girls=20, day=DAY)  # 105.00 green


def test_cli_srb_prints_the_stated_json(capsys, births, township_a, township_b):
    assert main(["statistics", "srb", "--period", "2026-Q2", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by = {r["township"]: r for r in rows}
    assert by[township_a.code] == {
        "township": township_a.code,
        "boys": 13,
        "girls": 10,
        "ratio": 130.0,
        "level": "red",
    }
    assert by[township_b.code]["level"] == "green"
    assert by["130525"]["boys"] == 34
    assert all(set(r) == {"township", "boys", "girls", "ratio", "level"} for r in rows)
    quiet = [r for r in rows if r["township"] not in (township_a.code, township_b.code, "130525")]
    assert all(r["ratio"] is None and r["level"] is None for r in quiet)


def test_cli_srb_refuses_a_bad_period(capsys, db):
    assert main(["statistics", "srb", "--period", "2026-Q7"]) == 2
    assert "错误：期间应为" in capsys.readouterr().err


def test_cli_import_births(tmp_path, capsys, village_a):
    m = make_mother(village_a)
    good = tmp_path / "births.xlsx"
    good.write_bytes(
        sheet([HEADER, [m.id_number, m.name, "女", "2026-01-05", 1, "隆尧镇", village_a.name, ""]])
    )
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        sheet([HEADER, [m.id_number, m.name, "女", "2026-01-05", 2, "隆尧镇", "无此村", ""]])
    )
    assert main(["statistics", "import-births", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "第2行「村」" in err and "未导入任何数据" in err
    assert main(["statistics", "import-births", str(good)]) == 0
    assert "已导入出生登记 1 条" in capsys.readouterr().out
    assert Birth.objects.count() == 1


def test_cli_assess(capsys, section_staff, township_a):
    from zeren.statistics.models import AssessmentItem
    from zeren.statistics.services import manual_score_set

    manual_score_set(
        actor=section_staff,
        item=AssessmentItem.objects.get(scheme__year=2026, code="reports"),
        township=township_a,
        points="16",
        reason="报表及时",
    )
    assert main(["statistics", "assess", "--year", "2026", "--format", "json"]) == 0
    cards = json.loads(capsys.readouterr().out)
    first = cards[0]
    assert (first["township"], first["total"], first["rate"], first["rank"]) == (
        township_a.code,
        16.0,
        80.0,
        1,
    )
    assert [i["points"] for i in first["items"]] == [None, None, None, 16.0, None]
    assert main(["statistics", "assess", "--year", "2031"]) == 2


def test_api_births_are_scoped_and_masked(staff_a, head, births, village_a, village_b):
    data = login(staff_a).get("/api/statistics/births/").json()
    results = data["results"]
    assert len(results) == 23
    assert {r["township"] for r in results} == {village_a.parent.code}
    sample = Birth.objects.filter(township=village_a.parent).select_related("mother").first()
    assert all("*" in r["mother_id_number_masked"] for r in results)
    assert sample.mother.id_number not in json.dumps(data)
    page = login(head).get("/api/statistics/births/").json()
    assert {r["township"] for r in page["results"]} == {
        village_a.parent.code,
        village_b.parent.code,
    }


def test_api_indicators_and_scorecards(staff_a, head, births, township_a):
    rows = login(head).get("/api/statistics/indicators/?period=2026").json()
    assert {r["township"]: r["level"] for r in rows}[township_a.code] == "red"
    own = login(staff_a).get("/api/statistics/indicators/?period=2026").json()
    assert [r["township"] for r in own] == [township_a.code]
    assert login(head).get("/api/statistics/indicators/?period=26").status_code == 400
    cards = login(staff_a).get("/api/statistics/scorecards/?year=2026").json()
    assert [c["township"] for c in cards] == [township_a.code]
    assert login(head).get("/api/statistics/scorecards/?year=x").status_code == 400


def test_api_refuses_partners(partner, births):
    assert login(partner).get("/api/statistics/indicators/?period=2026").status_code == 403
    assert login(partner).get("/api/statistics/births/").status_code == 403


def test_dashboard_shows_levels_and_exports(head, staff_a, births, township_b):
    page = login(head).get("/staff/statistics/?period=2026").content.decode()
    assert "130.00" in page and "警报" in page and township_b.name in page
    own = login(staff_a).get("/staff/statistics/?period=2026").content.decode()
    assert township_b.name not in own
    xlsx = login(head).get("/staff/statistics/?period=2026&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    data = login(head).get("/staff/statistics/?period=2026&format=json").json()
    assert any(r["level"] == "red" for r in data)
    assert SecurityEvent.objects.filter(kind="export").count() == 2


def test_dashboard_upload_imports_or_reports_every_error(staff_a, village_a):
    m = make_mother(village_a)
    client = login(staff_a)
    bad = sheet([HEADER, [m.id_number, m.name, "未知", "2026-01-05", 1, "隆尧镇", village_a.name]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/staff/statistics/births/import/",
        {"file": SimpleUploadedFile("b.xlsx", bad)},
        follow=True,
    )
    assert "第2行「婴儿性别」" in response.content.decode()
    assert Birth.objects.count() == 0
    good = sheet([HEADER, [m.id_number, m.name, "女", "2026-01-05", 1, "隆尧镇", village_a.name]])
    response = client.post(
        "/staff/statistics/births/import/",
        {"file": SimpleUploadedFile("b.xlsx", good)},
        follow=True,
    )
    assert "已导入出生登记 1 条" in response.content.decode()


def test_assessment_page_scoring_and_export(section_staff, staff_a, township_a, township_b):
    from zeren.statistics.models import AssessmentItem

    reports = AssessmentItem.objects.get(scheme__year=2026, code="reports")
    client = login(section_staff)
    response = client.post(
        "/staff/statistics/assessment/score/",
        {"item": reports.pk, "township": township_b.pk, "points": "17.5", "reason": "报表按时"},
        follow=True,
    )
    assert "已录入" in response.content.decode()
    assert ManualScore.objects.get().points == 17.5
    page = client.get("/staff/statistics/assessment/?year=2026").content.decode()
    assert "17.50" in page and "人工评分" in page
    own = login(staff_a).get("/staff/statistics/assessment/?year=2026").content.decode()
    assert township_b.name not in own and "人工评分" not in own
    refused = login(staff_a).post(
        "/staff/statistics/assessment/score/",
        {"item": reports.pk, "township": township_a.pk, "points": "20", "reason": "自评"},
    )
    assert refused.status_code == 403
    assert not ManualScore.objects.filter(township=township_a).exists()
    xlsx = client.get("/staff/statistics/assessment/?year=2026&format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_pages_need_the_permission(partner, public):
    assert login(partner).get("/staff/statistics/").status_code == 403
    assert public.get("/staff/statistics/").status_code == 302
