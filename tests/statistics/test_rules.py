"""Statistics arithmetic, table-driven with the worked examples written out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zeren.statistics import rules

D = Decimal


@pytest.mark.parametrize(
    ("boys", "girls", "expected"),
    [
        (107, 100, D("107.00")),  # 107 ÷ 100 × 100
        (103, 100, D("103.00")),
        (100, 100, D("100.00")),
        (1, 3, D("33.33")),  # 33.333… rounds down
        (2, 3, D("66.67")),  # 66.666… rounds up
        (211, 200, D("105.50")),
        (1, 8, D("12.50")),
        (12345, 11700, D("105.51")),  # 105.5128…
        (0, 5, D("0.00")),
        (5, 0, None),  # no girls: no ratio, not a division error
        (0, 0, None),
    ],
)
def test_sex_ratio_is_boys_per_hundred_girls(boys, girls, expected):
    assert rules.sex_ratio(boys, girls) == expected


def test_sex_ratio_refuses_negative_counts():
    with pytest.raises(ValueError):
        rules.sex_ratio(-1, 5)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (10, 100, D("10.00")),
        (1, 3, D("33.33")),
        (2, 3, D("66.67")),
        (0, 9, D("0.00")),
        (0, 0, None),
    ],
)
def test_percent(part, whole, expected):
    assert rules.percent(part, whole) == expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026-q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),  # leap year
        ("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ],
)
def test_periods_run_from_first_to_last_day(text, start, end):
    period = rules.parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["", "26", "2026-13", "2026-Q5", "2026-00", "1900", "2026/01"])
def test_bad_periods_are_refused(text):
    with pytest.raises(rules.InvalidPeriod):
        rules.parse_period(text)


def test_the_periods_containing_a_day():
    assert rules.periods_containing(dt.date(2026, 5, 31)) == ["2026-05", "2026-Q2", "2026"]


SRB = rules.Bands(D(103), D(107), D(100), D(110))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("103.00"), "green"),  # both ends of the normal range are normal
        (D("105.50"), "green"),
        (D("107.00"), "green"),
        (D("107.01"), "amber"),
        (D("102.99"), "amber"),
        (D("100.00"), "amber"),
        (D("110.00"), "amber"),
        (D("110.01"), "red"),
        (D("99.99"), "red"),
        (D("130.00"), "red"),
        (None, None),
    ],
)
def test_warning_level_of_a_sex_ratio(value, expected):
    assert rules.level(value, SRB) == expected


@pytest.mark.parametrize(
    ("births", "minimum", "expected"), [(99, 100, False), (100, 100, True), (0, 0, True)]
)
def test_small_numbers_are_unreliable(births, minimum, expected):
    assert rules.reliable(births, minimum) is expected


@pytest.mark.parametrize(
    ("maximum", "met", "total", "expected"),
    [
        (D(20), 12, 12, D("20.00")),
        (D(20), 9, 12, D("15.00")),
        (D(20), 1, 3, D("6.67")),
        (D(20), 0, 4, D("0.00")),
        (D(20), 0, 0, None),  # no indicators: no data, not zero
    ],
)
def test_supervision_score_is_the_share_met(maximum, met, total, expected):
    assert rules.share_score(maximum, met, total) == expected


@pytest.mark.parametrize(
    ("maximum", "deducted", "has_data", "expected"),
    [
        (D(20), D(0), True, D("20.00")),
        (D(20), D("3.5"), True, D("16.50")),
        (D(20), D(25), True, D("0.00")),  # never below zero
        (D(20), D(0), False, None),
    ],
)
def test_funds_score_is_full_points_less_deductions(maximum, deducted, has_data, expected):
    assert rules.deduction_score(maximum, deducted, has_data) == expected


@pytest.mark.parametrize(
    ("maximum", "average", "full", "expected"),
    [
        (D(20), D(97), D(100), D("19.40")),
        (D(20), D("88.5"), D(100), D("17.70")),
        (D(15), D(100), D(100), D("15.00")),
        (D(20), None, D(100), None),
    ],
)
def test_cases_score_scales_the_average_review(maximum, average, full, expected):
    assert rules.average_score(maximum, average, full) == expected


@pytest.mark.parametrize(
    ("total", "available", "expected"),
    [(D(80), D(100), D("80.00")), (D(35), D(40), D("87.50")), (D(0), D(0), None)],
)
def test_score_rate_counts_only_items_with_data(total, available, expected):
    assert rules.rate(total, available) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([D(90), D(80), D(70)], [1, 2, 3]),
        ([D(80), D(90), D(80), D(70)], [2, 1, 2, 4]),  # ties share a place, the next skips
        ([None, D(50)], [None, 1]),
        ([], []),
    ],
)
def test_ranking(values, expected):
    assert rules.rank(values) == expected
