"""Pure rules of the public services: ratings, receipts and the working-day clock.

Nothing here reads the database; the working-day calendar is passed in as a function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

# 国办发〔2019〕51号《关于建立政务服务“好差评”制度提高政务服务水平的意见》: five levels,
# 非常满意 … 非常不满意; the last two are the bad ratings (差评) that must be followed up.
RATING_LEVELS: dict[int, str] = {
    5: "非常满意",
    4: "满意",
    3: "基本满意",
    2: "不满意",
    1: "非常不满意",
}
BAD_RATINGS = frozenset({1, 2})

# 51号 asks for bad ratings to be verified, fixed and answered "限期整改" without a national
# figure; provincial rules fix it (e.g. Sichuan: 15 working days). The bureau's deadline for
# the follow-up task, in working days; see docs/publicservices.md.
FOLLOW_UP_WORKING_DAYS = 15


def rating_is_bad(level: int) -> bool:
    """Whether ``level`` (1-5) is a bad rating (不满意 or 非常不满意), which needs a reason."""
    if level not in RATING_LEVELS:
        raise ValueError(f"评价等级应为1至5，不是{level!r}")
    return level in BAD_RATINGS


def reference_new(day: dt.date, n: int) -> str:
    """The receipt number (受理编号) of the ``n``-th application received on ``day``.

    ``FW`` + date + the day's six-digit serial, e.g. FW20261201000042; ``n`` comes from
    core.sequences (one counter per day). The number is not a secret: following an
    application needs the lookup code given with it as well. Raises ``ValueError`` outside
    1…999999.
    """
    if not 1 <= n <= 999_999:
        raise ValueError("当日受理编号已用完")
    return f"FW{day:%Y%m%d}{n:06d}"


def due_on(
    received: dt.date, working_days: int | None, add_working_days: Callable[[dt.date, int], dt.date]
) -> dt.date | None:
    """The last day in time: ``working_days`` working days after ``received`` (None: no limit).

    The day of receipt does not count (民法典 第二百零一条: a period in days starts the next
    day); ``add_working_days`` is ``core.workdays.add_working_days``.
    """
    if working_days is None:
        return None
    if working_days < 0:
        raise ValueError("办理时限不能为负数")
    return add_working_days(received, working_days)


def is_overdue(due: dt.date | None, finished: dt.date | None, today: dt.date) -> bool:
    """Late when finished after the due day, or still open after it."""
    if due is None:
        return False
    return (finished or today) > due


# Near-expiry alert: batches expiring within this many days (a bureau setting: the programme
# rules ask for first-expiring-first-out and no expired issue, without a national figure).
NEAR_EXPIRY_DAYS = 90


def expiry_state(expires_on: dt.date, today: dt.date, within: int = NEAR_EXPIRY_DAYS) -> str:
    """``"expired"`` after the expiry day, ``"near"`` within ``within`` days of it, else ``"ok"``.

    A batch may be used on its expiry day itself (有效期至 = the last day of validity).
    """
    if today > expires_on:
        return "expired"
    if (expires_on - today).days <= within:
        return "near"
    return "ok"
