from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zeren.api"
    label = "api"
    verbose_name = "接口"
