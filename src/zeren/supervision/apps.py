from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zeren.supervision"
    label = "supervision"
    verbose_name = "事中事后监管"
