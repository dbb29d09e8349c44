from django.urls import path

from zeren.ledger import views

urlpatterns = [
    path("", views.matrix, name="ledger-matrix"),
    path("period/", views.period_view, name="ledger-period"),
    path("items/<int:pk>/", views.item_detail, name="ledger-item"),
    path("records/<int:pk>/", views.record_detail, name="ledger-record"),
    path("records/<int:pk>/attachment/", views.attachment, name="ledger-attachment"),
    path("import/", views.records_upload, name="ledger-import"),
    path("report/<int:year>.<str:fmt>", views.report, name="ledger-report"),
    path("plans/", views.plans, name="ledger-plans"),
    path("plans/<int:pk>/", views.plan_detail, name="ledger-plan"),
    path("due/", views.due, name="ledger-due"),
    path("summary/", views.summary_publish, name="ledger-summary"),
]
