"""URL map: the public portal at /, the staff area under /staff/, the API under /api/.

Apps of later capabilities add themselves by listing their module in ``APP_URLS``.
"""

import importlib

from django.contrib import admin
from django.urls import include, path

from zeren.portal import views as portal_views

admin.site.site_header = "责任清单履职系统 · 基础数据管理"
admin.site.site_title = "责任清单履职系统"

APP_URLS = [
    "permits",
    "supervision",
    "cases",
    "funds",
    "statistics",
    "certificates",
    "ledger",
    "joint",
]

urlpatterns = [
    path("favicon.ico", portal_views.favicon),
    path("", include("zeren.portal.urls")),
    path("staff/", include("zeren.portal.staff_urls")),
    path("api/", include(("zeren.api.urls", "api"), namespace="api")),
    path("admin/", admin.site.urls),
]


def _optional(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return False
        raise
    return True


for app in APP_URLS:
    # Staff pages at /staff/<app>/, public pages (no login) at /<app>/.
    if _optional(f"zeren.{app}.urls"):
        urlpatterns.append(path(f"staff/{app}/", include(f"zeren.{app}.urls")))
    if _optional(f"zeren.{app}.public_urls"):
        urlpatterns.append(path(f"{app}/", include(f"zeren.{app}.public_urls")))

handler403 = portal_views.permission_denied
handler404 = portal_views.not_found
