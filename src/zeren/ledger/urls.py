from django.urls import path

from zeren.ledger import views

urlpatterns = [
    path("", views.matrix, name="ledger-matrix"),
    path("items/<int:pk>/", views.item_detail, name="ledger-item"),
    path("records/<int:pk>/attachment/", views.attachment, name="ledger-attachment"),
    path("import/", views.records_upload, name="ledger-import"),
    path("report/<int:year>.<str:fmt>", views.report, name="ledger-report"),
]
