from django.urls import path

from zeren.cases import views

urlpatterns = [
    path("", views.dashboard, name="case-dashboard"),
    path("new/", views.case_new, name="case-new"),
    path("new/person/", views.person_lookup, name="case-person-lookup"),
    path("on-the-spot/", views.case_on_spot, name="case-on-spot"),
    path("reviews/", views.reviews, name="case-reviews"),
    path("clock/", views.clock, name="case-clock"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/act/<slug:action>/", views.case_act, name="case-act"),
    path("<int:pk>/calculator/", views.calculator, name="case-calculator"),
    path("<int:pk>/file.pdf", views.case_file_pdf, name="case-file-pdf"),
    path(
        "<int:pk>/documents/<int:sequence>/void/",
        views.case_document_void,
        name="case-document-void",
    ),
    path(
        "<int:pk>/documents/<int:sequence>.<str:fmt>",
        views.case_document,
        name="case-document",
    ),
]
