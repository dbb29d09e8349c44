"""Every URL name leads to one place: a clash makes reverse() send users to the wrong page."""

from __future__ import annotations

import re
from collections import defaultdict

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# DRF adds a format-suffix twin of each API route under the same name, on purpose.
FORMAT_SUFFIX = re.compile(
    r"(\\\.\(\?P<format>\[a-z0-9\]\+\)/\?\$|\.<drf_format_suffix:format>|<drf_format_suffix:format>)$"
)


def _routes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)

    def walk(patterns, name_prefix: str, route_prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{name_prefix}{p.namespace}:" if p.namespace else name_prefix
                walk(p.url_patterns, ns, route_prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                route = FORMAT_SUFFIX.sub("", route_prefix + str(p.pattern)).removesuffix("$")
                found[name_prefix + p.name].add(route.replace("^", "").rstrip("/"))

    walk(get_resolver().url_patterns, "", "")
    return found


def test_no_two_routes_share_a_name():
    clashes = {name: routes for name, routes in _routes().items() if len(routes) > 1}
    assert clashes == {}


def test_staff_and_api_names_are_apart():
    assert reverse("staff-person-detail", args=[1]) == "/staff/persons/1/"
    assert reverse("api:person-detail", args=[1]) == "/api/persons/1/"


def test_templates_have_no_inline_scripts_or_event_handlers():
    """The Content-Security-Policy allows only scripts served from this site."""
    from pathlib import Path

    import zeren

    root = Path(zeren.__file__).parent
    offenders = []
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\son[a-z]+=\"", text)
            or "javascript:" in text
        ):
            offenders.append(str(template.relative_to(root)))
    assert offenders == []
