"""The staff home card: the milestones of the user's plans coming due (and overdue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zeren.ledger import selectors

PERMISSION = "ledger.view_plan"
TEMPLATE = "ledger/card.html"


def context(user: Any, today: dt.date) -> dict[str, Any]:
    due = list(selectors.milestones_due(user, today)[:6])
    return {
        "days": selectors.REMINDER_DAYS,
        "milestones": due[:5],
        "more": len(due) > 5,
        "overdue": sum(1 for m in due if m.is_overdue),
    }
