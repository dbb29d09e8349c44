from django.urls import path

from zeren.funds import views

urlpatterns = [
    path("", views.dashboard, name="funds-dashboard"),
]
