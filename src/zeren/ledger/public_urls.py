from django.urls import path

from zeren.ledger import views

urlpatterns = [
    path("", views.public_summaries, name="ledger-public"),
    path("<int:year>/", views.public_summary, name="ledger-public-year"),
]
