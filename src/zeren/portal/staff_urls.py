from django.urls import path

from zeren.portal import staff_views as views

urlpatterns = [
    path("", views.home, name="staff-home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("persons/", views.person_list, name="staff-person-list"),
    path("persons/new/", views.person_create_view, name="staff-person-create"),
    path("persons/export.xlsx", views.person_export, name="staff-person-export"),
    path("persons/<int:pk>/", views.person_detail, name="staff-person-detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="staff-person-edit"),
    path("persons/<int:pk>/reveal/", views.person_reveal_view, name="staff-person-reveal"),
    path("shares/new/<str:label>/<int:pk>/", views.share_create, name="staff-share-create"),
    path("shares/<int:pk>/revoke/", views.share_revoke_view, name="staff-share-revoke"),
    path("list/", views.list_manage, name="list-manage"),
    path("list/draft/start/", views.list_draft_start_view, name="list-draft-start"),
    path("list/draft/import/", views.list_import_view, name="list-import"),
    path("list/draft/publish/", views.list_publish_view, name="list-publish"),
    path("list/draft/<str:kind>/<int:pk>/", views.list_item_edit, name="list-item-edit"),
    path("audit/changes/", views.change_log, name="audit-changes"),
    path("audit/security/", views.security_log, name="audit-security"),
]
