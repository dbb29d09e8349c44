from django.urls import path

from zeren.publicservices import views

urlpatterns = [
    path("", views.queue, name="publicservices-queue"),
    path("new/", views.counter, name="publicservices-counter"),
    path("<int:pk>/", views.detail, name="publicservices-detail"),
    path("<int:pk>/letter.<str:fmt>", views.staff_letter, name="publicservices-letter"),
    path("follow-ups/", views.follow_ups, name="publicservices-follow-ups"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="publicservices-follow-up-done"),
    path("reviews/new/", views.review_upload, name="publicservices-review-upload"),
    path("<int:pk>/review/", views.review_check, name="publicservices-review-check"),
    path(
        "<int:pk>/review/<int:row>/letter.<str:fmt>",
        views.review_letter,
        name="publicservices-review-letter",
    ),
]
