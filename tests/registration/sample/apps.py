from django.apps import AppConfig


class SampleConfig(AppConfig):
    name = "tests.registration.sample"
    label = "sample"
    verbose_name = "示例能力"
    zeren_capability = True  # outside the zeren package, so it says it takes part
