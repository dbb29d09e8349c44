"""Births as statistical data, warning thresholds and alerts, the township assessment."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from zeren.core.models import AppendOnlyModel, AuditedModel
from zeren.core.scope import ScopedManager
from zeren.statistics import rules


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Indicator(models.TextChoices):
    SRB = "srb", "出生人口性别比"
    HIGH_ORDER = "high_order", "三孩及以上出生占比"


class Level(models.TextChoices):
    GREEN = rules.GREEN, "正常"
    AMBER = rules.AMBER, "预警"
    RED = rules.RED, "警报"


class Birth(AuditedModel):
    """One live birth (出生登记), recorded for statistics against its registered mother."""

    mother = models.ForeignKey(
        "people.Person", verbose_name="母亲", on_delete=models.PROTECT, related_name="+"
    )
    sex = models.CharField("婴儿性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    birth_order = models.PositiveSmallIntegerField("孩次")
    township = models.ForeignKey(
        "org.Division", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "org.Division", verbose_name="村", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("来源", max_length=100, blank=True)

    scope_division = "township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "出生登记"
        verbose_name_plural = "出生登记"
        ordering = ["-birth_date", "-id"]
        permissions = [("import_birth", "导入出生登记"), ("export_birth", "导出出生统计")]
        constraints = [
            models.UniqueConstraint(fields=["mother", "birth_order"], name="birth_order_once"),
            models.CheckConstraint(condition=models.Q(birth_order__gte=1), name="birth_order_1"),
        ]
        indexes = [models.Index(fields=["birth_date", "township"])]

    def __str__(self) -> str:
        return f"{self.birth_date} {self.get_sex_display()} 第{self.birth_order}孩"


class Threshold(AuditedModel):
    """Warning bands for one indicator from an effective date, with their source."""

    indicator = models.CharField("指标", max_length=20, choices=Indicator.choices)
    effective_from = models.DateField("生效日期")
    green_low = models.DecimalField("正常下限", max_digits=7, decimal_places=2)
    green_high = models.DecimalField("正常上限", max_digits=7, decimal_places=2)
    amber_low = models.DecimalField("预警下限", max_digits=7, decimal_places=2)
    amber_high = models.DecimalField("预警上限", max_digits=7, decimal_places=2)
    minimum_births = models.PositiveIntegerField(
        "最少出生数", help_text="少于此数时指标不稳定，只提示不预警"
    )
    source = models.CharField("依据", max_length=300)
    unconfirmed = models.BooleanField("待核实", default=True)

    class Meta:
        verbose_name = "预警阈值"
        verbose_name_plural = "预警阈值"
        ordering = ["indicator", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "effective_from"], name="threshold_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}（{self.effective_from}起）"

    @property
    def bands(self) -> rules.Bands:
        return rules.Bands(self.green_low, self.green_high, self.amber_low, self.amber_high)


class Alert(AppendOnlyModel):
    """A warning raised once per indicator, division and period (reruns add nothing)."""

    indicator = models.CharField("指标", max_length=20, choices=Indicator.choices)
    division = models.ForeignKey(
        "org.Division", verbose_name="乡镇/县", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField("期间", max_length=7)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    value = models.DecimalField("指标值", max_digits=9, decimal_places=2)
    births = models.PositiveIntegerField("出生数")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    scope_division = "division"
    objects = ScopedManager()

    class Meta:
        verbose_name = "预警记录"
        verbose_name_plural = "预警记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "division", "period"], name="alert_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.division} {self.get_indicator_display()} {self.value}"


class AssessmentScheme(AuditedModel):
    """One year's township target-management scoring scheme (目标管理考核方案)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("名称", max_length=100)
    source = models.CharField("依据", max_length=300)
    unconfirmed = models.BooleanField("待核实", default=True)

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class AssessmentItem(AuditedModel):
    """One scored item; automatic items are computed from another capability's records."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", "监管抽查按月达标"
        FUNDS = "funds", "奖励扶助核查扣分"
        CASES = "cases", "案卷评查得分"
        MANUAL = "manual", "人工评分"

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="items"
    )
    code = models.SlugField("代码", max_length=30)
    name = models.CharField("项目", max_length=100)
    kind = models.CharField("计分方式", max_length=20, choices=Kind.choices)
    max_points = models.DecimalField("满分", max_digits=6, decimal_places=2)
    source = models.CharField("依据", max_length=300)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "考核项目"
        verbose_name_plural = "考核项目"
        ordering = ["scheme", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="item_code_once"),
            models.CheckConstraint(condition=models.Q(max_points__gt=0), name="item_points_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_points}分）"


class ManualScore(AuditedModel):
    """Points given by county staff for a manual item, with the reason."""

    item = models.ForeignKey(
        AssessmentItem, verbose_name="考核项目", on_delete=models.PROTECT, related_name="scores"
    )
    township = models.ForeignKey(
        "org.Division", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField("得分", max_digits=6, decimal_places=2)
    reason = models.CharField("评分理由", max_length=300)
    scored_on = models.DateField("评分日期", default=timezone.localdate)

    scope_division = "township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "人工评分"
        verbose_name_plural = "人工评分"
        ordering = ["item", "township"]
        constraints = [
            models.UniqueConstraint(fields=["item", "township"], name="manual_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.item.name} {self.points}"
