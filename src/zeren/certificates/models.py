"""Free certificates of public services 10-12 of the list, their numbering and history.

One ``Certificate`` row is one document: registered as an application, then issued with a
number. A reissue (lost or damaged) is a new row with a new number; the old one is voided.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from zeren.certificates.rules import Status, status_on
from zeren.core.fields import EncryptedJSONField
from zeren.core.models import AppendOnlyModel, AuditedModel
from zeren.core.scope import ScopedManager


class CertificateType(AuditedModel):
    """One kind of free certificate, as data: which public service it implements and its terms."""

    class Holder(models.TextChoices):
        PERSON = "person", "本人"
        COUPLE = "couple", "夫妻双方"

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    service_number = models.PositiveSmallIntegerField("公共服务事项序号")
    section_name = models.CharField("承办科室", max_length=50)
    phone = models.CharField("咨询电话", max_length=20, blank=True)
    number_prefix = models.CharField("证号字头", max_length=10)
    fee = models.DecimalField("收费（元）", max_digits=8, decimal_places=2, default=Decimal("0"))
    fee_statement = models.CharField("收费说明", max_length=100)
    holder_kind = models.CharField("持证人", max_length=6, choices=Holder.choices)
    validity_years = models.PositiveSmallIntegerField("有效期（年）", null=True, blank=True)
    validity_confirmed = models.BooleanField("有效期已核实", default=True)
    validity_source = models.CharField("有效期依据", max_length=200, blank=True)
    one_per_couple = models.BooleanField("同一对夫妻限一份有效证件", default=False)
    facts = models.JSONField("记载事项", default=list, blank=True)
    source = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = "证件类别"
        verbose_name_plural = "证件类别"
        ordering = ["service_number"]

    def __str__(self) -> str:
        return self.name

    @property
    def validity_label(self) -> str:
        if self.validity_years is None:
            return "长期有效"
        note = "" if self.validity_confirmed else "（未核实）"
        return f"{self.validity_years}年{note}"


class Certificate(AuditedModel):
    """One certificate document: the application, then its number, issue and state."""

    type = models.ForeignKey(
        CertificateType, verbose_name="证件类别", on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(
        "people.Person", verbose_name="持证人", on_delete=models.PROTECT, related_name="+"
    )
    spouse = models.ForeignKey(
        "people.Person",
        verbose_name="配偶",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    township = models.ForeignKey(
        "org.Division", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+"
    )
    # Encrypted values are bound to this key (core.fields).
    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # what the certificate records (a child's death or disability): encrypted, row-bound
    facts = EncryptedJSONField("记载事项")
    applied_on = models.DateField("受理日期")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="受理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=8, choices=Status.CHOICES, default=Status.APPLIED, db_index=True
    )
    number = models.CharField("证号", max_length=40, null=True, blank=True, unique=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    serial = models.PositiveIntegerField("序号", null=True, blank=True)
    issued_on = models.DateField("发证日期", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发证人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fee = models.DecimalField("收费（元）", max_digits=8, decimal_places=2, null=True, blank=True)
    expires_on = models.DateField("有效期止", null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name="补发自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    # "<type code>:<couple key>" while the certificate counts against the one-per-couple rule
    # (applied or valid); cleared when voided or revoked. Unique: the database refuses a second.
    exclusive_key = models.CharField(max_length=60, null=True, blank=True, unique=True)

    scope_division = "township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "证件"
        verbose_name_plural = "证件"
        ordering = ["-applied_on", "-id"]
        permissions = [
            ("issue_certificate", "发证"),
            ("reissue_certificate", "补发证件"),
            ("revoke_certificate", "撤销证件"),
            ("export_certificate", "下载证件文书"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "year", "serial"], name="cert_serial_once_per_type_year"
            )
        ]
        indexes = [models.Index(fields=["township", "status", "-applied_on"])]

    def __str__(self) -> str:
        return f"{self.type.name} {self.number or '（未发证）'}"

    def status_on(self, day: dt.date) -> str:
        return status_on(self.status, self.expires_on, day)

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status_on(timezone.localdate())]

    @property
    def holders(self) -> list:
        return [p for p in (self.holder, self.spouse) if p is not None]

    def fact_rows(self) -> list[tuple[str, str]]:
        return [(f["label"], str(self.facts.get(f["key"], ""))) for f in self.type.facts]

    @classmethod
    def audit_labels(cls, snapshot: dict) -> dict[str, str]:
        """The facts' labels for the change log (``core.history``): key → 记载事项 label."""
        ctype = CertificateType.objects.filter(pk=snapshot.get("type_id")).first()
        return {f["key"]: f["label"] for f in (ctype.facts if ctype else [])}


class CertificateEvent(AppendOnlyModel):
    """One step of a certificate's history: who did what, on what ground, when."""

    class Kind(models.TextChoices):
        APPLY = "apply", "受理"
        ISSUE = "issue", "发证"
        REISSUE = "reissue", "补发"
        VOID = "void", "作废"
        REVOKE = "revoke", "撤销"
        EXPIRE = "expire", "过期"

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事项", max_length=8, choices=Kind.choices)
    from_status = models.CharField("原状态", max_length=8, blank=True)
    to_status = models.CharField("新状态", max_length=8)
    ground = models.CharField("事由", max_length=200, blank=True)
    basis = models.CharField("依据", max_length=200, blank=True)
    effective_date = models.DateField("生效日期")
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
        verbose_name = "证件事件"
        verbose_name_plural = "证件事件"
        ordering = ["time", "id"]

    def __str__(self) -> str:
        return f"{self.certificate} {self.get_kind_display()}"

    @property
    def from_status_label(self) -> str:
        return Status.LABELS.get(self.from_status, self.from_status)

    @property
    def to_status_label(self) -> str:
        return Status.LABELS.get(self.to_status, self.to_status)
