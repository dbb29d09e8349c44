from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zeren.cases"
    label = "cases"
    verbose_name = "案件查处"
