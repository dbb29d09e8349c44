from django.urls import path

from zeren.funds import views

urlpatterns = [
    path("", views.dashboard, name="funds-dashboard"),
    path("indicators.xlsx", views.indicators_export, name="funds-indicators-export"),
    path("beneficiaries/", views.beneficiary_list, name="funds-beneficiary-list"),
    path("beneficiaries/<int:pk>/", views.beneficiary_detail, name="funds-beneficiary-detail"),
    path(
        "beneficiaries/<int:pk>/reveal/", views.beneficiary_reveal, name="funds-beneficiary-reveal"
    ),
    path(
        "beneficiaries/<int:pk>/terminate/",
        views.beneficiary_terminate_view,
        name="funds-beneficiary-terminate",
    ),
    path(
        "beneficiaries/<int:pk>/reinstate/",
        views.beneficiary_reinstate_view,
        name="funds-beneficiary-reinstate",
    ),
    path(
        "beneficiaries/<int:pk>/repay/",
        views.beneficiary_repay_view,
        name="funds-beneficiary-repay",
    ),
    path(
        "beneficiaries/<int:pk>/report/",
        views.beneficiary_report_view,
        name="funds-beneficiary-report",
    ),
    path("beneficiaries/<int:pk>/letter.docx", views.letter, name="funds-letter"),
    path("import/", views.import_view, name="funds-import"),
    path("import/template.xlsx", views.import_template, name="funds-import-template"),
    path("import/errors/<str:token>.xlsx", views.import_errors, name="funds-import-errors"),
    path("batches/", views.batch_list, name="funds-batch-list"),
    path("batches/<int:pk>/", views.batch_detail, name="funds-batch-detail"),
    path("batches/<int:pk>/issue/", views.batch_issue, name="funds-batch-issue"),
    path("batches/<int:pk>/bank.xlsx", views.batch_bank_file, name="funds-batch-bank-file"),
    path("lines/<int:pk>/reverse/", views.line_reverse, name="funds-line-reverse"),
    path("campaigns/", views.campaign_list, name="funds-campaign-list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="funds-campaign-detail"),
    path("campaigns/<int:pk>/close/", views.campaign_close_view, name="funds-campaign-close"),
    path("campaigns/<int:pk>/record/", views.campaign_record, name="funds-campaign-record"),
    path("campaigns/<int:pk>/sheet.xlsx", views.campaign_sheet, name="funds-campaign-sheet"),
    path("campaigns/<int:pk>/upload/", views.campaign_upload, name="funds-campaign-upload"),
    path("ineligible/", views.ineligible_list, name="funds-ineligible"),
    path("platform/", views.platform_export, name="funds-platform"),
    path("recoveries/", views.recovery_list, name="funds-recoveries"),
]
