"""Statistics arithmetic: periods, sex ratio at birth, shares, warning levels, assessment scores.

Pure functions on exact decimals; no database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

GREEN = "green"
AMBER = "amber"
RED = "red"
LEVEL_LABELS = {GREEN: "正常", AMBER: "预警", RED: "警报"}


class InvalidPeriod(ValueError):
    """The period is not YYYY, YYYY-QN or YYYY-MM."""


FIRST_YEAR = 1950
LAST_YEAR = 2100
_YEAR = re.compile(r"\d{4}", re.ASCII)


def check_year(year: int) -> int:
    """``year`` itself when within FIRST_YEAR..LAST_YEAR; else InvalidPeriod (Chinese)."""
    if year < FIRST_YEAR:
        raise InvalidPeriod(f"年份不能早于{FIRST_YEAR}年")
    if year > LAST_YEAR:
        raise InvalidPeriod(f"年份不能晚于{LAST_YEAR}年")
    return year


def parse_year(text: str | None, *, default: int | None = None) -> int:
    """A year typed in a query parameter or form (``?year=2026``): four ASCII digits within
    FIRST_YEAR..LAST_YEAR. Blank → ``default`` when given. Raises InvalidPeriod (Chinese) for
    anything else (full-width or Arabic-Indic digits, ``0000``, ``9999``)."""
    raw = (text or "").strip()
    if not raw and default is not None:
        return default
    if not _YEAR.fullmatch(raw):
        raise InvalidPeriod("年度应为四位数字，如 2026")
    return check_year(int(raw))


@dataclass(frozen=True)
class Period:
    text: str
    start: dt.date
    end: dt.date  # inclusive


def parse_period(text: str) -> Period:
    """``2026`` (a year), ``2026-Q2`` (a quarter) or ``2026-05`` (a month), first to last day.

    ASCII digits only; the year within FIRST_YEAR..LAST_YEAR (1950..2100). Raises
    InvalidPeriod (Chinese message) otherwise."""
    text = (text or "").strip().upper()
    m = re.fullmatch(r"(\d{4})(?:-(?:Q([1-4])|(\d{2})))?", text, re.ASCII)
    if not m:
        raise InvalidPeriod("期间应为 2026、2026-Q1 或 2026-01")
    year = int(m[1])
    if year < FIRST_YEAR:
        raise InvalidPeriod(f"期间年份不能早于{FIRST_YEAR}年")
    if year > LAST_YEAR:
        raise InvalidPeriod(f"期间年份不能晚于{LAST_YEAR}年")
    if m[2]:
        first = (int(m[2]) - 1) * 3 + 1
        start, last = dt.date(year, first, 1), first + 2
    elif m[3]:
        month = int(m[3])
        if not 1 <= month <= 12:
            raise InvalidPeriod("月份应在01～12之间")
        start, last = dt.date(year, month, 1), month
    else:
        start, last = dt.date(year, 1, 1), 12
    end = (dt.date(year + 1, 1, 1) if last == 12 else dt.date(year, last + 1, 1)) - dt.timedelta(
        days=1
    )
    return Period(text, start, end)


def periods_containing(day: dt.date) -> list[str]:
    """The month, quarter and year that contain ``day``."""
    return [f"{day:%Y-%m}", f"{day.year}-Q{(day.month - 1) // 3 + 1}", str(day.year)]


def sex_ratio(boys: int, girls: int) -> Decimal | None:
    """Boys born per 100 girls born, to two places (half up); no girls → no ratio."""
    if boys < 0 or girls < 0:
        raise ValueError("出生人数不能为负")
    if girls == 0:
        return None
    return (Decimal(boys) * HUNDRED / Decimal(girls)).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to two places; nothing of nothing → none."""
    if whole == 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def reliable(births: int, minimum: int) -> bool:
    """Fewer births than ``minimum`` make a ratio too noisy to act on."""
    return births >= minimum


@dataclass(frozen=True)
class Bands:
    """Inclusive ranges: inside green → green; else inside amber → amber; else red."""

    green_low: Decimal
    green_high: Decimal
    amber_low: Decimal
    amber_high: Decimal


def level(value: Decimal | None, bands: Bands) -> str | None:
    """The warning level of ``value``; no value → no level."""
    if value is None:
        return None
    if bands.green_low <= value <= bands.green_high:
        return GREEN
    if bands.amber_low <= value <= bands.amber_high:
        return AMBER
    return RED


# -- assessment ---------------------------------------------------------------------------
def points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def share_score(maximum: Decimal, met: int, total: int) -> Decimal | None:
    """Full points times the share of indicators met; no indicators → no data."""
    if total == 0:
        return None
    return points(maximum * Decimal(met) / Decimal(total))


def deduction_score(maximum: Decimal, deducted: Decimal, has_data: bool) -> Decimal | None:
    """Full points less the deductions, never below zero; nothing checked → no data."""
    if not has_data:
        return None
    return points(max(Decimal(0), maximum - deducted))


def average_score(maximum: Decimal, average: Decimal | None, full_mark: Decimal) -> Decimal | None:
    """Full points scaled by an average review score out of ``full_mark``; none → no data."""
    if average is None:
        return None
    return points(maximum * Decimal(average) / full_mark)


def rate(total: Decimal, available: Decimal) -> Decimal | None:
    """Points scored per 100 points that could be scored on the items with data."""
    if available == 0:
        return None
    return points(total * HUNDRED / available)


def rank(values: list[Decimal | None]) -> list[int | None]:
    """Competition ranking, highest first (1, 2, 2, 4); no value → no rank."""
    ordered = sorted((v for v in values if v is not None), reverse=True)
    first = {}
    for i, v in enumerate(ordered, start=1):
        first.setdefault(v, i)
    return [None if v is None else first[v] for v in values]
