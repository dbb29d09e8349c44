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


def entries_for(user) -> list[NavEntry]:
    if not user.is_authenticated:
        return []
    return [e for e in _ENTRIES if user.has_perm(e.permission)]
