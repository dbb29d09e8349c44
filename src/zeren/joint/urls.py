from django.urls import path

from zeren.joint import views

urlpatterns = [
    path("", views.board, name="joint-board"),
    path("new/", views.matter_new, name="joint-new"),
    path("<int:pk>/", views.matter_detail, name="joint-matter"),
    path("tasks/<int:pk>/reply/", views.reply, name="joint-reply"),
    path("<int:pk>/share/", views.share, name="joint-share"),
    path("<int:pk>/meeting/", views.meeting, name="joint-meeting"),
    path("<int:pk>/link/", views.link, name="joint-link"),
    path("<int:pk>/unlink/", views.unlink, name="joint-unlink"),
    path("<int:pk>/close/", views.close, name="joint-close"),
]
