from django.urls import path

from zeren.accounts import views

urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.password_change, name="account-password"),
    path("otp/enrol/", views.otp_enrol, name="otp-enrol"),
    path("otp/verify/", views.otp_verify, name="otp-verify"),
    path("otp/recovery/", views.recovery_codes, name="otp-recovery-codes"),
    path("tokens/new/", views.token_create, name="api-token-create"),
    path("tokens/<str:key>/revoke/", views.token_revoke, name="api-token-revoke"),
]
