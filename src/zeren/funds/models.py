"""Assistance funds: beneficiaries, rate tables, the payment ledger, verification campaigns,
recoveries and township deductions (regime (三) of the responsibility list)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zeren.core.fields import (
    BlindIndexField,
    EncryptedJSONField,
    EncryptedTextField,
    mask_account,
)
from zeren.core.models import AppendOnlyModel, AuditedModel
from zeren.core.scope import ScopedManager, ScopedQuerySet


class Kind(models.TextChoices):
    """What a beneficiary receives."""

    REWARD = "reward", "奖励扶助"
    SPECIAL_DEATH = "special_death", "特别扶助（子女死亡）"
    SPECIAL_DISABILITY = "special_disability", "特别扶助（子女伤残）"


class Program(models.TextChoices):
    """Which fund a payment batch pays out of."""

    REWARD = "reward", "奖励扶助金"
    SPECIAL = "special", "特别扶助金"


PROGRAM_KINDS: dict[str, tuple[str, ...]] = {
    Program.REWARD: (Kind.REWARD,),
    Program.SPECIAL: (Kind.SPECIAL_DEATH, Kind.SPECIAL_DISABILITY),
}


def program_of(kind: str) -> str:
    return Program.REWARD if kind == Kind.REWARD else Program.SPECIAL


class Residence(models.TextChoices):
    URBAN = "urban", "城镇"
    RURAL = "rural", "农村"


class EndReason(models.TextChoices):
    DEATH = "death", "死亡"
    CHILD_RECOVERED = "child_recovered", "子女康复"
    DECEPTION = "deception", "骗取扶助金"
    CHANGED = "changed", "条件变化"
    OTHER = "other", "其他"


# ---------------------------------------------------------------------------------------------
# Reference data: editable by administrators, each row with its source.


class Rate(AuditedModel):
    """One amount of a rate table: a national standard or a provincial top-up, dated."""

    class Level(models.TextChoices):
        NATIONAL = "national", "国家标准"
        PROVINCIAL = "provincial", "省级增发"
        LOCAL = "local", "市县增发"

    class Unit(models.TextChoices):
        YEAR = "year", "元/人·年"
        MONTH = "month", "元/人·月"

    kind = models.CharField("扶助类别", max_length=20, choices=Kind.choices)
    residence = models.CharField(
        "城乡", max_length=10, choices=Residence.choices, blank=True, help_text="留空表示城乡通用"
    )
    level = models.CharField("层级", max_length=12, choices=Level.choices, default=Level.NATIONAL)
    amount = models.DecimalField("金额", max_digits=10, decimal_places=2)
    unit = models.CharField("单位", max_length=5, choices=Unit.choices)
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    source = models.CharField("依据", max_length=300)
    unconfirmed = models.BooleanField("待核实", default=False)

    class Meta:
        verbose_name = "扶助标准"
        verbose_name_plural = "扶助标准"
        ordering = ["kind", "residence", "level", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="rate_not_negative"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="rate_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}{self.get_residence_display() or ''}"
            f" {self.amount}{self.get_unit_display()}（{self.valid_from}起）"
        )


class EntitlementRule(AuditedModel):
    """When entitlement ends after an event (death, recovery, deception...): data, not code."""

    class Mode(models.TextChoices):
        END_OF_MONTH = "end_of_month", "事件当月月底"
        END_OF_PREVIOUS_MONTH = "end_of_previous_month", "事件上月月底（当月起不再享受）"

    reason = models.CharField("终止原因", max_length=20, choices=EndReason.choices)
    mode = models.CharField("终止时点", max_length=30, choices=Mode.choices)
    valid_from = models.DateField("起始日期")
    source = models.CharField("依据", max_length=300)
    unconfirmed = models.BooleanField("待核实", default=False)

    class Meta:
        verbose_name = "终止规则"
        verbose_name_plural = "终止规则"
        ordering = ["reason", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["reason", "valid_from"], name="entitlement_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}：{self.get_mode_display()}"


class PaymentPlan(AuditedModel):
    """How often a programme is paid (yearly, half-yearly, quarterly, monthly), dated."""

    class Frequency(models.TextChoices):
        YEARLY = "yearly", "按年"
        HALF_YEARLY = "half_yearly", "按半年"
        QUARTERLY = "quarterly", "按季"
        MONTHLY = "monthly", "按月"

    program = models.CharField("资金", max_length=10, choices=Program.choices)
    frequency = models.CharField("发放周期", max_length=12, choices=Frequency.choices)
    valid_from = models.DateField("起始日期")
    source = models.CharField("依据", max_length=300)

    class Meta:
        verbose_name = "发放周期"
        verbose_name_plural = "发放周期"
        ordering = ["program", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["program", "valid_from"], name="payment_plan_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_program_display()}{self.get_frequency_display()}发放"


class CampaignKind(AuditedModel):
    """One verification mode of regime (三): when, by whom, how much, and its source text."""

    class Code(models.TextChoices):
        FULL = "full", "全面核查（上门核查）"
        NEW = "new", "新增对象信息核查"
        PAYMENT = "payment", "资金到位定期检查"
        ADHOC = "adhoc", "举报核查"

    class Performer(models.TextChoices):
        TOWNSHIP = "township", "乡镇"
        COUNTY = "county", "县人口计生局"

    class Population(models.TextChoices):
        ACTIVE = "active", "全部在册扶助对象"
        NEW_THIS_YEAR = "new_this_year", "当年新增扶助对象"
        PAID_THIS_YEAR = "paid_this_year", "当年已发放扶助金的对象"
        REPORTED = "reported", "被举报的扶助对象"

    code = models.CharField("代码", max_length=10, choices=Code.choices, unique=True)
    name = models.CharField("名称", max_length=50)
    population = models.CharField("核查范围", max_length=20, choices=Population.choices)
    performer = models.CharField("实施单位", max_length=10, choices=Performer.choices)
    method = models.CharField("方式", max_length=100)
    start_month = models.PositiveSmallIntegerField("开始月份", null=True, blank=True)
    end_month = models.PositiveSmallIntegerField("截止月份", null=True, blank=True)
    days_allowed = models.PositiveSmallIntegerField(
        "完成时限（天）", null=True, blank=True, help_text="不按月份安排的核查（如举报核查）"
    )
    coverage = models.DecimalField("核查面", max_digits=4, decimal_places=3, default=Decimal(1))
    source = models.TextField("制度原文")
    unconfirmed = models.BooleanField("待核实", default=False)

    class Meta:
        verbose_name = "核查方式"
        verbose_name_plural = "核查方式"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DeductionRule(AuditedModel):
    """Points a township loses in its target-management assessment for an error found."""

    outcome = models.CharField("核查结果", max_length=20, unique=True)
    points = models.DecimalField("扣分", max_digits=5, decimal_places=2)
    source = models.CharField("依据", max_length=300)
    unconfirmed = models.BooleanField("待核实", default=True)

    class Meta:
        verbose_name = "考核扣分标准"
        verbose_name_plural = "考核扣分标准"
        ordering = ["outcome"]

    def __str__(self) -> str:
        return f"{self.outcome}：{self.points}分"


# ---------------------------------------------------------------------------------------------
# Beneficiaries


class Beneficiary(AuditedModel):
    """A person receiving reward or special assistance, with payee account and status."""

    class Status(models.TextChoices):
        ACTIVE = "active", "享受中"
        SUSPENDED = "suspended", "暂停"
        TERMINATED = "terminated", "已终止"

    person = models.ForeignKey(
        "people.Person", verbose_name="扶助对象", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("扶助类别", max_length=20, choices=Kind.choices, db_index=True)
    residence = models.CharField("城乡", max_length=10, choices=Residence.choices)
    # Encrypted values (facts, bank account) are bound to this key (core.fields).
    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # child death or disability (PIPL Art. 28 health facts): encrypted, bound to the row
    facts = EncryptedJSONField("资格条件")
    start_date = models.DateField("享受起始日期")
    township = models.ForeignKey(
        "org.Division", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "org.Division", verbose_name="村", on_delete=models.PROTECT, related_name="+"
    )
    bank_name = models.CharField("开户银行", max_length=50, blank=True)
    bank_account = EncryptedTextField("银行账号", blank=True, default="")
    bank_account_hash = BlindIndexField(source="bank_account", db_index=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    status_reason = models.CharField("原因", max_length=20, choices=EndReason.choices, blank=True)
    status_note = models.CharField("说明", max_length=200, blank=True)
    status_date = models.DateField("生效日期", null=True, blank=True)
    entitled_until = models.DateField("享受截止日期", null=True, blank=True)
    platform_year = models.PositiveSmallIntegerField("录入国家平台年度", null=True, blank=True)

    scope_division = "village"
    objects = ScopedManager()

    class Meta:
        verbose_name = "扶助对象"
        verbose_name_plural = "扶助对象"
        ordering = ["-id"]
        permissions = [
            ("reveal_beneficiary", "查看完整银行账号"),
            ("import_beneficiary", "导入扶助对象"),
            ("export_beneficiary", "导出扶助对象（国家平台）"),
            ("terminate_beneficiary", "终止扶助资格"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="beneficiary_once_per_kind")
        ]
        indexes = [
            models.Index(fields=["status", "township"]),
            models.Index(fields=["village", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_kind_display()}）"

    @property
    def bank_account_masked(self) -> str:
        return mask_account(self.bank_account)

    @property
    def program(self) -> str:
        return program_of(self.kind)


# ---------------------------------------------------------------------------------------------
# Payment ledger


class PaymentBatch(AuditedModel):
    """All payments of one programme for one period, sent to the paying bank as one file."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ISSUED = "issued", "已发放"

    program = models.CharField("资金", max_length=10, choices=Program.choices)
    frequency = models.CharField("发放周期", max_length=12, choices=PaymentPlan.Frequency.choices)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    issued_on = models.DateField("发放日期", null=True, blank=True)
    line_count = models.PositiveIntegerField("人数", default=0)
    total = models.DecimalField("金额合计", max_digits=16, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = "发放批次"
        verbose_name_plural = "发放批次"
        ordering = ["-period_start", "program"]
        permissions = [
            ("issue_paymentbatch", "确认发放批次"),
            ("export_paymentbatch", "导出银行代发文件"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["program", "period_start"], name="batch_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_program_display()} {self.period_label}"

    @property
    def period_label(self) -> str:
        start, end = self.period_start, self.period_end
        if start.month == 1 and end.month == 12:
            return f"{start.year}年"
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
        return f"{start.year}年{start.month}-{end.month}月"


class ConfirmedLineError(ValidationError):
    """A confirmed payment line was about to change."""


class PaymentLineQuerySet(ScopedQuerySet):
    def update(self, **kwargs: Any) -> int:
        # The database refuses too (migration 0002); this gives the Chinese message first.
        if "confirmed_at" not in kwargs and self.filter(confirmed_at__isnull=False).exists():
            raise ConfirmedLineError("已确认到位的发放记录不能修改，请用冲正更正")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(confirmed_at__isnull=False).exists():
            raise ConfirmedLineError("已确认到位的发放记录不能删除，请用冲正更正")
        return super().delete()


class PaymentLine(AuditedModel):
    """One person's money for one period; once confirmed received it never changes."""

    class Entry(models.TextChoices):
        PAYMENT = "payment", "发放"
        REVERSAL = "reversal", "冲正"
        CORRECTION = "correction", "更正发放"

    batch = models.ForeignKey(
        PaymentBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="lines"
    )
    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name="扶助对象", on_delete=models.PROTECT, related_name="lines"
    )
    entry = models.CharField("类型", max_length=12, choices=Entry.choices, default=Entry.PAYMENT)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    reverses = models.OneToOneField(
        "self",
        verbose_name="冲正的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    confirmed_at = models.DateTimeField("确认到位时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_division = "beneficiary__village"
    objects = ScopedManager.from_queryset(PaymentLineQuerySet)()

    class Meta:
        verbose_name = "发放记录"
        verbose_name_plural = "发放记录"
        ordering = ["batch", "id"]
        permissions = [("confirm_paymentline", "确认扶助金到位"), ("reverse_paymentline", "冲正")]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "period_start"],
                condition=models.Q(entry="payment"),
                name="one_payment_per_person_and_period",
            ),
            models.CheckConstraint(
                condition=~models.Q(entry="reversal") | models.Q(reverses__isnull=False),
                name="reversal_names_its_line",
            ),
        ]
        indexes = [models.Index(fields=["batch", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.get_entry_display()} {self.amount}（{self.period_start:%Y-%m}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            stored = PaymentLine._base_manager.filter(pk=self.pk).values("confirmed_at").first()
            if stored and stored["confirmed_at"] is not None:
                raise ConfirmedLineError("已确认到位的发放记录不能修改，请用冲正更正")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.confirmed_at is not None:
            raise ConfirmedLineError("已确认到位的发放记录不能删除，请用冲正更正")
        return super().delete(*args, **kwargs)


class RecoveryEntry(AppendOnlyModel):
    """The recovery ledger: what a beneficiary owes back and what was repaid (append-only)."""

    class Entry(models.TextChoices):
        OWED = "owed", "应追回"
        REPAID = "repaid", "已追回"

    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name="扶助对象", on_delete=models.PROTECT, related_name="recoveries"
    )
    township = models.ForeignKey(
        "org.Division", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+"
    )
    entry = models.CharField("类型", max_length=10, choices=Entry.choices)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    payment_line = models.ForeignKey(
        PaymentLine,
        verbose_name="发放记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField("原因", max_length=20, choices=EndReason.choices, blank=True)
    date = models.DateField("日期", default=dt.date.today)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    recorded_by = models.CharField("记录人", max_length=150, blank=True)

    scope_division = "township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "追回台账"
        verbose_name_plural = "追回台账"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="recovery_positive"),
        ]
        indexes = [models.Index(fields=["township", "entry"])]

    def __str__(self) -> str:
        return f"{self.get_entry_display()} {self.amount}"


# ---------------------------------------------------------------------------------------------
# Verification campaigns


class Campaign(AuditedModel):
    """One year's run of a verification mode (or one ad-hoc check after a report)."""

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    kind = models.CharField("核查方式", max_length=10, choices=CampaignKind.Code.choices)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=100)
    starts_on = models.DateField("开始日期")
    deadline = models.DateField("完成期限")
    coverage_required = models.DecimalField("要求核查面", max_digits=4, decimal_places=3)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    report = models.TextField("举报内容", blank=True)
    total = models.PositiveIntegerField("核查对象数", default=0)

    class Meta:
        verbose_name = "核查活动"
        verbose_name_plural = "核查活动"
        ordering = ["-year", "kind", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year"],
                condition=~models.Q(kind="adhoc"),
                name="campaign_once_a_year",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Verification(AuditedModel):
    """One beneficiary's check inside a campaign, and its outcome."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", "核实无误"
        NOT_RECEIVED = "not_received", "资金未到位"
        DIED = "died", "已死亡"
        CHANGED = "changed", "条件变化"
        DECEPTION = "deception", "疑似骗取"

    class Method(models.TextChoices):
        HOME = "home", "上门"
        PHONE = "phone", "电话"
        RECORDS = "records", "信息比对"

    campaign = models.ForeignKey(
        Campaign, verbose_name="核查活动", on_delete=models.PROTECT, related_name="verifications"
    )
    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name="扶助对象", on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "org.Division", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField("核查结果", max_length=20, choices=Outcome.choices, blank=True)
    method = models.CharField("方式", max_length=10, choices=Method.choices, blank=True)
    event_date = models.DateField("死亡/变化日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField("记录时间", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_division = "township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "核查记录"
        verbose_name_plural = "核查记录"
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "beneficiary"], name="verification_once_per_campaign"
            )
        ]
        indexes = [models.Index(fields=["campaign", "township", "outcome"])]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.beneficiary_id}"


class Deduction(AppendOnlyModel):
    """A township assessment deduction for an error a check found (for the assessment issue)."""

    township = models.ForeignKey(
        "org.Division", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    verification = models.OneToOneField(
        Verification, verbose_name="核查记录", on_delete=models.PROTECT, related_name="deduction"
    )
    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name="扶助对象", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField("差错", max_length=20, choices=Verification.Outcome.choices)
    points = models.DecimalField("扣分", max_digits=5, decimal_places=2)
    source = models.CharField("依据", max_length=300)
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    scope_division = "township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "考核扣分"
        verbose_name_plural = "考核扣分"
        ordering = ["-year", "township", "-id"]

    def __str__(self) -> str:
        return f"{self.township} {self.year} -{self.points}"
