from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zeren.accounts"
    label = "accounts"
    verbose_name = "账号与登录"

    def ready(self) -> None:
        from zeren.accounts import signals  # noqa: F401  (connects the receivers)
