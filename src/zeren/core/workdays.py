"""Working-day arithmetic on the calendar table (statutory rest days and make-up working days).

A working day is a Monday-Friday that is not a statutory rest day, or a Saturday/Sunday that
the State Council made a make-up working day (调休). Periods never count their first day
(the day of the event that starts them). Anything that has to look a day up in a year the
table does not cover raises :class:`CalendarNotCovered`: the system never guesses a schedule.

``calendar()`` returns the table as a :class:`WorkCalendar`, cached per process. Saving or
deleting a calendar row invalidates the cache at once in this process; other processes notice
within ``RECHECK_SECONDS`` through a cheap fingerprint query.
"""

from __future__ import annotations

import bisect
import calendar as _monthcal
import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

RECHECK_SECONDS = 5.0

WORKING_DAYS = "working_days"
DAYS = "days"
MONTHS = "months"
YEARS = "years"
UNIT_LABELS = {WORKING_DAYS: "个工作日", DAYS: "日", MONTHS: "个月", YEARS: "年"}


class CalendarNotCovered(ValidationError):
    """A date falls in a year whose holiday schedule has not been entered."""

    def __init__(self, year: int, covered: Iterable[int]) -> None:
        self.year = year
        span = _spans(sorted(covered))
        super().__init__(
            f"工作日历未录入{year}年的法定节假日和调休安排（已录入：{span or '无'}），"
            f"不能推算涉及该年的期限；请系统管理员先录入{year}年安排。"
        )


def _spans(years: list[int]) -> str:
    parts: list[str] = []
    start = prev = None
    for year in years:
        if start is None:
            start = prev = year
        elif year == prev + 1:
            prev = year
        else:
            parts.append(f"{start}–{prev}年" if start != prev else f"{start}年")
            start = prev = year
    if start is not None:
        parts.append(f"{start}–{prev}年" if start != prev else f"{start}年")
    return "、".join(parts)


def add_months(start: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later; the month's last day if there is none."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = _monthcal.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def add_days(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days)


@dataclass(frozen=True)
class Computed:
    """A computed date with the arithmetic that produced it, in words."""

    date: dt.date
    arithmetic: str


class WorkCalendar:
    """Rest days, make-up working days and covered years, with the arithmetic over them."""

    def __init__(
        self, *, rest: Iterable[dt.date], work: Iterable[dt.date], years: Iterable[int]
    ) -> None:
        self.rest = frozenset(rest)
        self.work = frozenset(work)
        self.years = frozenset(years)
        # Ordinals of all working days in covered years: bisect turns "N working days after"
        # into two lookups, so a dashboard over 100,000 cases stays cheap.
        ordinals: list[int] = []
        for year in sorted(self.years):
            day = dt.date(year, 1, 1)
            while day.year == year:
                if self._workday_unchecked(day):
                    ordinals.append(day.toordinal())
                day += dt.timedelta(days=1)
        self._ordinals = ordinals

    # -- lookups -----------------------------------------------------------------------
    def require(self, day: dt.date) -> None:
        if day.year not in self.years:
            raise CalendarNotCovered(day.year, self.years)

    def _require_span(self, first: dt.date, last: dt.date) -> None:
        for year in range(min(first, last).year, max(first, last).year + 1):
            if year not in self.years:
                raise CalendarNotCovered(year, self.years)

    def _workday_unchecked(self, day: dt.date) -> bool:
        if day in self.work:
            return True
        return day.weekday() < 5 and day not in self.rest

    def is_workday(self, day: dt.date) -> bool:
        self.require(day)
        return self._workday_unchecked(day)

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        self.require(day)
        i = bisect.bisect_left(self._ordinals, day.toordinal())
        if i >= len(self._ordinals):
            raise CalendarNotCovered(max(self.years) + 1, self.years)
        found = dt.date.fromordinal(self._ordinals[i])
        self._require_span(day, found)
        return found

    # -- periods -----------------------------------------------------------------------
    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted)."""
        if n < 0:
            raise ValueError("n must not be negative")
        self.require(start)
        if n == 0:
            return start
        i = bisect.bisect_right(self._ordinals, start.toordinal()) + n - 1
        if i >= len(self._ordinals):
            raise CalendarNotCovered(max(self.years) + 1, self.years)
        found = dt.date.fromordinal(self._ordinals[i])
        self._require_span(start, found)
        return found

    def working_days_between(self, after: dt.date, until: dt.date) -> int:
        """How many working days lie in (after, until]."""
        self._require_span(after, until)
        lo = bisect.bisect_right(self._ordinals, after.toordinal())
        hi = bisect.bisect_right(self._ordinals, until.toordinal())
        return max(0, hi - lo)

    def period_end(
        self, start: dt.date, n: int, unit: str, *, roll_forward: bool = False
    ) -> Computed:
        """The last day of a period of ``n`` units that starts the day after ``start``.

        ``roll_forward`` moves a last day that is not a working day to the next working day
        (the procedural rule for periods counted in calendar days, months or years).
        """
        if unit == WORKING_DAYS:
            end = self.add_working_days(start, n)
            text = f"{start:%Y-%m-%d}起算（当日不计）后第{n}个工作日（节假日不计，调休日计入）"
            return Computed(end, f"{text} = {end:%Y-%m-%d}")
        if unit == DAYS:
            end = add_days(start, n)
        elif unit == MONTHS:
            end = add_months(start, n)
        elif unit == YEARS:
            end = add_months(start, 12 * n)
        else:
            raise ValueError(f"unknown unit {unit}")
        text = f"{start:%Y-%m-%d} + {n}{UNIT_LABELS[unit]} = {end:%Y-%m-%d}"
        if roll_forward:
            moved = self.next_workday(end)
            if moved != end:
                text += f"，该日为休息日，顺延至{moved:%Y-%m-%d}"
                end = moved
        return Computed(end, text)

    def latest_before(self, event: dt.date, n: int, unit: str) -> Computed:
        """The last day on which something can happen at least ``n`` units before ``event``.

        Day D qualifies when a period of ``n`` units starting after D ends on or before
        ``event``; for working days: at least ``n`` working days lie in (D, event].
        """
        if unit == WORKING_DAYS:
            self.require(event)
            i = bisect.bisect_right(self._ordinals, event.toordinal()) - n
            if i < 0:
                raise CalendarNotCovered(min(self.years) - 1, self.years)
            nth = dt.date.fromordinal(self._ordinals[i])
            self._require_span(nth, event)
            latest = nth - dt.timedelta(days=1)
            return Computed(
                latest,
                f"{event:%Y-%m-%d}前须留足{n}个工作日（{nth:%Y-%m-%d}至{event:%Y-%m-%d}），"
                f"最迟 {latest:%Y-%m-%d}",
            )
        if unit == DAYS:
            latest = add_days(event, -n)
        elif unit == MONTHS:
            latest = add_months(event, -n)
        else:
            raise ValueError(f"unknown unit {unit}")
        return Computed(
            latest, f"{event:%Y-%m-%d} − {n}{UNIT_LABELS[unit]} = {latest:%Y-%m-%d}（最迟）"
        )


# -- the table, cached per process ---------------------------------------------------------
_lock = threading.Lock()
_cached: WorkCalendar | None = None
_fingerprint: Any = None
_checked_at = 0.0


def _current_fingerprint() -> Any:
    from django.db.models import Count, Max

    from zeren.core.models import CalendarDay, CalendarYear

    days = CalendarDay.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    years = CalendarYear.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    return (days["n"], days["m"], years["n"], years["m"])


def _load() -> WorkCalendar:
    from zeren.core.models import CalendarDay, CalendarYear

    rest: list[dt.date] = []
    work: list[dt.date] = []
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (work if kind == CalendarDay.Kind.WORK else rest).append(day)
    years = CalendarYear.objects.values_list("year", flat=True)
    return WorkCalendar(rest=rest, work=work, years=years)


def calendar() -> WorkCalendar:
    """The working-day calendar from the database (cached; see the module docstring)."""
    global _cached, _fingerprint, _checked_at
    with _lock:
        now = time.monotonic()
        if _cached is not None and now - _checked_at < RECHECK_SECONDS:
            return _cached
        fingerprint = _current_fingerprint()
        if _cached is None or fingerprint != _fingerprint:
            _cached = _load()
            _fingerprint = fingerprint
        _checked_at = now
        return _cached


def invalidate() -> None:
    """Forget the cached calendar (called when a calendar row changes)."""
    global _cached, _checked_at
    with _lock:
        _cached = None
        _checked_at = 0.0


@receiver(post_save, sender="core.CalendarDay")
@receiver(post_delete, sender="core.CalendarDay")
@receiver(post_save, sender="core.CalendarYear")
@receiver(post_delete, sender="core.CalendarYear")
def _calendar_changed(**kwargs: Any) -> None:
    invalidate()


# -- convenience functions on the database calendar ----------------------------------------
def add_working_days(start: dt.date, n: int) -> dt.date:
    return calendar().add_working_days(start, n)


def add_calendar_days(start: dt.date, n: int) -> dt.date:
    return add_days(start, n)


def within_after(start: dt.date, n: int, unit: str, *, roll_forward: bool = False) -> Computed:
    """'Within N days after X': the last day that is still in time."""
    return calendar().period_end(start, n, unit, roll_forward=roll_forward)


def at_least_before(event: dt.date, n: int, unit: str) -> Computed:
    """'At least N days before X': the last day that still leaves N days."""
    return calendar().latest_before(event, n, unit)


def is_workday(day: dt.date) -> bool:
    return calendar().is_workday(day)
