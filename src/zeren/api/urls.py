from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from zeren.api import views
from zeren.core import registry


class Router(DefaultRouter):
    """DRF's router with a Chinese root page (``views.ApiRootView``)."""

    APIRootView = views.ApiRootView

    def get_api_root_view(self, api_urls=None):
        names = {
            prefix: self.routes[0].name.format(basename=basename)
            for prefix, _viewset, basename in self.registry
        }
        labels = {prefix: views.endpoint_label(vs) for prefix, vs, _basename in self.registry}
        return self.APIRootView.as_view(api_root_dict=names, labels=labels)


router = Router()
router.register("divisions", views.DivisionViewSet, basename="division")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("officers", views.OfficerViewSet, basename="officer")
router.register("persons", views.PersonViewSet, basename="person")

# Each app registers its viewsets in ``<app>.api.register(router)`` (``zeren.core.registry``).
for module in registry.modules("api"):
    module.register(router)

urlpatterns = [
    path("list/", views.ListView.as_view(), name="api-list"),
    path("list/versions/", views.ListVersionsView.as_view(), name="api-list-versions"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:api-schema"), name="api-redoc"),
    path("", include(router.urls)),
]
