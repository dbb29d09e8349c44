"""Assistance arithmetic: exact Decimal, month by month, from rate rows given as data.

Entitlement is counted in whole calendar months: a month is paid if the beneficiary is
entitled on its first day (start) and still entitled on its last day (end). A yearly rate
counts one twelfth per month; a period's amount is summed exactly and rounded to the fen
(half up) only once, at the end.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TWELVE = Decimal(12)

FREQUENCY_MONTHS = {"yearly": 12, "half_yearly": 6, "quarterly": 3, "monthly": 1}


class NoRate(ValueError):
    """No rate row covers a month the beneficiary is entitled to."""


@dataclass(frozen=True)
class RateRow:
    kind: str
    residence: str  # "" = both town and countryside
    amount: Decimal
    unit: str  # "year" or "month"
    valid_from: dt.date
    valid_to: dt.date | None = None
    level: str = "national"

    def applies(self, kind: str, residence: str, day: dt.date) -> bool:
        return (
            self.kind == kind
            and self.residence in ("", residence)
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
        )

    @property
    def per_month(self) -> Decimal:
        return self.amount / TWELVE if self.unit == "year" else self.amount


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def end_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """First days of the months from ``start``'s month to ``end``'s month, inclusive."""
    month = first_of_month(start)
    while month <= end:
        yield month
        month = add_months(month, 1)


def period_for(day: dt.date, frequency: str) -> tuple[dt.date, dt.date]:
    """The payment period of ``frequency`` that contains ``day``."""
    size = FREQUENCY_MONTHS[frequency]
    first_month = (day.month - 1) // size * size + 1
    start = dt.date(day.year, first_month, 1)
    return start, end_of_month(add_months(start, size - 1))


def monthly_rate(rates: Iterable[RateRow], kind: str, residence: str, month: dt.date) -> Decimal:
    """All rows (national standard plus top-ups) in force on the first day of ``month``."""
    applicable = [r for r in rates if r.applies(kind, residence, month)]
    if not applicable:
        raise NoRate(f"{month:%Y年%m月}没有适用的扶助标准")
    return sum((r.per_month for r in applicable), Decimal(0))


def entitled_months(
    period_start: dt.date,
    period_end: dt.date,
    *,
    start_date: dt.date,
    entitled_until: dt.date | None,
) -> list[dt.date]:
    """The months of the period in which the beneficiary is entitled."""
    return [
        month
        for month in months_between(period_start, period_end)
        if first_of_month(start_date) <= month
        and (entitled_until is None or end_of_month(month) <= entitled_until)
    ]


def period_amount(
    rates: Sequence[RateRow],
    *,
    kind: str,
    residence: str,
    period_start: dt.date,
    period_end: dt.date,
    start_date: dt.date,
    entitled_until: dt.date | None = None,
) -> Decimal:
    """What one beneficiary is owed for a period (0.00 if entitled to none of its months)."""
    months = entitled_months(
        period_start, period_end, start_date=start_date, entitled_until=entitled_until
    )
    return money(sum((monthly_rate(rates, kind, residence, m) for m in months), Decimal(0)))


def entitlement_end(event_date: dt.date, mode: str) -> dt.date:
    """The last day of entitlement after an event, by the rule's mode."""
    if mode == "end_of_month":
        return end_of_month(event_date)
    if mode == "end_of_previous_month":
        return first_of_month(event_date) - dt.timedelta(days=1)
    raise ValueError(f"未知的终止规则：{mode}")


def recoverable(paid: Decimal, entitled: Decimal) -> Decimal:
    """What was paid beyond the entitlement for one line (never negative)."""
    return money(max(paid - entitled, Decimal(0)))


def coverage(done: int, total: int) -> float | None:
    """Share of checks done, or None for an empty campaign."""
    if total == 0:
        return None
    return round(done / total, 4)


def campaign_window(
    start_month: int, end_month: int, year: int, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The default window of a yearly verification: (first day, deadline), both dates.

    The verification regime names months, not dates (全面核查 "由乡镇于每年2-3月份上门调查",
    信息核查 "县人口计生局3月份", 定期检查 "每年不少于1次": months 1-12): the window runs from
    the first day of ``start_month`` to the last day of ``end_month`` of ``year`` (a window
    whose end month is before its start month ends in the next year). A window whose deadline
    is already past on ``today`` is moved to its next occurrence (the same months a year later,
    as often as needed), so a campaign opened late is never overdue when it is opened.

    Raises ``ValueError`` for a month outside 1-12.
    """
    if not (1 <= start_month <= 12 and 1 <= end_month <= 12):
        raise ValueError(f"月份应为1-12：{start_month}-{end_month}")
    while True:
        start = dt.date(year, start_month, 1)
        end_year = year if end_month >= start_month else year + 1
        deadline = end_of_month(dt.date(end_year, end_month, 1))
        if deadline >= today:
            return start, deadline
        year += 1
