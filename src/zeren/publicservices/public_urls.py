from django.urls import path

from zeren.publicservices import views

urlpatterns = [
    path("guides/", views.guide_list, name="publicservices-guides"),
    path("guides/<int:number>/", views.guide_detail, name="publicservices-guide"),
    path("apply/<int:number>/", views.apply, name="publicservices-apply"),
    path("status/", views.lookup, name="publicservices-lookup"),
    path("status/<str:reference>/", views.progress, name="publicservices-progress"),
    path(
        "status/<str:reference>/letter.<str:fmt>",
        views.public_letter,
        name="publicservices-public-letter",
    ),
]
