"""Template helpers shared by every app."""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()

# Split list text into paragraphs before enumerators such as （一） or 1、 (not inside numbers).
_ENUMERATOR = re.compile(r"(?=（[一二三四五六七八九十]+）)|(?<=[^\d（])(?=\d{1,2}、)")


@register.filter
def paragraphs(text: str) -> SafeString:
    """Render list text as paragraphs, one per numbered point."""
    parts = [p for p in _ENUMERATOR.split(text or "") if p]
    return format_html_join("", "<p>{}</p>", ((p,) for p in parts))


@register.filter
def highlight(text: str, query: str) -> SafeString:
    """Mark each occurrence of ``query`` in ``text`` (both escaped)."""
    from django.utils.html import escape, mark_safe

    if not query:
        return escape(text)
    pieces = (text or "").split(query)
    marked = f"<mark>{escape(query)}</mark>"
    return mark_safe(marked.join(escape(p) for p in pieces))  # noqa: S308 (every piece escaped)


@register.filter
def get_item(mapping: dict | None, key: str):
    """``{{ row.before|get_item:field }}``."""
    return (mapping or {}).get(key)


@register.filter
def pairs(mapping: dict | None) -> str:
    """``{'a': [1, 2], 'b': 'x'}`` -> ``a：1、2；b：x`` for compact log display."""

    def show(value) -> str:
        if isinstance(value, (list, tuple)):
            return "、".join(str(v) for v in value)
        return str(value)

    return "；".join(f"{k}：{show(v)}" for k, v in (mapping or {}).items())


@register.inclusion_tag("staff/_shares.html", takes_context=True)
def shares_panel(context, obj) -> dict:
    """Who ``obj`` is shared with, and (for those allowed) a form to share or revoke."""
    from zeren.core.services import SHAREABLE, shares_of

    request = context.get("request")
    user = getattr(request, "user", None)
    label = obj._meta.label_lower
    allowed = bool(user and user.has_perm("core.view_share") and label in SHAREABLE)
    if not allowed:
        return {"show": False}
    from zeren.portal.forms import ShareForm

    return {
        "show": True,
        "obj": obj,
        "label": label,
        "shares": shares_of(obj),
        "form": ShareForm() if user.has_perm("core.add_share") else None,
        "can_revoke": user.has_perm("core.delete_share"),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def object_panels(context, obj) -> SafeString:
    """What other apps show on ``obj``'s page (their ``panels`` module, see
    :mod:`zeren.core.registry`), each already limited to what the viewer may see."""
    from django.template.loader import render_to_string
    from django.utils.html import mark_safe

    from zeren.core import registry

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return mark_safe("")
    html = []
    for module in registry.modules("panels"):
        for panel in module.panels(user, obj):
            html.append(render_to_string(panel["template"], panel["context"], request=request))
    return mark_safe("".join(html))  # noqa: S308 (templates rendered with autoescape)


# "（分值为本地设置，待核实）", "，待核实", "分值待核实": notes for administrators, not users.
_PENDING = [
    re.compile(r"[（(][^（）()]*待核实[^（）()]*[）)]"),
    re.compile(r"[，,；;、]\s*[^，,；;、。（）()]{0,8}待核实"),
    re.compile(r"待核实[，,；;。]?"),
]


@register.filter
def sees_pending(user) -> bool:
    """Administrators see which figures are still 待核实; other users do not."""
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", "") == "admin")


@register.filter
def pending_for(text: str, user) -> str:
    """``text`` as is for administrators; for other users without its 待核实 notes."""
    if sees_pending(user) or not text:
        return text
    for pattern in _PENDING:
        text = pattern.sub("", text)
    return text.strip()


@register.filter
def is_pairs(value) -> bool:
    """True for a list of (label, value) pairs (a JSON object shown by core.history)."""
    return isinstance(value, list) and all(isinstance(v, tuple) and len(v) == 2 for v in value)


@register.simple_tag(takes_context=True)
def query_with(context, name: str, value) -> str:
    """The current query string with ``name`` set to ``value`` (``?a=1&page=3``)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    if params is None:
        return f"?{name}={value}"
    params[name] = value
    return "?" + params.urlencode()


@register.filter
def is_lazy(paginator) -> bool:
    """A paginator that does not count all rows (django-tables2's LazyPaginator)."""
    from django_tables2.paginators import LazyPaginator

    return isinstance(paginator, LazyPaginator)
