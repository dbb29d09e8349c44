"""Assistance arithmetic, with the worked examples written out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zeren.funds import rules
from zeren.funds.rules import RateRow

D = dt.date
RATES = [
    RateRow("reward", "", Decimal(600), "year", D(2004, 1, 1), D(2008, 12, 31)),
    RateRow("reward", "", Decimal(720), "year", D(2009, 1, 1), D(2011, 12, 31)),
    RateRow("reward", "", Decimal(960), "year", D(2012, 1, 1)),
    RateRow("special_death", "urban", Decimal(340), "month", D(2014, 1, 1)),
    RateRow("special_death", "rural", Decimal(170), "month", D(2014, 1, 1)),
    RateRow("special_disability", "urban", Decimal(270), "month", D(2014, 1, 1)),
    RateRow("special_disability", "rural", Decimal(150), "month", D(2014, 1, 1)),
]
TOPUP = RateRow("reward", "", Decimal(100), "year", D(2020, 1, 1), level="provincial")


@pytest.mark.parametrize(
    "kind, residence, start, end, start_date, until, expected",
    [
        # Reward: 960 a year since 2012, a full year.
        ("reward", "rural", D(2026, 1, 1), D(2026, 12, 31), D(2010, 1, 1), None, "960.00"),
        # 720 a year in 2010, 600 in 2005.
        ("reward", "rural", D(2010, 1, 1), D(2010, 12, 31), D(2008, 1, 1), None, "720.00"),
        ("reward", "rural", D(2005, 1, 1), D(2005, 12, 31), D(2004, 1, 1), None, "600.00"),
        # 2011-07..2012-06 spans the raise: 6 x 60 + 6 x 80 = 840.
        ("reward", "rural", D(2011, 7, 1), D(2012, 6, 30), D(2004, 1, 1), None, "840.00"),
        # Started in April 2026: 9 months of 80 = 720.
        ("reward", "rural", D(2026, 1, 1), D(2026, 12, 31), D(2026, 4, 15), None, "720.00"),
        # Died in May 2026 (entitled to the end of May): 5 x 80 = 400.
        (
            "reward",
            "rural",
            D(2026, 1, 1),
            D(2026, 12, 31),
            D(2010, 1, 1),
            D(2026, 5, 31),
            "400.00",
        ),
        # Special, child died, town: 340 a month; a quarter is 1,020.
        ("special_death", "urban", D(2026, 4, 1), D(2026, 6, 30), D(2020, 1, 1), None, "1020.00"),
        # Countryside: 170 a month.
        ("special_death", "rural", D(2026, 7, 1), D(2026, 7, 31), D(2020, 1, 1), None, "170.00"),
        # Child disabled: 270 town, 150 countryside, half a year.
        (
            "special_disability",
            "urban",
            D(2026, 1, 1),
            D(2026, 6, 30),
            D(2020, 1, 1),
            None,
            "1620.00",
        ),
        (
            "special_disability",
            "rural",
            D(2026, 1, 1),
            D(2026, 6, 30),
            D(2020, 1, 1),
            None,
            "900.00",
        ),
        # Quarter Apr-Jun with entitlement to the end of May: 2 x 340.
        (
            "special_death",
            "urban",
            D(2026, 4, 1),
            D(2026, 6, 30),
            D(2020, 1, 1),
            D(2026, 5, 31),
            "680.00",
        ),
        # Entitlement ended before the period: nothing.
        (
            "special_death",
            "urban",
            D(2026, 6, 1),
            D(2026, 6, 30),
            D(2020, 1, 1),
            D(2026, 5, 31),
            "0.00",
        ),
    ],
)
def test_period_amount_follows_the_rate_table(
    kind, residence, start, end, start_date, until, expected
):
    amount = rules.period_amount(
        RATES,
        kind=kind,
        residence=residence,
        period_start=start,
        period_end=end,
        start_date=start_date,
        entitled_until=until,
    )
    assert amount == Decimal(expected)


def test_a_provincial_top_up_adds_to_the_national_standard():
    # 960 + 100 = 1,060 a year; one month is 1060/12 = 88.333..., summed exactly then rounded.
    args = dict(kind="reward", residence="rural", start_date=D(2010, 1, 1))
    year = rules.period_amount(
        [*RATES, TOPUP], period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), **args
    )
    month = rules.period_amount(
        [*RATES, TOPUP], period_start=D(2026, 1, 1), period_end=D(2026, 1, 31), **args
    )
    assert year == Decimal("1060.00")
    assert month == Decimal("88.33")


def test_a_month_without_a_rate_is_refused():
    with pytest.raises(rules.NoRate, match="2013年"):
        rules.monthly_rate(RATES, "special_death", "urban", D(2013, 6, 1))


@pytest.mark.parametrize(
    "event, mode, expected",
    [
        (D(2026, 5, 10), "end_of_month", D(2026, 5, 31)),
        (D(2024, 2, 3), "end_of_month", D(2024, 2, 29)),
        (D(2024, 3, 15), "end_of_previous_month", D(2024, 2, 29)),
        (D(2026, 1, 1), "end_of_previous_month", D(2025, 12, 31)),
    ],
)
def test_entitlement_ends_by_the_rule(event, mode, expected):
    assert rules.entitlement_end(event, mode) == expected


@pytest.mark.parametrize(
    "day, frequency, expected",
    [
        (D(2026, 5, 10), "monthly", (D(2026, 5, 1), D(2026, 5, 31))),
        (D(2026, 5, 10), "quarterly", (D(2026, 4, 1), D(2026, 6, 30))),
        (D(2026, 8, 1), "half_yearly", (D(2026, 7, 1), D(2026, 12, 31))),
        (D(2026, 2, 28), "yearly", (D(2026, 1, 1), D(2026, 12, 31))),
    ],
)
def test_payment_periods(day, frequency, expected):
    assert rules.period_for(day, frequency) == expected


@pytest.mark.parametrize(
    "paid, entitled, expected",
    [
        ("340", "0", "340.00"),
        ("1020", "680", "340.00"),
        ("340", "340", "0.00"),
        ("0", "340", "0.00"),
    ],
)
def test_recoverable_is_what_was_paid_beyond_entitlement(paid, entitled, expected):
    assert rules.recoverable(Decimal(paid), Decimal(entitled)) == Decimal(expected)


@pytest.mark.parametrize("done, total, expected", [(0, 0, None), (1, 3, 0.3333), (5, 5, 1.0)])
def test_coverage(done, total, expected):
    assert rules.coverage(done, total) == expected
