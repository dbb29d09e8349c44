"""The panel on the bureau's own pages (case, inspection task, report): the joint matters
linked to the object that the viewer may see (``zeren.core.registry``: ``panels``)."""

from __future__ import annotations

from typing import Any

from zeren.joint import selectors


def panels(user: Any, obj: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False) or not user.has_perm("joint.view_matter"):
        return []
    matters = list(selectors.matters_linked_to(user, obj).select_related("boundary"))
    if not matters:
        return []
    return [{"template": "joint/_linked_panel.html", "context": {"matters": matters}}]
