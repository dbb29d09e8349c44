"""Licences (再生育证, 非医学需要终止妊娠手术批准) and the events of their lifecycle.

Both kinds live in one table (``Permit``, distinguished by ``kind``) so that supervision can
sample, count and link to either with one foreign key; ``RebirthPermit`` and
``TerminationApproval`` are proxies that see only their own kind.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from zeren.core.fields import EncryptedTextField
from zeren.core.models import AppendOnlyModel, AuditedModel
from zeren.core.scope import ScopedManager
from zeren.permits.rules import GROUNDS, Status


class PermitKind(models.TextChoices):
    REBIRTH = "rebirth", "再生育证"
    TERMINATION = "termination", "非医学需要终止妊娠手术批准"


class Permit(AuditedModel):
    """One licence: who holds it, where, by whom approved, how long valid, in which state."""

    audit_str_is_safe = True  # str() is the kind and number: no encrypted column in it

    kind = models.CharField("类别", max_length=12, choices=PermitKind.choices, db_index=True)
    number = models.CharField("证号", max_length=40)
    holder = models.ForeignKey(
        "people.Person", verbose_name="持证人", on_delete=models.PROTECT, related_name="permits"
    )
    spouse = models.ForeignKey(
        "people.Person",
        verbose_name="配偶",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spouse_permits",
    )
    township = models.ForeignKey(
        "org.Division", verbose_name="乡镇", on_delete=models.PROTECT, related_name="permits"
    )
    village = models.ForeignKey(
        "org.Division",
        verbose_name="村",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approval_date = models.DateField("批准日期", db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    # health facts (PIPL Art. 28): encrypted, bound to the row like persons' data
    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conditions = EncryptedTextField("批准条件", blank=True, default="")
    hospital = EncryptedTextField("实施手术的医疗机构", max_length=100, blank=True, default="")
    status = models.CharField(
        "状态", max_length=10, choices=Status.CHOICES, default=Status.GRANTED, db_index=True
    )
    used_on = models.DateField("使用日期", null=True, blank=True)

    scope_division = "township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "许可证件"
        verbose_name_plural = "许可证件"
        ordering = ["-approval_date", "-id"]
        permissions = [
            ("revoke_permit", "撤销许可"),
            ("cancel_permit", "注销许可"),
            ("import_permit", "批量导入许可"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="permit_number_once"),
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="permit_validity_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "township", "status", "approval_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.status == Status.GRANTED and self.valid_from <= day <= self.valid_to

    @property
    def status_label(self) -> str:
        return Status.LABELS.get(self.status, self.status)


class _KindManager(ScopedManager):
    kind = ""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(kind=self.kind)


class _RebirthManager(_KindManager):
    kind = PermitKind.REBIRTH


class _TerminationManager(_KindManager):
    kind = PermitKind.TERMINATION


class RebirthPermit(Permit):
    """再生育证: a couple's permit for an additional child."""

    objects = _RebirthManager()

    class Meta:
        proxy = True
        verbose_name = "再生育证"
        verbose_name_plural = "再生育证"

    def save(self, *args, **kwargs) -> None:
        self.kind = PermitKind.REBIRTH
        super().save(*args, **kwargs)


class TerminationApproval(Permit):
    """非医学需要终止妊娠手术批准: approval of a termination without medical need."""

    objects = _TerminationManager()

    class Meta:
        proxy = True
        verbose_name = "非医学需要终止妊娠手术批准"
        verbose_name_plural = "非医学需要终止妊娠手术批准"

    def save(self, *args, **kwargs) -> None:
        self.kind = PermitKind.TERMINATION
        super().save(*args, **kwargs)


class PermitEvent(AppendOnlyModel):
    """One step of a licence's history: what happened, on what ground, by whom, when."""

    class Kind(models.TextChoices):
        GRANT = "grant", "批准"
        AMEND = "amend", "变更"
        USE = "use", "使用"
        EXPIRE = "expire", "过期"
        REVOKE = "revoke", "撤销"
        WITHDRAW = "withdraw", "撤回"
        CANCEL = "cancel", "注销"
        IMPORT = "import", "导入"

    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事项", max_length=10, choices=Kind.choices)
    from_status = models.CharField("原状态", max_length=10, blank=True)
    to_status = models.CharField("新状态", max_length=10)
    ground = models.CharField("事由代码", max_length=30, blank=True)
    ground_label = models.CharField("事由", max_length=100, blank=True)
    basis = models.TextField("法律依据", blank=True)
    effective_date = models.DateField("生效日期")
    documents = models.TextField("文书材料", blank=True)
    note = models.TextField("说明", blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("经办人名称", max_length=150, blank=True)
    time = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "许可事件"
        verbose_name_plural = "许可事件"
        ordering = ["time", "id"]

    def __str__(self) -> str:
        return f"{self.permit} {self.get_kind_display()}"

    @property
    def from_status_label(self) -> str:
        return Status.LABELS.get(self.from_status, self.from_status)

    @property
    def to_status_label(self) -> str:
        return Status.LABELS.get(self.to_status, self.to_status)

    @property
    def ground_known(self) -> bool:
        return self.ground in GROUNDS
