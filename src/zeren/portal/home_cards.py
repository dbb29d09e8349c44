"""The cards on the staff home page: what needs each user's attention, per capability.

Each card reads through the capability's own selectors (already scoped to the user) and is
shown only to users with its permission; a capability that is not installed has no card.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Card:
    template: str
    permission: str
    context: Callable[[Any, dt.date], dict[str, Any]]
    module: str = ""  # the module that must be installed (default: zeren.<app>.selectors)


def _supervision(user: Any, today: dt.date) -> dict[str, Any]:
    from zeren.supervision.selectors import overdue_tasks, status_rows

    rows = status_rows(f"{today:%Y-%m}", user=user, today=today)
    return {
        "period": f"{today:%Y-%m}",
        "rows": len(rows),
        "not_met": sum(1 for r in rows if r.met is False),
        "overdue": overdue_tasks(user, today).count(),
    }


def _cases(user: Any, today: dt.date) -> dict[str, Any]:
    from zeren.cases.models import Case
    from zeren.cases.selectors import deadline_board, my_cases

    board = deadline_board(Case.objects.restrict(user, "view"), today=today)
    return {
        "open": board["cases"],
        "red": board["colours"].get("red", 0),
        "amber": board["colours"].get("amber", 0),
        "this_week": len(board["this_week"]),
        "mine": my_cases(user).count(),
    }


def _funds(user: Any, today: dt.date) -> dict[str, Any]:
    from zeren.funds.selectors import alerts

    messages = alerts(year=today.year, user=user, today=today)
    return {"year": today.year, "alerts": messages[:5], "more": max(len(messages) - 5, 0)}


def _certificates(user: Any, today: dt.date) -> dict[str, Any]:
    from zeren.certificates.models import Certificate, Status

    mine = Certificate.objects.restrict(user, "view")
    return {
        "pending": mine.filter(status=Status.APPLIED).count(),
        "issued_this_year": mine.filter(issued_on__year=today.year).count(),
    }


def _statistics(user: Any, today: dt.date) -> dict[str, Any]:
    from zeren.statistics.models import Alert

    alerts = Alert.objects.restrict(user, "view").filter(period__startswith=str(today.year))
    return {
        "year": today.year,
        "red": alerts.filter(level="red").count(),
        "amber": alerts.filter(level="amber").count(),
    }


def _calendar(user: Any, today: dt.date) -> dict[str, Any]:
    """From 1 November, whether next year's holiday schedule is still missing."""
    from zeren.core.models import CalendarYear

    year = today.year + 1
    missing = today.month >= 11 and not CalendarYear.objects.filter(year=year).exists()
    return {"year": year, "missing": missing}


CARDS = [
    Card("staff/cards/supervision.html", "supervision.view_inspectiontask", _supervision),
    Card("staff/cards/cases.html", "cases.view_case", _cases),
    Card("staff/cards/funds.html", "funds.view_beneficiary", _funds),
    Card("staff/cards/certificates.html", "certificates.view_certificate", _certificates),
    Card("staff/cards/statistics.html", "statistics.view_alert", _statistics),
    Card("staff/cards/calendar.html", "core.add_calendaryear", _calendar, "zeren.core.workdays"),
]


CACHE_SECONDS = 120  # the counts may lag a couple of minutes; the pages they link to do not


def cards_for(user: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The cards for ``user``; each card's figures are cached briefly per user, so a busy
    home page does not recompute county-wide indicators on every visit."""
    from django.core.cache import cache

    today = today or timezone.localdate()
    shown = []
    for card in CARDS:
        if not user.has_perm(card.permission):
            continue
        app = card.template.split("/")[-1].removesuffix(".html")
        try:
            importlib.import_module(card.module or f"zeren.{app}.selectors")
        except ModuleNotFoundError:
            continue
        key = f"zeren:card:{app}:{user.pk}:{today.isoformat()}"
        data = cache.get(key)
        if data is None:
            data = card.context(user, today)
            cache.set(key, data, CACHE_SECONDS)
        shown.append({"template": card.template, "data": data})
    # Cards of apps that bring their own ``home`` module (zeren.core.registry).
    from zeren.core import registry

    for module in registry.modules("home"):
        if user.has_perm(module.PERMISSION):
            shown.append({"template": module.TEMPLATE, "data": module.context(user, today)})
    return shown
