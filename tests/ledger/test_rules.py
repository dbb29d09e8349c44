"""A work item's status in a period: worked examples, one row each.

The cadences come from the list's own words (yearly plans, monthly statistics, warnings on
event, continuous coordination); the unit each is judged in is the ledger's rule (docs/ledger.md).
"""

from __future__ import annotations

import datetime as dt

import pytest

from zeren.ledger.rules import period_status
from zeren.statistics.rules import parse_period

ALL_2026 = {(2026, m) for m in range(1, 13)}

EXAMPLES = [
    # cadence, period, months with records, status
    ("monthly", "2026", ALL_2026, "performed"),  # every month reported
    ("monthly", "2026", ALL_2026 - {(2026, 7)}, "partial"),  # July missing
    ("monthly", "2026", set(), "silent"),
    ("monthly", "2026-03", {(2026, 3)}, "performed"),
    ("monthly", "2026-03", {(2026, 4)}, "silent"),  # April is outside March
    ("monthly", "2026-Q2", {(2026, 4), (2026, 6)}, "partial"),  # May missing
    ("continuous", "2026", {(2026, 1), (2026, 5), (2026, 8), (2026, 11)}, "performed"),
    ("continuous", "2026", {(2026, 1), (2026, 2), (2026, 3)}, "partial"),  # Q1 only
    ("continuous", "2026-Q2", {(2026, 6)}, "performed"),
    ("continuous", "2026-04", set(), "n/a"),  # a quarter cannot be judged in a month
    ("continuous", "2026-04", {(2026, 4)}, "performed"),
    ("yearly", "2026", {(2026, 12)}, "performed"),  # the plan, in December
    ("yearly", "2026", set(), "silent"),
    ("yearly", "2026-Q1", set(), "n/a"),  # the year's plan may come later
    ("yearly", "2026-Q1", {(2026, 2)}, "performed"),
    ("event", "2026", set(), "n/a"),  # no warning was called for
    ("event", "2026-05", {(2026, 5)}, "performed"),
    ("yearly", "2025", {(2026, 1)}, "silent"),  # January 2026 is not in 2025
]


@pytest.mark.parametrize(("cadence", "period", "months", "expected"), EXAMPLES)
def test_status_by_cadence(cadence, period, months, expected):
    p = parse_period(period)
    assert period_status(cadence, p.start, p.end, months) == expected


def test_an_unknown_cadence_is_refused():
    with pytest.raises(ValueError, match="未知的履职要求"):
        period_status("weekly", dt.date(2026, 1, 1), dt.date(2026, 12, 31), set())
