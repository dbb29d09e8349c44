"""``zeren cases clock``: the what-if calculator prints what ``zeren cases deadlines`` prints."""

from __future__ import annotations

import json

import pytest

from zeren.cli import main

pytestmark = pytest.mark.django_db

WORKED_EXAMPLE = [
    "cases",
    "clock",
    "--kind",
    "penalty",
    "--filed-on",
    "2026-02-01",
    "--decided-on",
    "2026-03-25",
    "--served-on",
    "2026-04-01",
    "--reminder-served-on",
    "2026-09-01",
    "--today",
    "2026-10-09",
    "--format",
    "json",
]


def _doc(capsys, args) -> dict:
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_the_worked_example_of_the_court_window(capsys):
    # Served 2026-04-01: litigation 6 months ends 2026-10-01, National Day → 2026-10-08;
    # review 60 days ends 05-31 (Sun) → 06-01; the reminder of 09-01 waited 10 working days
    # (to 09-15). Earliest application 2026-10-09; the last day, 3 months after 10-08, falls
    # in 2027, whose schedule is not entered: pending, with the calendar-day bound.
    doc = _doc(capsys, WORKED_EXAMPLE)
    by_key = {d["key"]: d for d in doc["deadlines"]}
    assert {"limitation", "decision", "service", "payment", "litigation", "review", "court"} <= set(
        by_key
    )
    assert by_key["litigation"]["due"] == "2026-10-08"
    assert by_key["review"]["due"] == "2026-06-01"
    court = by_key["court"]
    assert court["earliest"] == "2026-10-09"
    assert court["due"] is None
    assert court["pending"] == "待定：2027年节假日安排未录入"
    assert court["bound"] == "2027-01-08"
    assert "行政强制法第五十三条" in court["source"] and court["arithmetic"]
    assert by_key["service"]["legal_due"] == "2026-04-03"  # the law; due is the list's 04-01
    assert by_key["service"]["due"] == "2026-04-01"


def test_the_court_window_is_recomputed_when_2027_is_entered(capsys):
    import datetime as dt

    from zeren.core.models import CalendarDay, CalendarYear

    CalendarYear.objects.create(year=2027, source="测试：假设的2027年安排")
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), kind="rest", name="元旦")
    court = {d["key"]: d for d in _doc(capsys, WORKED_EXAMPLE)["deadlines"]}["court"]
    assert (court["due"], court["pending"]) == ("2027-01-08", None)  # a Friday


def test_clock_has_the_same_shape_as_deadlines(capsys, file_case, walk):
    case = walk(file_case(), "notified")
    assert main(["cases", "deadlines", case.number, "--format", "json"]) == 0
    case_doc = json.loads(capsys.readouterr().out)
    clock_doc = _doc(capsys, WORKED_EXAMPLE)
    assert set(case_doc["deadlines"][0]) <= set(clock_doc["deadlines"][0]) | {"party_right"}
    assert case_doc["rule_set"].keys() == clock_doc["rule_set"].keys()


def test_publication_is_deemed_served_after_the_period_in_force(capsys):
    doc = _doc(
        capsys,
        [
            "cases", "clock", "--kind", "fee", "--filed-on", "2021-06-01",
            "--decided-on", "2021-12-20", "--served-on", "2021-12-31",
            "--service", "publication", "--format", "json",
        ],
    )  # fmt: skip
    by_key = {d["key"]: d for d in doc["deadlines"]}
    # Published 2021-12-31: 60 days (the 30 days apply from 2022-01-01) → 2022-03-01;
    # the fee is due 30 days later: 2022-03-31 (Thu).
    assert by_key["service_deemed"]["due"] == "2022-03-01"
    assert by_key["payment"]["due"] == "2022-03-31"


def test_clock_refuses_dates_out_of_order(capsys):
    args = ["cases", "clock", "--kind", "penalty", "--filed-on", "2026-03-01"]
    assert main([*args, "--decided-on", "2026-02-01"]) == 2
    assert "日期先后不合理" in capsys.readouterr().err
    assert main([*args, "--served-on", "2026-03-05"]) == 2


# -- the officers' what-if page --------------------------------------------------------
def test_the_what_if_page_shows_the_worked_example_pending(officer1):
    from tests.conftest import login

    client = login(officer1)
    assert "/staff/cases/clock/" in client.get("/staff/cases/").content.decode()
    page = client.get(
        "/staff/cases/clock/",
        {
            "kind": "penalty",
            "filed_on": "2026-02-01",
            "decided_on": "2026-03-25",
            "served_on": "2026-04-01",
            "service": "direct",
            "reminder_served_on": "2026-09-01",
            "today": "2026-10-09",
        },
    ).content.decode()
    court = page.split('data-key="court"')[1].split("</tr>")[0]
    assert "待定：2027年节假日安排未录入" in court and "2027-01-08" in court
    assert "最早 2026-10-09" in court
    litigation = page.split('data-key="litigation"')[1].split("</tr>")[0]
    assert "2026-10-08" in litigation and "顺延至2026-10-08" in litigation
    service = page.split('data-key="service"')[1].split("</tr>")[0]
    assert "2026-04-01" in service and "2026-04-03" in service  # 建议办理日, 法定届满日


def test_the_what_if_page_refuses_dates_out_of_order(officer1):
    from tests.conftest import login

    page = login(officer1).get(
        "/staff/cases/clock/",
        {"kind": "penalty", "filed_on": "2026-03-01", "decided_on": "2026-02-01"},
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "日期先后不合理" in body and 'id="clock-result"' not in body


def test_the_what_if_page_needs_a_login(client):
    assert client.get("/staff/cases/clock/").status_code == 302
