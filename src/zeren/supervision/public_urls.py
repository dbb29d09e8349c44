from django.urls import path

from zeren.supervision import views

urlpatterns = [
    path("report/", views.public_report, name="public-report"),
    path("report/status/", views.public_report_status, name="public-report-status"),
]
