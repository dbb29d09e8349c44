"""Public services 1-12 at work: their guides, the applications they take, and ratings.

A ``ServiceGuide`` is the 办事指南 of one service of the list, by its number; the service's
name, section and phone stay in the published list. An ``Application`` is one request (办件)
with a receipt number, a one-time lookup code (only its keyed hash is stored), a due day in
working days and an append-only history; after completion the applicant may rate it once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from zeren.core.fields import BlindIndexField, EncryptedTextField, mask_id_number, mask_phone
from zeren.core.models import AppendOnlyModel, AuditedModel
from zeren.publicservices.rules import RATING_LEVELS


class ServiceGuide(AuditedModel):
    """The service guide (办事指南) of public service ``number`` of the list."""

    class Kind(models.TextChoices):
        APPLICATION = "application", "依申请办理"
        REVIEW = "review", "单位申请审查"
        CONSULTATION = "consultation", "咨询"
        CERTIFICATE = "certificate", "办证"
        EVENT = "event", "宣传服务活动"

    class Online(models.TextChoices):
        APPLICATION = "application", "网上申请"
        CERTIFICATE = "certificate", "到乡镇或窗口申请，网上核验"
        NONE = "none", "不适用"

    number = models.PositiveSmallIntegerField("公共服务事项序号", unique=True)
    kind = models.CharField("办理类型", max_length=12, choices=Kind.choices)
    applicants = models.TextField("服务对象")
    materials = models.JSONField("申请材料", default=list, blank=True)
    steps = models.JSONField("办理流程", default=list)
    time_limit_days = models.PositiveSmallIntegerField(
        "承诺时限（工作日）", null=True, blank=True, help_text="空：无办理时限（宣传活动等）"
    )
    time_limit_text = models.CharField("办理时限说明", max_length=100)
    fee = models.CharField("收费标准", max_length=50, default="免费")
    place = models.CharField("办理地点", max_length=100)
    hours = models.CharField("办理时间", max_length=100)
    legal_basis = models.TextField("设定依据")
    online = models.CharField("网上办理", max_length=12, choices=Online.choices)

    class Meta:
        verbose_name = "办事指南"
        verbose_name_plural = "办事指南"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"公共服务事项{self.number}办事指南"

    @property
    def takes_online_applications(self) -> bool:
        return self.online == self.Online.APPLICATION


class Application(AuditedModel):
    """One request for a public service (办件), online or at the counter."""

    class Channel(models.TextChoices):
        ONLINE = "online", "网上申请"
        COUNTER = "counter", "窗口受理"

    class Status(models.TextChoices):
        RECEIVED = "received", "已受理"
        COMPLETED = "completed", "已办结"
        REFUSED = "refused", "不予办理"

    reference = models.CharField("受理编号", max_length=20, unique=True)
    receipt_hash = models.CharField("查询码指纹", max_length=64, editable=False)
    service_number = models.PositiveSmallIntegerField("公共服务事项序号", db_index=True)
    service_name = models.CharField("服务事项", max_length=100)
    section = models.ForeignKey(
        "org.Section", verbose_name="承办科室", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField("受理渠道", max_length=8, choices=Channel.choices)
    applicant_name = models.CharField("申请人（单位）", max_length=100)
    applicant_phone = EncryptedTextField("联系电话", blank=True)
    content = models.TextField("申请事项")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    received_on = models.DateField("受理日期")
    due_on = models.DateField("办理期限", null=True, blank=True)
    finished_on = models.DateField("办结日期", null=True, blank=True)
    result = models.TextField("办理结果", blank=True)
    agency = models.ForeignKey(
        "org.Department",
        verbose_name="申请单位账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="县直单位以本单位账号提交的计生审查",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    audit_exclude = ("created_at", "updated_at", "receipt_hash")

    class Meta:
        verbose_name = "公共服务办件"
        verbose_name_plural = "公共服务办件"
        ordering = ["-received_on", "-id"]
        permissions = [("handle_application", "办理公共服务办件")]
        indexes = [models.Index(fields=["section", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.service_name} {self.reference}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.applicant_phone)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.RECEIVED

    @property
    def is_overdue(self) -> bool:
        from zeren.publicservices.rules import is_overdue

        return is_overdue(self.due_on, self.finished_on, timezone.localdate())


class ApplicationEvent(AppendOnlyModel):
    """One step of an application's history (status from → to, who, when, note)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField("原状态", max_length=10, blank=True)
    to_status = models.CharField("新状态", max_length=10)
    note = models.CharField("说明", max_length=500, blank=True)
    actor_name = models.CharField("经办人", max_length=150)
    time = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "办件记录"
        verbose_name_plural = "办件记录"
        ordering = ["time", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.to_status}"

    @property
    def to_status_label(self) -> str:
        return Application.Status(self.to_status).label


class Rating(AuditedModel):
    """The applicant's one rating (好差评) of a completed application."""

    application = models.OneToOneField(
        Application, verbose_name="办件", on_delete=models.PROTECT, related_name="rating"
    )
    level = models.PositiveSmallIntegerField("评价等级", choices=sorted(RATING_LEVELS.items()))
    reason = models.TextField("评价理由", blank=True)
    rated_at = models.DateTimeField("评价时间", default=timezone.now)

    class Meta:
        verbose_name = "服务评价"
        verbose_name_plural = "服务评价"
        ordering = ["-rated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="rating_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=3) | ~models.Q(reason=""),
                name="bad_rating_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} {self.get_level_display()}"


class FollowUpTask(AuditedModel):
    """The follow-up (整改回访) a bad rating opens for the section that handled the service."""

    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        DONE = "done", "已整改反馈"

    rating = models.OneToOneField(
        Rating, verbose_name="差评", on_delete=models.PROTECT, related_name="follow_up"
    )
    section = models.ForeignKey(
        "org.Section", verbose_name="责任科室", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("整改期限")
    status = models.CharField("状态", max_length=6, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField("整改及反馈情况", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = "差评整改任务"
        verbose_name_plural = "差评整改任务"
        ordering = ["status", "due_on"]

    def __str__(self) -> str:
        return f"差评整改 {self.rating.application.reference}"


class ReviewPerson(AuditedModel):
    """One person of an agency's staff list in a family-planning review (计生审查, service 3)."""

    class Finding(models.TextChoices):
        PENDING = "pending", "待核查"
        CLEAR = "clear", "未发现违反计划生育法律法规的记录"
        NO_RECORD = "no_record", "本局无此人登记信息"
        RECORDS = "records", "有计划生育违法案件记录"

    application = models.ForeignKey(
        Application, verbose_name="审查申请", on_delete=models.PROTECT, related_name="persons"
    )
    row = models.PositiveIntegerField("名单行号")
    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedTextField("身份证号")
    id_number_hash = BlindIndexField(source="id_number", db_index=True)
    purpose = models.CharField("审查事由", max_length=100)
    finding = models.CharField(
        "核查结论", max_length=10, choices=Finding.choices, default=Finding.PENDING
    )
    details = models.TextField("核查情况", blank=True)
    checked_at = models.DateTimeField("核查时间", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "计生审查人员"
        verbose_name_plural = "计生审查人员"
        ordering = ["application", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "id_number_hash"], name="review_person_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class ContraceptiveItem(AuditedModel):
    """A kind of free contraceptive (计划生育药具), e.g. 复方左炔诺孕酮片, 避孕套."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=50)
    unit = models.CharField("单位", max_length=10)

    class Meta:
        verbose_name = "计划生育药具"
        verbose_name_plural = "计划生育药具"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class StockBatch(AuditedModel):
    """What one holder (the county store, a township, a village) has of one batch."""

    item = models.ForeignKey(ContraceptiveItem, verbose_name="药具", on_delete=models.PROTECT)
    batch_number = models.CharField("批号", max_length=30)
    expires_on = models.DateField("有效期至")
    holder = models.ForeignKey(
        "org.Division", verbose_name="库存所在", on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.IntegerField("库存数量")

    class Meta:
        verbose_name = "药具库存"
        verbose_name_plural = "药具库存"
        ordering = ["expires_on", "item", "batch_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "batch_number", "holder"], name="stock_batch_once_per_holder"
            ),
            # The database itself refuses a negative stock, whatever writes it.
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="stock_never_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.batch_number} @ {self.holder}"


class StockMovement(AppendOnlyModel):
    """One receipt, distribution or issuance of a batch (append-only)."""

    class Kind(models.TextChoices):
        RECEIVE = "receive", "上级调入"
        DISTRIBUTE = "distribute", "下发"
        ISSUE = "issue", "发放群众"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    item = models.ForeignKey(ContraceptiveItem, verbose_name="药具", on_delete=models.PROTECT)
    batch_number = models.CharField("批号", max_length=30)
    source = models.ForeignKey(
        "org.Division",
        verbose_name="调出",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target = models.ForeignKey(
        "org.Division",
        verbose_name="调入",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.PositiveIntegerField("数量")
    day = models.DateField("日期")
    note = models.CharField("说明", max_length=200, blank=True)
    actor_name = models.CharField("经办人", max_length=150)
    time = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "药具出入库记录"
        verbose_name_plural = "药具出入库记录"
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item} {self.quantity}"
