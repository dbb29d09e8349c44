"""Pure rules of the ledger: a work item's status in a period from its cadence and records.

A cadence names a unit (month, quarter, year). The units of a period are those the period
covers whole; the item is *performed* when every unit has a record, *partial* when some do,
*silent* when none do. A unit longer than the period (a yearly item in a quarter) cannot be
judged inside it: records make it performed, none make it *n/a*. Items expected on event are
performed with a record and n/a without one (nothing happened that called for work).
"""

from __future__ import annotations

import datetime as dt

PERFORMED = "performed"
PARTIAL = "partial"
SILENT = "silent"
NOT_APPLICABLE = "n/a"

STATUS_LABELS = {PERFORMED: "履职", PARTIAL: "部分", SILENT: "未履职", NOT_APPLICABLE: "不适用"}

# Months per unit of each cadence; None: judged by occurrence alone.
UNIT_MONTHS = {"monthly": 1, "continuous": 3, "yearly": 12, "event": None}


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def period_status(
    cadence: str, start: dt.date, end: dt.date, months_with_records: set[tuple[int, int]]
) -> str:
    """The status of one item over ``start``..``end`` (whole months, inclusive).

    ``months_with_records`` holds the (year, month) pairs inside the period with at least one
    record. Raises ValueError for an unknown cadence.
    """
    if cadence not in UNIT_MONTHS:
        raise ValueError(f"未知的履职要求：{cadence}")
    unit = UNIT_MONTHS[cadence]
    first, last = _month_index(start), _month_index(end)
    covered = {y * 12 + m - 1 for y, m in months_with_records if first <= y * 12 + m - 1 <= last}
    span = last - first + 1
    if unit is None or unit > span:
        return PERFORMED if covered else NOT_APPLICABLE
    # Units aligned to the calendar (quarters start in January, April, July, October).
    units = {i // unit for i in range(first, last + 1)}
    hit = {i // unit for i in covered}
    if not hit:
        return SILENT
    return PERFORMED if hit >= units else PARTIAL
