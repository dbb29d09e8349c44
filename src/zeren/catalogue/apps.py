from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "zeren.catalogue"
    label = "catalogue"
    verbose_name = "责任清单"
