"""Dates of things that happened: never after today, never before the step they follow.

Every service that records a fact (a case step, a record, a payment, a visit, a service of a
document, an inspection result, a verification...) asks :func:`check_fact_date` before
writing, so pages, API, CLI and imports refuse the same dates with the same reason.
"Today" is the calendar day in Asia/Shanghai (``settings.TIME_ZONE``), not the server's UTC day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone


def local_today() -> dt.date:
    """Today's date in the bureau's time zone (Asia/Shanghai)."""
    return timezone.localdate()


def fact_date_problem(
    on: dt.date,
    *,
    what: str,
    after: dt.date | None = None,
    after_what: str = "",
    today: dt.date | None = None,
    floor: dt.date | None = None,
    floor_what: str = "",
) -> str | None:
    """Why ``on`` cannot be the date of ``what`` (Chinese text), or None when it can.

    ``on`` must not be later than ``today`` (default: today in Asia/Shanghai), and, when
    ``after`` is given, must not be earlier than it (``after_what`` names that earlier step).
    ``floor`` is the earliest date that can be meant at all (a typing slip such as 0001-01-01
    or 1900-01-01 otherwise passes); ``floor_what`` says why (「计划年度」).
    Pure function: importers use it to build row errors.
    """
    limit = today or local_today()
    if on > limit:
        return f"{what}日期{on:%Y-%m-%d}晚于今天（{limit:%Y-%m-%d}），不能登记尚未发生的事"
    if floor is not None and on < floor:
        reason = f"（{floor_what}）" if floor_what else ""
        return f"{what}日期{on:%Y-%m-%d}早于{floor:%Y-%m-%d}{reason}，请核对"
    if after is not None and on < after:
        return (
            f"{what}日期{on:%Y-%m-%d}早于{after_what or '前一环节'}日期{after:%Y-%m-%d}，顺序不对"
        )
    return None


def check_fact_date(
    on: dt.date,
    *,
    what: str,
    after: dt.date | None = None,
    after_what: str = "",
    today: dt.date | None = None,
    floor: dt.date | None = None,
    floor_what: str = "",
) -> None:
    """Raise ``ValidationError`` (Chinese message) when ``on`` cannot be the date of ``what``.

    Same rule as :func:`fact_date_problem`; services call it before writing anything.
    """
    problem = fact_date_problem(
        on,
        what=what,
        after=after,
        after_what=after_what,
        today=today,
        floor=floor,
        floor_what=floor_what,
    )
    if problem:
        raise ValidationError(problem)


def check_after_last_event(
    events: Any, on: dt.date, *, what: str, date_field: str = "effective_date"
) -> None:
    """``check_fact_date`` for the next event of an object's story (a licence's, a
    certificate's): ``on`` not after today nor before the latest of ``events``.

    ``events`` is the object's event queryset (``permit.events``), or ``None`` for an object
    not yet saved; events have ``date_field`` and a ``kind`` with choices (named in the
    message). Raises ``ValidationError`` as ``check_fact_date`` does.
    """
    last = events.order_by(f"-{date_field}").first() if events is not None else None
    check_fact_date(
        on,
        what=what,
        after=getattr(last, date_field) if last else None,
        after_what=last.get_kind_display() if last else "",
    )
