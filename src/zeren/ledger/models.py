"""The duty ledger (履职台账): what each work item of the list expects, and what was done.

A :class:`Record` belongs to the work item of the list version in force on its date; records
come from the capabilities (automatic, through :class:`EventMapping`) or from the sections
(manual, with attachments).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from zeren.core.models import AuditedModel
from zeren.core.scope import ScopedManager


class Cadence(models.TextChoices):
    """How often a work item is expected to show work (the unit a period is checked in)."""

    CONTINUOUS = "continuous", "持续开展（每季度有记录）"
    YEARLY = "yearly", "每年（年度计划）"
    MONTHLY = "monthly", "每月"
    EVENT = "event", "按事件（有事即办）"


class Kind(models.TextChoices):
    PLAN = "plan", "计划"
    DOCUMENT = "document", "文件"
    MEETING = "meeting", "会议"
    INSPECTION = "inspection", "检查"
    CASE = "case", "案件"
    TRAINING = "training", "培训"
    PUBLICITY = "publicity", "宣传活动"
    COORDINATION = "coordination", "协调"
    STATISTICS = "statistics", "统计报表"
    SERVICE = "service", "服务"
    OTHER = "other", "其他"


class Expectation(AuditedModel):
    """What one work item of a published version is expected to show, with its source."""

    work_item = models.OneToOneField(
        "catalogue.WorkItem",
        verbose_name="具体工作事项",
        on_delete=models.CASCADE,
        related_name="expectation",
    )
    cadence = models.CharField("履职要求", max_length=12, choices=Cadence.choices)
    source = models.TextField("清单依据")

    class Meta:
        verbose_name = "履职要求"
        verbose_name_plural = "履职要求"
        ordering = ["work_item__duty__number", "work_item__order"]

    def __str__(self) -> str:
        return f"{self.work_item}：{self.get_cadence_display()}"


class EventMapping(AuditedModel):
    """Which work item (by duty number and item order in the list) an automatic event feeds.

    Data, not code: the bureau edits it in the admin; one event may feed several items.
    Keyed by numbers rather than rows so that it holds across list versions.
    """

    event_key = models.CharField("事件", max_length=60, db_index=True)
    label = models.CharField("说明", max_length=100)
    duty_number = models.PositiveIntegerField("职责序号")
    item_order = models.PositiveIntegerField("事项顺序")
    kind = models.CharField("记录类别", max_length=14, choices=Kind.choices)

    class Meta:
        verbose_name = "自动记录映射"
        verbose_name_plural = "自动记录映射"
        ordering = ["event_key", "duty_number", "item_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "duty_number", "item_order"], name="event_mapping_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} → 第{self.duty_number}项职责第{self.item_order}事项"


class Record(AuditedModel):
    """One performance record (履职记录) of one work item."""

    class Source(models.TextChoices):
        AUTOMATIC = "automatic", "系统自动"
        MANUAL = "manual", "科室登记"

    work_item = models.ForeignKey(
        "catalogue.WorkItem",
        verbose_name="具体工作事项",
        on_delete=models.PROTECT,
        related_name="records",
    )
    date = models.DateField("日期")
    section = models.ForeignKey(
        "org.Section", verbose_name="科室", on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("类别", max_length=14, choices=Kind.choices)
    summary = models.CharField("摘要", max_length=300)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    event_key = models.CharField("事件", max_length=60, blank=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="关联对象类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField("关联对象编号", max_length=64, blank=True)
    division = models.ForeignKey(
        "org.Division", verbose_name="区划", on_delete=models.PROTECT, related_name="+"
    )
    attachment = models.CharField("附件（数据目录内）", max_length=200, blank=True)
    attachment_name = models.CharField("附件原名", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    scope_division = "division"
    objects = ScopedManager()

    class Meta:
        verbose_name = "履职记录"
        verbose_name_plural = "履职记录"
        permissions = [("export_record", "导出履职台账")]
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date", "work_item", "source"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "content_type", "object_id", "work_item"],
                condition=models.Q(source="automatic"),
                name="automatic_record_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.summary[:30]}"


class Plan(AuditedModel):
    """A yearly work plan (年度工作计划) of one work item, with its responsible staff.

    When a new list version is published an open plan moves to the matching item of the new
    version (:class:`ItemMapping`); ``carried_from`` keeps the item it was drawn up under.
    """

    class Status(models.TextChoices):
        OPEN = "open", "执行中"
        CLOSED = "closed", "已完成"

    work_item = models.ForeignKey(
        "catalogue.WorkItem",
        verbose_name="具体工作事项",
        on_delete=models.PROTECT,
        related_name="plans",
    )
    carried_from = models.ForeignKey(
        "catalogue.WorkItem",
        verbose_name="原清单版本事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveIntegerField("年度")
    title = models.CharField("计划名称", max_length=100)
    content = models.TextField("主要内容", blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = "年度工作计划"
        verbose_name_plural = "年度工作计划"
        ordering = ["-year", "work_item__duty__number", "work_item__order", "id"]
        indexes = [models.Index(fields=["year", "status"])]
        constraints = [
            # One yearly plan per work item and year (a plan carried over from a merged item
            # of an older version is the exception: it keeps its own row).
            models.UniqueConstraint(
                fields=["work_item", "year"],
                condition=models.Q(carried_from__isnull=True),
                name="ledger_plan_once_per_item_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"


class Milestone(AuditedModel):
    """A dated step of a plan, with the staff member who answers for it (default: the plan's)."""

    plan = models.ForeignKey(
        Plan, verbose_name="年度工作计划", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField("节点", max_length=100)
    due_on = models.DateField("完成期限")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_on = models.DateField("完成日期", null=True, blank=True)
    record = models.ForeignKey(
        Record,
        verbose_name="履职记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "计划节点"
        verbose_name_plural = "计划节点"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.due_on:%Y-%m-%d}）"

    @property
    def owner_id(self) -> int:
        return self.responsible_id or self.plan.responsible_id


class ItemMapping(AuditedModel):
    """Which item of a newly published version continues an item of the previous one.

    Made when a version is published (same number and text, then same text, then same
    number); an administrator corrects it, and the open plans follow the correction. An
    empty ``new_item`` means the item was dropped: its plans stay where they were.
    """

    class Method(models.TextChoices):
        SAME = "same", "编号与内容相同"
        TEXT = "text", "内容相同（编号变化）"
        NUMBER = "number", "编号相同（内容修改）"
        NONE = "none", "新版本无对应事项"
        MANUAL = "manual", "人工校正"

    old_item = models.OneToOneField(
        "catalogue.WorkItem",
        verbose_name="原版本事项",
        on_delete=models.PROTECT,
        related_name="successor",
    )
    new_item = models.ForeignKey(
        "catalogue.WorkItem",
        verbose_name="新版本事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    method = models.CharField("对应方式", max_length=8, choices=Method.choices)

    class Meta:
        verbose_name = "清单版本事项对应"
        verbose_name_plural = "清单版本事项对应"
        ordering = ["old_item__duty__version__number", "old_item__duty__number", "old_item__order"]

    def __str__(self) -> str:
        return f"{self.old_item} → {self.new_item or '（无）'}"


class PublicSummary(AuditedModel):
    """The annual ledger's public summary (政务公开), published by the bureau head only."""

    year = models.PositiveIntegerField("年度", unique=True)
    text = models.TextField("公开内容")
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "履职情况公开"
        verbose_name_plural = "履职情况公开"
        ordering = ["-year"]
        permissions = [("publish_publicsummary", "发布履职情况公开摘要")]

    def __str__(self) -> str:
        return f"{self.year}年度履职情况公开"
