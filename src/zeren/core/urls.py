from django.urls import path

from zeren.core import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox-read-all"),
    path("inbox/<int:pk>/", views.inbox_open, name="inbox-open"),
    path("inbox/<int:pk>/document/", views.inbox_document, name="inbox-document"),
]
