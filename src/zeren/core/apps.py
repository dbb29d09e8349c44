from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zeren.core"
    label = "core"
    verbose_name = "系统核心"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from zeren.core import audit, signals  # noqa: F401  (connect receivers)

        _chinese_empty_choice()
        # Background jobs live in each app's jobs.py (huey tasks and periodic tasks).
        autodiscover_modules("jobs")


EMPTY_CHOICE = "请选择"


def _chinese_empty_choice() -> None:
    """Every select's empty choice reads 「请选择」 instead of Django's "---------".

    Django spells it in two places with no setting: the model fields' ``BLANK_CHOICE_DASH``
    (a list, the default argument of ``Field.get_choices``) and ``ModelChoiceField``'s
    ``empty_label`` default. A form that names its own empty label keeps it.
    """
    from django.db.models import fields as model_fields
    from django.forms import models as form_models

    model_fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
    form_models.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = EMPTY_CHOICE
