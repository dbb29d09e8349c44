import logging
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from zeren.core.navigation import entries_for, grouped

log = logging.getLogger(__name__)
SITE_NAME = "责任清单履职系统"


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": SITE_NAME, "list_departments": _list_departments}


def _list_departments() -> list[Any]:
    """Bureaus with a published list, for the portal's switcher (shown only when several)."""
    from zeren.org.models import Department

    return list(
        Department.objects.filter(list_versions__status="published")
        .distinct()
        .order_by("code")
        .only("code", "name")
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The staff menu entries this user may use, as (label, url) pairs."""
    user = getattr(request, "user", None)
    items = []
    for entry in entries_for(user) if user is not None else []:
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            log.warning("菜单项 %s 指向不存在的地址 %s", entry.label, entry.url_name)
            continue
        items.append({"label": entry.label, "url": url, "order": entry.order})
    path = getattr(request, "path", "")

    def fit(item: dict) -> int:  # the entry's own page beats its app's other pages
        if path.startswith(item["url"]):
            return 1000 + len(item["url"])
        return len(_prefix(item["url"])) if path.startswith(_prefix(item["url"])) else -1

    section = max(items, key=fit, default=None)
    if section is not None and fit(section) < 0:
        section = None
    return {
        "app_nav": items,
        "app_nav_groups": grouped(items),
        "nav_section": section,
        "inbox_unread": _Unread(user),
    }


def _prefix(url: str) -> str:
    """``/staff/cases/dashboard/`` → ``/staff/cases/``: the app's part of the staff area."""
    parts = url.split("/")
    return "/".join(parts[:3]) + "/" if len(parts) > 3 else url


class _Unread:
    """The user's unread count, counted only when a page shows the staff menu."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._value: int | None = None

    def _count(self) -> int:
        if self._value is None:
            from zeren.core.notifications import unread_count

            self._value = unread_count(self.user)
        return self._value

    def __bool__(self) -> bool:
        return self._count() > 0

    def __str__(self) -> str:
        return str(self._count())
