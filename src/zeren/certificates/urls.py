from django.urls import path

from zeren.certificates import views

urlpatterns = [
    path("", views.certificate_list, name="certificates-list"),
    path("apply/<str:code>/", views.certificate_apply, name="certificates-apply"),
    path("<int:pk>/", views.certificate_detail, name="certificates-detail"),
    path("<int:pk>/download/<str:fmt>/", views.certificate_download, name="certificates-download"),
    path("<int:pk>/<str:action>/", views.certificate_action, name="certificates-action"),
]
