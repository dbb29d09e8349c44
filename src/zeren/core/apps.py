from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zeren.core"
    label = "core"
    verbose_name = "系统核心"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from zeren.core import audit, signals  # noqa: F401  (connect receivers)

        # Background jobs live in each app's jobs.py (huey tasks and periodic tasks).
        autodiscover_modules("jobs")
