"""Worked examples of the public services' rules (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from zeren.core.workdays import WorkCalendar
from zeren.publicservices import rules


def test_the_five_levels_are_those_of_the_rating_system():
    # 国办发〔2019〕51号: 非常满意、满意、基本满意、不满意、非常不满意.
    assert [rules.RATING_LEVELS[n] for n in (5, 4, 3, 2, 1)] == [
        "非常满意",
        "满意",
        "基本满意",
        "不满意",
        "非常不满意",
    ]


@pytest.mark.parametrize(
    ("level", "bad"), [(5, False), (4, False), (3, False), (2, True), (1, True)]
)
def test_only_the_two_lowest_levels_are_bad_ratings(level, bad):
    assert rules.rating_is_bad(level) is bad


@pytest.mark.parametrize("level", [0, 6, -1])
def test_a_level_outside_one_to_five_is_refused(level):
    with pytest.raises(ValueError, match="1至5"):
        rules.rating_is_bad(level)


def _calendar() -> WorkCalendar:
    from zeren.core import workdays

    return workdays.calendar()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # An ordinary week: Tuesday + 5 working days = next Tuesday.
        (dt.date(2026, 12, 1), 5, dt.date(2026, 12, 8)),
        # Friday + 1: the weekend does not count.
        (dt.date(2026, 12, 4), 1, dt.date(2026, 12, 7)),
        # National Day 2026 (1-7 October off, Saturday 10 October worked): 30 September + 5
        # working days = 8, 9, 10, 12, 13 October.
        (dt.date(2026, 9, 30), 5, dt.date(2026, 10, 13)),
        # The bad-rating follow-up: 15 working days after Tuesday 1 December 2026.
        (dt.date(2026, 12, 1), 15, dt.date(2026, 12, 22)),
    ],
)
def test_due_day_counts_working_days_after_receipt(received, days, due):
    assert rules.due_on(received, days, _calendar().add_working_days) == due


def test_no_time_limit_means_no_due_day():
    assert rules.due_on(dt.date(2026, 12, 1), None, lambda d, n: d) is None


@pytest.mark.parametrize(
    ("due", "finished", "today", "late"),
    [
        (dt.date(2026, 12, 8), None, dt.date(2026, 12, 8), False),  # last day, still in time
        (dt.date(2026, 12, 8), None, dt.date(2026, 12, 9), True),  # open past the due day
        (dt.date(2026, 12, 8), dt.date(2026, 12, 8), dt.date(2027, 1, 1), False),
        (dt.date(2026, 12, 8), dt.date(2026, 12, 9), dt.date(2026, 12, 9), True),
        (None, None, dt.date(2030, 1, 1), False),
    ],
)
def test_overdue(due, finished, today, late):
    assert rules.is_overdue(due, finished, today) is late


def test_receipt_numbers_carry_the_date_and_the_days_serial():
    ref = rules.reference_new(dt.date(2026, 12, 1), 42)
    assert ref == "FW20261201000042"
    with pytest.raises(ValueError):
        rules.reference_new(dt.date(2026, 12, 1), 1_000_000)
