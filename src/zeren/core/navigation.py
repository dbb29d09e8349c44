"""The staff menu: each app registers its entries from its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str  # shown only to users who have it
    order: int = 100
    # Further, whether the entry leads anywhere for this user (e.g. a partner department's list
    # is empty until something is shared with it); ``None``: the permission is enough.
    visible: Callable[[Any], bool] | None = None


_ENTRIES: list[NavEntry] = []


def register(
    label: str,
    url_name: str,
    permission: str,
    order: int = 100,
    visible: Callable[[Any], bool] | None = None,
) -> None:
    """Add a menu entry shown to users with ``permission`` for whom ``visible(user)`` (if
    given) is true."""
    entry = NavEntry(label, url_name, permission, order, visible)
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)
        _ENTRIES.sort(key=lambda e: e.order)


# The menu groups, by an entry's order: a 1280 px window holds five dropdowns, not fifteen links.
GROUPS = (
    (40, "证件与相对人"),  # orders below 40: licences, certificates
    (50, "监管执法"),  # 40-49: sampling, reports, cases
    (60, "扶助资金"),  # 50-59
    (73, "统计考核"),  # 60-72: statistics, assessment, ledger
    (80, "监管执法"),  # 73-79: joint cases
)
OTHER = "其他"


def group_of(order: int) -> str:
    """The menu group of an entry's ``order`` (see ``GROUPS``)."""
    for below, label in GROUPS:
        if order < below:
            return label
    return OTHER


def grouped(entries: list[dict]) -> list[dict]:
    """``[{"label", "url", "order"}]`` → ``[{"label": group, "items": [...]}]`` in menu order."""
    groups: dict[str, list[dict]] = {}
    for entry in entries:
        groups.setdefault(group_of(entry["order"]), []).append(entry)
    return [{"label": label, "items": items} for label, items in groups.items()]


def entries_for(user) -> list[NavEntry]:
    if not user.is_authenticated:
        return []
    return [
        e
        for e in _ENTRIES
        if user.has_perm(e.permission) and (e.visible is None or e.visible(user))
    ]


def unless_partner_without_shares(model_label: str) -> Callable[[Any], bool]:
    """A ``visible`` test for a scoped list: a partner department reads only what is shared
    with it (``core.scope``), so it is offered the list only once something of ``model_label``
    (``"people.person"``) is shared with it; everyone else always."""

    def visible(user: Any) -> bool:
        from zeren.core.scope import has_shares

        return has_shares(user, model_label)

    return visible
