"""The published responsibility list (责任清单), versioned.

Editors change the department's one draft; publishing turns the draft into numbered version N
(who, when, summary). Published versions never change; the public sees the latest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zeren.core.models import AuditedModel


class ListVersion(AuditedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    department = models.ForeignKey(
        "org.Department",
        verbose_name="部门",
        on_delete=models.PROTECT,
        related_name="list_versions",
    )
    number = models.PositiveIntegerField("版本号", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField("标题", max_length=100)
    summary = models.TextField("修订说明", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "清单版本"
        verbose_name_plural = "清单版本"
        ordering = ["department", "-number"]
        permissions = [("publish_listversion", "发布责任清单")]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "number"], name="list_version_number_once"
            ),
            models.UniqueConstraint(
                fields=["department"],
                condition=models.Q(status="draft"),
                name="one_draft_per_department",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft", number__isnull=True)
                | models.Q(status="published", number__isnull=False, published_at__isnull=False),
                name="published_versions_are_numbered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} 第{self.number}版" if self.number else f"{self.title}（草稿）"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Duty(AuditedModel):
    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="duties")
    number = models.PositiveIntegerField("序号")
    text = models.TextField("主要职责")

    class Meta:
        verbose_name = "主要职责"
        verbose_name_plural = "主要职责"
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="duty_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"


class WorkItem(AuditedModel):
    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="work_items")
    order = models.PositiveIntegerField("顺序")
    text = models.TextField("具体工作事项")
    section = models.ForeignKey(
        "org.Section", verbose_name="责任科室", on_delete=models.PROTECT, related_name="work_items"
    )

    class Meta:
        verbose_name = "具体工作事项"
        verbose_name_plural = "具体工作事项"
        ordering = ["duty", "order"]

    def __str__(self) -> str:
        return self.text[:40]


class Boundary(AuditedModel):
    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="boundaries")
    number = models.PositiveIntegerField("序号")
    matter = models.CharField("管理事项", max_length=200)
    basis = models.TextField("相关依据", blank=True)
    cases = models.TextField("案例", blank=True)

    class Meta:
        verbose_name = "职责边界"
        verbose_name_plural = "职责边界"
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="boundary_number_once")
        ]

    def __str__(self) -> str:
        return self.matter


class BoundaryDivision(AuditedModel):
    """One department's division of duties (职责分工) in a boundary matter."""

    boundary = models.ForeignKey(Boundary, on_delete=models.CASCADE, related_name="divisions")
    order = models.PositiveIntegerField("顺序")
    department = models.ForeignKey(
        "org.Department", verbose_name="相关部门", on_delete=models.PROTECT, related_name="+"
    )
    duties = models.TextField("职责分工")

    class Meta:
        verbose_name = "职责分工"
        verbose_name_plural = "职责分工"
        ordering = ["boundary", "order"]

    def __str__(self) -> str:
        return f"{self.department}：{self.duties[:30]}"


class PublicService(AuditedModel):
    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="services")
    number = models.PositiveIntegerField("序号")
    name = models.CharField("服务事项", max_length=100)
    content = models.TextField("主要内容")
    section = models.ForeignKey(
        "org.Section", verbose_name="承办科室", on_delete=models.PROTECT, related_name="services"
    )
    phone = models.CharField("联系电话", max_length=30)

    class Meta:
        verbose_name = "公共服务事项"
        verbose_name_plural = "公共服务事项"
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="service_number_once")
        ]

    def __str__(self) -> str:
        return self.name


class Regime(AuditedModel):
    """A supervision regime (事中事后监管制度) as headed text."""

    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="regimes")
    number = models.PositiveIntegerField("序号")
    title = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = "监管制度"
        verbose_name_plural = "监管制度"
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="regime_number_once")
        ]

    def __str__(self) -> str:
        return self.title


class RegimeSection(AuditedModel):
    regime = models.ForeignKey(Regime, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField("顺序")
    heading = models.CharField("标题", max_length=100, blank=True)
    text = models.TextField("内容")

    class Meta:
        verbose_name = "制度条款"
        verbose_name_plural = "制度条款"
        ordering = ["regime", "order"]

    def __str__(self) -> str:
        return self.heading or "（引言）"
