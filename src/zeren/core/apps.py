from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zeren.core"
    label = "core"
    verbose_name = "系统核心"

    def ready(self) -> None:
        from zeren.core import audit, signals  # noqa: F401  (connect receivers)
