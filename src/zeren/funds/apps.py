from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "zeren.funds"
    label = "funds"
    verbose_name = "扶助资金"
