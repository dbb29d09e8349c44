from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zeren.portal"
    label = "portal"
    verbose_name = "门户"
