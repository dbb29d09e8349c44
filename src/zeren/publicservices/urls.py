from django.urls import path

from zeren.publicservices import views

urlpatterns = [
    path("", views.queue, name="publicservices-queue"),
    path("new/", views.counter, name="publicservices-counter"),
    path("<int:pk>/", views.detail, name="publicservices-detail"),
    path("<int:pk>/letter.<str:fmt>", views.staff_letter, name="publicservices-letter"),
    path("follow-ups/", views.follow_ups, name="publicservices-follow-ups"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="publicservices-follow-up-done"),
]
