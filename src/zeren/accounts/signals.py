"""Changes of accounts, roles and shares reach the security log (the change log gets them from
``core.audit`` as for any ``AuditedModel``)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from zeren.core.audit import current_actor
from zeren.core.models import SecurityEvent, Share
from zeren.core.security import log_event
from zeren.org.models import User

WATCHED = (
    "username",
    "role",
    "is_superuser",
    "is_staff",
    "is_active",
    "department_id",
    "section_id",
    "township_id",
)


def _actor() -> Any:
    actor = current_actor()
    return actor if getattr(actor, "is_authenticated", False) else None


def _by() -> str:
    actor = current_actor()
    return "" if getattr(actor, "is_authenticated", False) else str(actor or "系统")


@receiver(pre_save, sender=User)
def _remember_account(sender: type, instance: User, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        instance._account_before = None
        return
    instance._account_before = (
        User.objects.filter(pk=instance.pk).values(*WATCHED, "password").first()
    )


@receiver(post_save, sender=User)
def _log_account(sender: type, instance: User, created: bool, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    before = getattr(instance, "_account_before", None)
    after = {f: getattr(instance, f) for f in WATCHED}
    if created or before is None:
        changes = {f: [None, v] for f, v in after.items()}
        what = "创建账号"
    else:
        changes = {f: [before[f], after[f]] for f in WATCHED if before[f] != after[f]}
        what = "修改账号"
        if before["password"] != instance.password:
            changes["password"] = ["*", "*"]
    if not changes:
        return
    log_event(
        SecurityEvent.Kind.ACCOUNT,
        actor=_actor(),
        username=_by(),
        obj=instance,
        detail={"what": what, "user": instance.get_username(), "changes": changes},
    )


@receiver(post_save, sender=Share)
def _log_share(sender: type, instance: Share, created: bool, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    log_event(
        SecurityEvent.Kind.ACCOUNT,
        actor=_actor(),
        username=_by(),
        obj=instance,
        detail={"what": "共享授权" if created else "修改共享", "share": str(instance)[:200]},
    )


@receiver(post_delete, sender=Share)
def _log_share_end(sender: type, instance: Share, **kw: Any) -> None:
    log_event(
        SecurityEvent.Kind.ACCOUNT,
        actor=_actor(),
        username=_by(),
        obj=instance,
        detail={"what": "撤销共享", "share": str(instance)[:200]},
    )
