from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "zeren.people"
    label = "people"
    verbose_name = "相对人"
