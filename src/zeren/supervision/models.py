"""Supervision regimes as data, sampling plans, inspection tasks, reports and notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from zeren.core.fields import BlindIndexField, EncryptedTextField
from zeren.core.models import AuditedModel
from zeren.core.scope import ScopedManager


class SubjectKind(models.TextChoices):
    REBIRTH = "rebirth", "再生育证持证人"
    TERMINATION = "termination", "终止妊娠手术批准对象"
    BENEFICIARY = "beneficiary", "扶助对象（扶助金模块）"


class SupervisionRegime(AuditedModel):
    """One regime of section 四 of the list, with its figures, in force from a date.

    A change of figures is a new row with a later ``effective_from``; plans keep the row that
    was in force when they were drawn.
    """

    class Frequency(models.TextChoices):
        MONTH = "month", "每月"
        YEAR = "year", "每年"

    class Level(models.TextChoices):
        TOWNSHIP = "township", "乡镇"
        COUNTY = "county", "县局"

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=100)
    list_regime = models.ForeignKey(
        "catalogue.Regime",
        verbose_name="清单监管制度",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_regimes",
        help_text="责任清单“四、事中事后监管制度”中本制度所落实的一项（最新发布的版本）",
    )
    effective_from = models.DateField("施行日期")
    source = models.CharField("出处", max_length=200)
    source_text = models.TextField("原文")
    subject_kind = models.CharField("检查对象", max_length=12, choices=SubjectKind.choices)
    subject_statuses = models.JSONField("对象的许可状态", default=list, blank=True)
    lookback_months = models.PositiveSmallIntegerField(
        "对象范围（批准于最近几个月内）",
        default=12,
        help_text="对象为批准日期落在本期及之前若干个月（含本月）的许可",
    )
    frequency = models.CharField("频次", max_length=5, choices=Frequency.choices)
    rounds_per_year = models.PositiveSmallIntegerField("每年至少次数", default=12)
    coverage_ratio = models.DecimalField("抽查面不少于", max_digits=5, decimal_places=4)
    minimum_count = models.PositiveIntegerField("每次至少件数", default=0)
    performed_by = models.CharField("实施层级", max_length=10, choices=Level.choices)
    partner = models.CharField("联合部门", max_length=50, blank=True)
    officers_per_task = models.PositiveSmallIntegerField(
        "每项检查执法人员数", default=0, help_text="0 表示由乡镇工作人员随访；否则不少于2"
    )
    check_items = models.JSONField("监督检查内容", default=list)
    methods = models.JSONField("监督检查方式", default=list)
    outcomes = models.JSONField("处理方式", default=list)
    alert_days = models.PositiveSmallIntegerField("期末前几天预警", default=5)
    auto_draw = models.BooleanField("每期自动抽取", default=False)
    unconfirmed = models.BooleanField("有待核实", default=False)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "监管制度"
        verbose_name_plural = "监管制度"
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="regime_version_once"),
            models.CheckConstraint(
                condition=models.Q(coverage_ratio__gte=0) & models.Q(coverage_ratio__lte=1),
                name="regime_ratio_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=models.Q(officers_per_task=0) | models.Q(officers_per_task__gte=2),
                name="regime_officers_zero_or_two_plus",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def draws_permits(self) -> bool:
        return self.subject_kind in (SubjectKind.REBIRTH, SubjectKind.TERMINATION)

    @property
    def ratio_percent(self) -> str:
        return f"{self.coverage_ratio * 100:.0f}%"


class SamplingPlan(AuditedModel):
    """A draw for one regime, period and scope: seed commitment, frozen population, sample."""

    class Status(models.TextChoices):
        COMMITTED = "committed", "已承诺种子"
        DRAWN = "drawn", "已抽取"

    regime = models.ForeignKey(
        SupervisionRegime, verbose_name="监管制度", on_delete=models.PROTECT, related_name="plans"
    )
    period = models.CharField("期间", max_length=7, db_index=True)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    division = models.ForeignKey(
        "org.Division", verbose_name="范围", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.COMMITTED
    )
    seed_hash = models.CharField("种子哈希（SHA-256）", max_length=64)
    seed = models.CharField("种子", max_length=200)
    seed_source = models.CharField("种子来源", max_length=200, blank=True)
    committed_at = models.DateTimeField("承诺时间", default=timezone.now)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.CharField("抽取人", max_length=150, blank=True)
    algorithm = models.CharField("算法", max_length=40)
    inspection_date = models.DateField("检查日期")
    due_date = models.DateField("完成期限")
    population = models.JSONField("冻结的对象（编号，升序）", default=list, blank=True)
    population_count = models.PositiveIntegerField("对象数", default=0)
    population_digest = models.CharField("对象摘要", max_length=64, blank=True)
    coverage_ratio = models.DecimalField("抽查面", max_digits=5, decimal_places=4, default=0)
    minimum_count = models.PositiveIntegerField("至少件数", default=0)
    officers_per_task = models.PositiveSmallIntegerField("每项执法人员数", default=0)
    required_count = models.PositiveIntegerField("应抽查数", default=0)
    sample = models.JSONField("抽中的对象（按抽取顺序）", default=list, blank=True)
    officer_pool = models.JSONField("可抽派的执法人员", default=list, blank=True)
    officer_exclusions = models.JSONField("因回避排除", default=dict, blank=True)
    assignments = models.JSONField("抽派结果", default=dict, blank=True)

    scope_division = "division"
    objects = ScopedManager()

    audit_exclude = ("created_at", "updated_at", "population", "sample", "officer_exclusions")

    class Meta:
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"
        ordering = ["-period", "regime", "division"]
        permissions = [("draw_samplingplan", "抽取抽查计划")]
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "period", "division", "round"], name="plan_once_per_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.regime.name} {self.period} {self.division.name} 第{self.round}轮"

    @property
    def no_subjects(self) -> bool:
        return self.status == self.Status.DRAWN and self.population_count == 0


class Result(models.TextChoices):
    PENDING = "pending", "未完成"
    CONFORMING = "conforming", "符合规定"
    FINDING = "finding", "发现问题"


class InspectionTask(AuditedModel):
    """One check of one licence: from a plan's sample, or ad hoc from a report."""

    plan = models.ForeignKey(
        SamplingPlan,
        verbose_name="抽查计划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    regime = models.ForeignKey(
        SupervisionRegime, verbose_name="监管制度", on_delete=models.PROTECT, related_name="+"
    )
    permit = models.ForeignKey(
        "permits.Permit", verbose_name="许可", on_delete=models.PROTECT, related_name="inspections"
    )
    township = models.ForeignKey(
        "org.Division", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+"
    )
    checklist = models.JSONField("检查清单", default=list)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officers = models.ManyToManyField(
        "org.Officer", verbose_name="执法人员", through="TaskOfficer", related_name="+"
    )
    inspection_date = models.DateField("计划检查日期")
    due_date = models.DateField("完成期限", db_index=True)
    visit_date = models.DateField("实际检查日期", null=True, blank=True)
    result = models.CharField(
        "结果", max_length=10, choices=Result.choices, default=Result.PENDING, db_index=True
    )
    evidence = models.TextField("证据与记录", blank=True)
    reminded_at = models.DateTimeField("已提醒", null=True, blank=True)
    reassigned_reason = models.CharField("改派事由", max_length=200, blank=True)

    scope_division = "township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "检查任务"
        verbose_name_plural = "检查任务"
        ordering = ["due_date", "id"]
        permissions = [("assign_inspectiontask", "抽派检查人员")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "permit"],
                condition=models.Q(plan__isnull=False),
                name="task_once_per_plan_subject",
            )
        ]
        indexes = [models.Index(fields=["plan", "result"])]

    def __str__(self) -> str:
        return f"{self.regime.name}：{self.permit}"


class TaskOfficer(models.Model):
    """An officer on a task, with the certificate that was valid on the inspection date."""

    task = models.ForeignKey(InspectionTask, on_delete=models.CASCADE, related_name="crew")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey(
        "org.EnforcementCertificate", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "检查人员"
        verbose_name_plural = "检查人员"
        constraints = [
            models.UniqueConstraint(fields=["task", "officer"], name="task_officer_once")
        ]

    def __str__(self) -> str:
        return f"{self.officer}（{self.certificate}）"


class Disposition(AuditedModel):
    """What follows a finding: revoke or cancel the licence, refer, notify, or open a case."""

    class Kind(models.TextChoices):
        REVOKE = "revoke", "撤销许可"
        CANCEL = "cancel", "注销许可"
        REFER_HEALTH = "refer_health", "移送卫生局处理（医疗机构违规）"
        NOTIFY_DISCIPLINE = "notify_discipline", "通报纪委（党员干部）"
        OPEN_CASE = "open_case", "立案查处"

    task = models.ForeignKey(
        InspectionTask,
        verbose_name="检查任务",
        on_delete=models.PROTECT,
        related_name="dispositions",
    )
    kind = models.CharField("处理方式", max_length=20, choices=Kind.choices)
    ground = models.CharField("事由代码", max_length=30, blank=True)
    note = models.TextField("说明", blank=True)
    documents = models.CharField("文书", max_length=500, blank=True)
    permit_event = models.ForeignKey(
        "permits.PermitEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case_reference = models.CharField(
        "案件编号",
        max_length=64,
        blank=True,
        help_text="由案件查处模块立案后填写；此处只保存链接",
    )
    decided_by = models.CharField("经办人", max_length=150, blank=True)

    class Meta:
        verbose_name = "处理"
        verbose_name_plural = "处理"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ConflictDeclaration(AuditedModel):
    """An officer's declared conflict (回避): a relative, an interest, or a village."""

    class Kind(models.TextChoices):
        RELATIVE = "relative", "近亲属"
        INTEREST = "interest", "利害关系"
        VILLAGE = "village", "同村"

    officer = models.ForeignKey(
        "org.Officer", verbose_name="执法人员", on_delete=models.PROTECT, related_name="conflicts"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name="相对人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    village = models.ForeignKey(
        "org.Division",
        verbose_name="村",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    declared_on = models.DateField("申报日期", default=timezone.localdate)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)

    class Meta:
        verbose_name = "回避申报"
        verbose_name_plural = "回避申报"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(village__isnull=False),
                name="conflict_names_a_person_or_village",
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.get_kind_display()}"


class Report(AuditedModel):
    """A report or complaint (举报/投诉); the reporter's identity only for its handlers."""

    class Kind(models.TextChoices):
        REPORT = "report", "举报"
        COMPLAINT = "complaint", "投诉"

    class Channel(models.TextChoices):
        PUBLIC = "public", "网上提交"
        STAFF = "staff", "工作人员登记"

    class Status(models.TextChoices):
        RECEIVED = "received", "已受理"
        INVESTIGATING = "investigating", "核查中"
        CLOSED = "closed", "已办结"

    reference = models.CharField("受理编号", max_length=20, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    channel = models.CharField("来源", max_length=10, choices=Channel.choices)
    township = models.ForeignKey(
        "org.Division", verbose_name="所涉乡镇", on_delete=models.PROTECT, related_name="+"
    )
    permit_number = models.CharField("所涉证号", max_length=40, blank=True)
    permit = models.ForeignKey(
        "permits.Permit",
        verbose_name="所涉许可",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    content = models.TextField("内容")
    reporter_name = EncryptedTextField("举报人姓名", blank=True, default="")
    reporter_phone = EncryptedTextField("举报人电话", blank=True, default="")
    reporter_phone_hash = BlindIndexField(source="reporter_phone", blank=True, db_index=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=15, choices=Status.choices, default=Status.RECEIVED
    )
    task = models.OneToOneField(
        InspectionTask,
        verbose_name="核查任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report",
    )
    outcome = models.TextField("办理结果", blank=True)
    reply = models.TextField(
        "答复举报人",
        blank=True,
        help_text="公开查询页向持查询码者显示；不要写入任何人的个人信息",
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    # Only a keyed hash of the receipt code is kept: the code itself is shown once.
    receipt_hash = models.CharField("查询码摘要", max_length=64, blank=True, db_index=True)

    audit_exclude = ("created_at", "updated_at", "receipt_hash")
    scope_division = "township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "举报投诉"
        verbose_name_plural = "举报投诉"
        ordering = ["-id"]
        permissions = [("handle_report", "办理举报投诉")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def reporter_masked(self) -> str:
        """What everyone but the handler sees: nothing of the identity itself."""
        if not self.reporter_name and not self.reporter_phone:
            return "匿名"
        return "已留身份信息（仅承办人可见）"
