"""Years and periods typed by people: four ASCII digits within 1950..2100, refused in Chinese
(never a server error, never echoed back in full-width or Arabic-Indic digits)."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.ledger.conftest import item
from zeren.ledger.models import Plan
from zeren.statistics.rules import InvalidPeriod, parse_period, parse_year

BAD_PERIODS = [
    ("9999", "不能晚于2100年"),
    ("9999-Q4", "不能晚于2100年"),
    ("9999-12", "不能晚于2100年"),
    ("2101", "不能晚于2100年"),
    ("1949", "不能早于1950年"),
    ("０２０２", "期间应为"),
    ("９９９９", "期间应为"),
    ("٢٠٢٦", "期间应为"),
    ("２０２６-Q1", "期间应为"),
    ("2026-１２", "期间应为"),
]


@pytest.mark.parametrize("text, message", BAD_PERIODS)
def test_parse_period_refuses_far_years_and_non_ascii_digits(text, message):
    with pytest.raises(InvalidPeriod, match=message):
        parse_period(text)


@pytest.mark.parametrize(
    "text, first, last",
    [("2100-12", "2100-12-01", "2100-12-31"), ("1950", "1950-01-01", "1950-12-31")],
)
def test_parse_period_accepts_the_bounds(text, first, last):
    period = parse_period(text)
    assert (str(period.start), str(period.end)) == (first, last)


@pytest.mark.parametrize(
    "text, message",
    [
        ("0000", "不能早于1950年"),
        ("9999", "不能晚于2100年"),
        ("２０２６", "年度应为四位数字"),
        ("٢٠٢٦", "年度应为四位数字"),
        ("26", "年度应为四位数字"),
        ("2026-Q1", "年度应为四位数字"),
    ],
)
def test_parse_year_refuses(text, message):
    with pytest.raises(InvalidPeriod, match=message):
        parse_year(text)


def test_parse_year_blank_is_the_default():
    assert parse_year("", default=2026) == 2026 and parse_year(" 2031 ") == 2031


@pytest.mark.parametrize("period", ["9999", "9999-Q4", "9999-12", "９９９９", "٢٠٢٦", "２０２６"])
def test_the_status_api_refuses_bad_periods_in_chinese(expectations, head, period):
    answer = login(head).get("/api/ledger/status/", {"period": period})
    assert answer.status_code == 400
    text = answer.json()["period"][0]
    assert "期间" in text and period not in text


@pytest.mark.parametrize(
    "url",
    [
        "/staff/ledger/?year=9999",
        "/staff/ledger/?year=２０２６",
        "/staff/ledger/?year=0000",
        "/staff/ledger/period/?period=9999",
        "/staff/ledger/period/?period=٢٠٢٦",
    ],
)
def test_the_ledger_pages_refuse_bad_years_with_a_message(expectations, head, url):
    answer = login(head).get(url, follow=True)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "年" in html and ("不能" in html or "应为" in html)


def test_the_item_page_refuses_a_far_period(expectations, section_staff):
    target = item(3, 4)
    answer = login(section_staff).get(f"/staff/ledger/items/{target.pk}/?period=9999-12")
    assert answer.status_code in (302, 404)


@pytest.mark.parametrize("year", ["9999", "0000", "２０２６", "abcd"])
def test_the_summary_and_plans_pages_answer_404_for_a_bad_year(expectations, head, year):
    client = login(head)
    assert client.get(f"/staff/ledger/summary/?year={year}").status_code == 404
    assert client.get(f"/staff/ledger/plans/?year={year}").status_code == 404


@pytest.mark.parametrize(
    "year, message",
    [("２０２６", "年度应为四位数字"), ("9999", "不能晚于2100年"), ("0000", "不能早于1950年")],
)
def test_plan_years_are_ascii_and_bounded_in_the_api_and_the_form(
    expectations, section_staff, year, message
):
    client = login(section_staff)
    data = {
        "work_item": item(2, 1).pk,
        "year": year,
        "title": "计划",
        "responsible": section_staff.pk,
    }
    api = client.post("/api/ledger/plans/", data, content_type="application/json")
    assert api.status_code == 400 and message in api.json()["year"][0]
    page = client.post("/staff/ledger/plans/", data)
    assert page.status_code == 200 and message in page.content.decode()
    assert not Plan.objects.exists()
    assert client.get("/api/ledger/plans/", {"year": year}).status_code == 400
