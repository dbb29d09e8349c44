"""The staff menu: each app registers its entries from its AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str  # shown only to users who have it
    order: int = 100


_ENTRIES: list[NavEntry] = []


def register(label: str, url_name: str, permission: str, order: int = 100) -> None:
    entry = NavEntry(label, url_name, permission, order)
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
    return [e for e in _ENTRIES if user.has_perm(e.permission)]
