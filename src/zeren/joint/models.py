"""The boundary as a joint space (联合查处): joint clues and cases of a boundary matter.

A matter (线索 or 联合案件) is opened under a boundary of the list by any participating
department; each participating department gets a task (its division of duties from the
boundary table) with a due date and replies (hand-off, acknowledgment, result: who, when).
Around it: an information-sharing feed and coordination meetings. A department sees only the
matters it takes part in; the bureau (the leading group's office) sees all of them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from zeren.core.models import AuditedModel


class Matter(AuditedModel):
    class Kind(models.TextChoices):
        CLUE = "clue", "线索"
        CASE = "case", "联合案件"

    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        CLOSED = "closed", "已办结"

    boundary = models.ForeignKey(
        "catalogue.Boundary",
        verbose_name="职责边界事项",
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.CLUE)
    title = models.CharField("标题", max_length=100)
    description = models.TextField("情况")
    opened_by = models.ForeignKey(
        "org.Department", verbose_name="发起部门", on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField("发起日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    departments = models.ManyToManyField(
        "org.Department", verbose_name="参与部门", related_name="joint_matters"
    )
    # Links to the bureau's own work (by reference; the joint app never imports them).
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="本局执法案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspection_task = models.ForeignKey(
        "supervision.InspectionTask",
        verbose_name="监管检查任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report = models.ForeignKey(
        "supervision.Report",
        verbose_name="举报投诉",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "联合查处事项"
        verbose_name_plural = "联合查处事项"
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Task(AuditedModel):
    """One department's part in a matter, from its division of duties in the boundary table."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "已交办"
        ACKNOWLEDGED = "acknowledged", "已签收"
        DONE = "done", "已反馈结果"

    matter = models.ForeignKey(
        Matter, verbose_name="事项", on_delete=models.CASCADE, related_name="tasks"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name="承办部门", on_delete=models.PROTECT, related_name="+"
    )
    duties = models.TextField("职责分工")
    due_on = models.DateField("办理期限")
    status = models.CharField(
        "状态", max_length=14, choices=Status.choices, default=Status.ASSIGNED
    )
    done_on = models.DateField("反馈结果日期", null=True, blank=True)

    class Meta:
        verbose_name = "部门任务"
        verbose_name_plural = "部门任务"
        ordering = ["matter", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "department"], name="joint_task_once")
        ]

    def __str__(self) -> str:
        return f"{self.matter}：{self.department}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Not answered with a result by its due date (answered late counts as overdue too)."""
        today = today or timezone.localdate()
        if self.done_on is not None:
            return self.done_on > self.due_on
        return today > self.due_on


class Reply(AuditedModel):
    """A department's answer on its task: who, when, what."""

    class Kind(models.TextChoices):
        HANDOFF = "handoff", "转交"
        ACKNOWLEDGE = "acknowledge", "签收"
        RESULT = "result", "结果反馈"

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="replies"
    )
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    text = models.TextField("内容")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="答复人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("答复时间", default=timezone.now)

    class Meta:
        verbose_name = "任务答复"
        verbose_name_plural = "任务答复"
        ordering = ["task", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class InformationShare(AuditedModel):
    """An entry of the matter's information-sharing feed (who shared what with whom, when)."""

    matter = models.ForeignKey(
        Matter, verbose_name="事项", on_delete=models.CASCADE, related_name="feed"
    )
    from_department = models.ForeignKey(
        "org.Department", verbose_name="共享部门", on_delete=models.PROTECT, related_name="+"
    )
    to_department = models.ForeignKey(
        "org.Department",
        verbose_name="共享给（空为全部参与部门）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField("内容")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="共享人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "信息共享"
        verbose_name_plural = "信息共享"
        ordering = ["matter", "-at", "-id"]

    def __str__(self) -> str:
        return self.text[:30]


class Meeting(AuditedModel):
    """A coordination meeting of the leading group on a matter: minutes and decisions."""

    matter = models.ForeignKey(
        Matter, verbose_name="事项", on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField("会议日期")
    minutes = models.TextField("会议纪要")
    decisions = models.TextField("议定事项", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "协调会议"
        verbose_name_plural = "协调会议"
        ordering = ["matter", "-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} 协调会"
