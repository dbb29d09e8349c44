"""Search criteria that never travel in a URL: posted once, kept in the session, named by an
opaque token (``?q=<token>``) so that paging, sorting and export links carry no personal data.

    token = stash(request, "people.person", request.POST, fields)   # after a POST
    criteria = criteria_for(request, "people.person")                # on GET ?q=token
"""

from __future__ import annotations

import secrets
from typing import Any

from django.http import QueryDict

SESSION_KEY = "zeren_searches"
KEEP = 20  # tokens per session; older ones are forgotten


def stash(request: Any, scope: str, data: QueryDict, fields: list[str]) -> str:
    """Keep the non-empty ``fields`` of ``data`` under a new opaque token and return it."""
    kept = {name: data.get(name, "").strip() for name in fields if data.get(name, "").strip()}
    token = secrets.token_urlsafe(12)
    searches = dict(request.session.get(SESSION_KEY, {}))
    searches[token] = {"scope": scope, "criteria": kept}
    if len(searches) > KEEP:
        for old in list(searches)[: len(searches) - KEEP]:
            del searches[old]
    request.session[SESSION_KEY] = searches
    return token


def criteria_for(request: Any, scope: str) -> QueryDict | None:
    """The criteria behind ``?q=`` as a QueryDict, or None (no token, unknown or other scope)."""
    token = request.GET.get("q", "")
    entry = request.session.get(SESSION_KEY, {}).get(token) if token else None
    if not entry or entry.get("scope") != scope:
        return None
    result = QueryDict(mutable=True)
    for name, value in entry["criteria"].items():
        result[name] = value
    return result


def list_criteria(
    request: Any, scope: str, fields: list[str], *, private: tuple[str, ...], what: str
) -> tuple[QueryDict | None, Any]:
    """The filter criteria of a list page whose filters include personal identifiers.

    Returns ``(criteria, response)``. A POST stashes the criteria, writes a ``search`` row to
    the security log (which fields were used, never their values) and returns the redirect
    to ``?q=<token>`` as ``response``. A GET with ``?q=`` returns the stashed criteria; a
    plain GET returns its own parameters without the ``private`` ones (an identifier typed
    into a URL is ignored, so it cannot reach the access log by a bookmark either).
    """
    from django.shortcuts import redirect

    from zeren.core.models import SecurityEvent
    from zeren.core.security import log_event

    if request.method == "POST":
        token = stash(request, scope, request.POST, fields)
        used = [f for f in fields if request.POST.get(f, "").strip()]
        log_event(
            SecurityEvent.Kind.SEARCH, request=request, detail={"what": what, "criteria": used}
        )
        return None, redirect(f"{request.path}?q={token}")
    if request.GET.get("q"):
        return criteria_for(request, scope), None
    public = request.GET.copy()
    for name in private:
        public.pop(name, None)
    return (public or None), None
