from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "zeren.permits"
    label = "permits"
    verbose_name = "许可证件"
