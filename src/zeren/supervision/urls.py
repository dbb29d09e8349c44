from django.urls import path

from zeren.supervision import views

urlpatterns = [
    path("", views.dashboard, name="supervision-dashboard"),
    path("draw/", views.plan_draw, name="plan-draw"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/<str:action>/", views.task_action, name="task-action"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/new/", views.report_create, name="report-create"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/<str:action>/", views.report_action, name="report-action"),
    path("regimes/", views.regime_list, name="regime-list"),
    path("conflicts/", views.conflict_list, name="conflict-list"),
]
