from typing import Any

from django.http import HttpRequest

from zeren.core.navigation import entries_for


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": "责任清单履职系统"}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"app_nav": entries_for(user) if user is not None else []}
