"""URL map: the public portal at /, the staff area under /staff/, the API under /api/.

Apps add their pages by having a ``urls`` (staff) or ``public_urls`` module
(``zeren.core.registry``).
"""

from django.contrib import admin
from django.urls import include, path

from zeren.core.registry import url_modules as app_urls
from zeren.portal import views as portal_views

admin.site.site_header = "责任清单履职系统 · 基础数据管理"
admin.site.site_title = "责任清单履职系统"

urlpatterns = [
    path("favicon.ico", portal_views.favicon),
    path("healthz", portal_views.healthz, name="healthz"),
    path("", include("zeren.portal.urls")),
    path("staff/account/", include("zeren.accounts.urls")),
    path("staff/", include("zeren.portal.staff_urls")),
    path("api/", include(("zeren.api.urls", "api"), namespace="api")),
    path("admin/", admin.site.urls),
]


for label, module, kind in app_urls():
    # Staff pages at /staff/<app>/, public pages (no login) at /<app>/.
    prefix = f"staff/{label}/" if kind == "urls" else f"{label}/"
    urlpatterns.append(path(prefix, include(module)))

handler403 = portal_views.permission_denied
handler404 = portal_views.not_found
