from django.urls import path

from zeren.permits import views

urlpatterns = [
    path("", views.permit_list, name="permit-list"),
    path("import/", views.permit_import_view, name="permit-import"),
    path("grant/<str:kind>/", views.permit_grant_view, name="permit-grant"),
    path("<int:pk>/", views.permit_detail, name="permit-detail"),
    path("<int:pk>/<str:action>/", views.permit_action, name="permit-action"),
]
