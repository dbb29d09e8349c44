from django.urls import path

from zeren.certificates import views

urlpatterns = [
    path("verify/", views.public_verify, name="certificates-verify"),
]
