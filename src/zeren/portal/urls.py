from django.urls import path

from zeren.portal import views

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("boundaries/", views.boundaries, name="portal-boundaries"),
    path("services/", views.services, name="portal-services"),
    path("regimes/", views.regimes, name="portal-regimes"),
    path("regimes/<int:number>/", views.regime_detail, name="portal-regime"),
    path("search/", views.search, name="portal-search"),
    path("print/", views.print_view, name="portal-print"),
    path("versions/", views.versions, name="portal-versions"),
    path("versions/compare/", views.compare, name="portal-compare"),
    path("download/list.<str:fmt>", views.download, name="portal-download"),
]
