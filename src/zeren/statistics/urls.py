from django.urls import path

from zeren.statistics import views

urlpatterns = [
    path("", views.dashboard, name="statistics-dashboard"),
    path("births/import/", views.birth_upload, name="statistics-birth-import"),
    path("assessment/", views.assessment, name="statistics-assessment"),
    path("assessment/score/", views.manual_score, name="statistics-manual-score"),
]
