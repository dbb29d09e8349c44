"""Enforcement cases: rule sets, the discretion catalogue, cases and their events and documents."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models

from zeren.core.fields import BlindIndexField, EncryptedJSONField, EncryptedTextField
from zeren.core.models import AppendOnlyModel, AuditedModel
from zeren.core.scope import ScopedManager


class CaseKind(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    FEE = "fee", "征收社会抚养费"


class RuleSet(AuditedModel):
    """A set of legal figures in force from a date (the list's set, the 2021 law's set...)."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    effective_from = models.DateField("施行日期", unique=True)
    source = models.CharField("依据", max_length=300)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "规则集"
        verbose_name_plural = "规则集"
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d}起）"


class Rule(AuditedModel):
    """One legal figure: a period, a rate, an amount, a date or a flag, with its source."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", "工作日"
        DAYS = "days", "日"
        MONTHS = "months", "月"
        YEARS = "years", "年"
        PERMILLE_MONTH = "permille_month", "‰/月"
        PERCENT_DAY = "percent_day", "%/日"
        YUAN = "yuan", "元"
        DATE = "date", "日期"
        FLAG = "flag", "是/否"

    rule_set = models.ForeignKey(
        RuleSet, verbose_name="规则集", on_delete=models.CASCADE, related_name="rules"
    )
    key = models.SlugField("键", max_length=40)
    label = models.CharField("规则", max_length=100)
    value = models.CharField("数值", max_length=40)
    unit = models.CharField("单位", max_length=20, choices=Unit.choices)
    roll_forward = models.BooleanField(
        "期满逢休息日顺延", default=False, help_text="期间末日为休息日的，顺延至下一个工作日"
    )
    source = models.CharField("依据", max_length=300)
    confirmed = models.BooleanField("已核实", default=True)

    class Meta:
        verbose_name = "规则"
        verbose_name_plural = "规则"
        ordering = ["rule_set", "key"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "key"], name="rule_once")]

    def __str__(self) -> str:
        return f"{self.label}：{self.value}{self.get_unit_display()}"


class RuleVersion(AuditedModel):
    """One dated version of one legal period (the clock's rules, each dated on its own).

    Procedural versions apply by the day their period starts (程序从新); substantive ones by
    the day of the act, unless the later law is lighter (APL 2021 Art. 37).
    """

    class Basis(models.TextChoices):
        PROCEDURAL = "procedural", "程序性（按期间起算日选版本）"
        SUBSTANTIVE = "substantive", "实体性（按行为日选版本，从旧兼从轻）"

    class After(models.TextChoices):
        NONE = "", "—"
        LITIGATION = "litigation", "起诉期限届满后"
        REVIEW_AND_LITIGATION = "review_and_litigation", "复议、诉讼期限均届满后"

    key = models.SlugField("键", max_length=40)
    label = models.CharField("规则", max_length=100)
    valid_from = models.DateField("施行日期")
    value = models.CharField("数值", max_length=40)
    unit = models.CharField("单位", max_length=20, choices=Rule.Unit.choices)
    roll_forward = models.BooleanField(
        "期满逢休息日顺延",
        default=False,
        help_text="期间末日为法定休假日或休息日的，顺延至下一个工作日",
    )
    basis = models.CharField(
        "选版本方式", max_length=12, choices=Basis.choices, default=Basis.PROCEDURAL
    )
    source = models.CharField("依据", max_length=300)
    confirmed = models.BooleanField("已核实", default=True)
    target_value = models.CharField(
        "本局办理目标数值",
        max_length=40,
        blank=True,
        help_text="责任清单的数字严于法律时填写，显示为“建议办理日”，法定届满日不变",
    )
    target_unit = models.CharField(
        "本局办理目标单位", max_length=20, choices=Rule.Unit.choices, blank=True
    )
    target_source = models.CharField("本局办理目标依据", max_length=300, blank=True)
    after = models.CharField(
        "起算（仅申请强制执行）", max_length=30, choices=After.choices, blank=True
    )
    running = models.BooleanField(
        "也适用于施行日尚未届满的期间", default=False, help_text="过渡性规定（如2015年起诉期限）"
    )
    running_source = models.CharField("过渡性规定依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "期限规则版本"
        verbose_name_plural = "期限规则版本"
        ordering = ["key", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="rule_version_once")
        ]

    def __str__(self) -> str:
        return (
            f"{self.label}（{self.valid_from:%Y-%m-%d}起）：{self.value}{self.get_unit_display()}"
        )


class Violation(AuditedModel):
    """A violation in the discretion catalogue, with its legal limits."""

    class Basis(models.TextChoices):
        FIXED = "fixed", "固定数额"
        GAINS = "gains", "违法所得倍数"
        INCOME = "income", "上年人均收入倍数"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("违法行为", max_length=200)
    kind = models.CharField("案件类别", max_length=10, choices=CaseKind.choices)
    legal_basis = models.TextField("法律依据")
    basis = models.CharField("计算方式", max_length=10, choices=Basis.choices)
    legal_min = models.DecimalField("法定最低（元）", max_digits=12, decimal_places=2, null=True)
    legal_max = models.DecimalField("法定最高（元）", max_digits=12, decimal_places=2, null=True)
    min_multiple = models.DecimalField("最低倍数", max_digits=6, decimal_places=2, null=True)
    max_multiple = models.DecimalField("最高倍数", max_digits=6, decimal_places=2, null=True)
    gains_threshold = models.DecimalField(
        "按倍数计算的违法所得起点（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    source = models.CharField("出处", max_length=300)
    confirmed = models.BooleanField("已核实", default=False)
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "违法行为（裁量基准）"
        verbose_name_plural = "违法行为（裁量基准）"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class DiscretionGrade(AuditedModel):
    """A grade of a violation's discretion standard: a share of the legal range, and its factors."""

    class Grade(models.TextChoices):
        MITIGATED = "mitigated", "减轻"
        LENIENT = "lenient", "从轻"
        STANDARD = "standard", "一般"
        AGGRAVATED = "aggravated", "从重"

    violation = models.ForeignKey(
        Violation, verbose_name="违法行为", on_delete=models.CASCADE, related_name="grades"
    )
    grade = models.CharField("裁量等级", max_length=12, choices=Grade.choices)
    low = models.DecimalField("幅度下限（占法定幅度比例）", max_digits=4, decimal_places=3)
    high = models.DecimalField("幅度上限（占法定幅度比例）", max_digits=4, decimal_places=3)
    factors = models.JSONField("适用情形", default=list)

    class Meta:
        verbose_name = "裁量等级"
        verbose_name_plural = "裁量等级"
        ordering = ["violation", "low"]
        constraints = [
            models.UniqueConstraint(fields=["violation", "grade"], name="grade_once"),
            models.CheckConstraint(
                condition=models.Q(low__gte=0, high__lte=1, high__gte=models.F("low")),
                name="grade_within_legal_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.violation} · {self.get_grade_display()}"


class PenaltyKind(models.TextChoices):
    """The kinds of administrative penalty, Administrative Penalty Law 2021 Art. 9."""

    WARNING = "warning", "警告、通报批评"
    FINE = "fine", "罚款"
    CONFISCATION = "confiscation", "没收违法所得、没收非法财物"
    LICENCE = "licence", "暂扣许可证件、降低资质等级、吊销许可证件"
    RESTRICTION = "restriction", "限制开展生产经营活动、责令停产停业、责令关闭、限制从业"
    DETENTION = "detention", "行政拘留"
    OTHER = "other", "法律、行政法规规定的其他行政处罚"


# Kinds with a sum to pay (the payment, late fee and court deadlines apply).
MONETARY_PENALTIES = {PenaltyKind.FINE, PenaltyKind.CONFISCATION}
# Summary procedure, APL 2021 Art. 51: a warning, or a fine up to the limits.
SUMMARY_PENALTIES = {PenaltyKind.WARNING, PenaltyKind.FINE}


class Step(models.TextChoices):
    FILED = "filed", "已立案（调查）"
    NOTIFIED = "notified", "已告知"
    HEARING = "hearing", "听证"
    APPROVED = "approved", "已审批"
    DECIDED = "decided", "已决定"
    SERVED = "served", "已送达（执行）"
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"


class Case(AuditedModel):
    """One enforcement case (one case, one file)."""

    class PartyKind(models.TextChoices):
        PERSON = "person", "公民"
        ORGANISATION = "organisation", "法人或其他组织"

    class Procedure(models.TextChoices):
        GENERAL = "general", "普通程序"
        SUMMARY = "summary", "简易程序（当场处罚）"

    number = models.CharField("案号", max_length=40, unique=True)
    kind = models.CharField("案件类别", max_length=10, choices=CaseKind.choices)
    rule_set = models.ForeignKey(
        RuleSet, verbose_name="适用规则集", on_delete=models.PROTECT, related_name="cases"
    )
    step = models.CharField("环节", max_length=10, choices=Step.choices, default=Step.FILED)
    procedure = models.CharField(
        "程序", max_length=10, choices=Procedure.choices, default=Procedure.GENERAL
    )
    penalty_kind = models.CharField(
        "处罚种类",
        max_length=20,
        choices=PenaltyKind.choices,
        default=PenaltyKind.FINE,
        help_text="行政处罚法第九条；社会抚养费案件为“罚款”以外的征收，此处不适用",
    )

    party_kind = models.CharField("当事人类型", max_length=12, choices=PartyKind.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name="当事人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # The party's names are encrypted and bound to this key (core.fields); a keyed hash of
    # the exact organisation name finds an earlier fine of the same party.
    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation_name = EncryptedTextField("单位名称", max_length=100, blank=True, default="")
    organisation_name_hash = BlindIndexField(source="organisation_name", db_index=True, blank=True)
    organisation_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = EncryptedTextField("法定代表人", max_length=50, blank=True, default="")

    violation = models.ForeignKey(
        Violation, verbose_name="违法行为", on_delete=models.PROTECT, related_name="cases"
    )
    facts = models.TextField("案情摘要")
    act_date = models.DateField("违法行为发生日")
    act_end_date = models.DateField("违法行为终了日", null=True, blank=True)
    birth_date = models.DateField("子女出生日期", null=True, blank=True)
    serious = models.BooleanField("涉及公民生命健康安全或金融安全", default=False)
    complex = models.BooleanField("情节复杂或重大", default=False)

    township = models.ForeignKey(
        "org.Division", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    officers = models.ManyToManyField("org.Officer", verbose_name="执法人员", related_name="cases")

    filed_on = models.DateField("立案日期", db_index=True)
    # Empty for a decision on the spot (简易程序), which is not filed for approval first.
    filing_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="立案批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notice_served_on = models.DateField("告知书送达日期", null=True, blank=True)
    statement = models.TextField("陈述申辩", blank=True)
    statement_recorded_on = models.DateField("陈述申辩记录日期", null=True, blank=True)
    hearing_waived = models.BooleanField("书面放弃听证", default=False)
    hearing_requested_on = models.DateField("听证申请日期", null=True, blank=True)
    hearing_notice_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_place = models.CharField("听证地点", max_length=100, blank=True)
    hearing_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="听证主持人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hearing_held_on = models.DateField("听证举行日期", null=True, blank=True)

    grade = models.CharField(
        "裁量等级", max_length=12, choices=DiscretionGrade.Grade.choices, blank=True
    )
    circumstances = models.JSONField("裁量情节", default=list, blank=True)
    gains = models.DecimalField(
        "违法所得（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    base_income = models.DecimalField(
        "上年人均收入（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(
        "金额（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_reason = models.TextField("偏离裁量幅度的理由", blank=True)

    collective_on = models.DateField("集体讨论日期", null=True, blank=True)
    collective_minutes = models.TextField("集体讨论纪要", blank=True)
    legal_review_on = models.DateField("法制审核日期", null=True, blank=True)
    legal_review_opinion = models.TextField("法制审核意见", blank=True)
    approved_on = models.DateField("审批日期", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_extension_days = models.PositiveIntegerField("决定期限延长（日）", default=0)
    decision_extension_reason = models.TextField("延长理由", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_number = models.CharField("决定书文号", max_length=40, blank=True)

    served_on = models.DateField("送达日期", null=True, blank=True)
    service_recipient = EncryptedTextField("受送达人/签收人", max_length=50, blank=True, default="")
    service_recipient_role = models.CharField("签收人身份", max_length=20, blank=True)
    service_method = models.CharField("送达方式", max_length=20, blank=True)
    service_signature = EncryptedTextField("签收人签名", max_length=50, blank=True, default="")
    due_on = models.DateField("缴纳期限", null=True, blank=True)
    reminder_served_on = models.DateField("催告书送达日期", null=True, blank=True)
    court_applied_on = models.DateField("申请法院强制执行日期", null=True, blank=True)
    paid_off_on = models.DateField("缴清日期", null=True, blank=True)
    summary_reported_on = models.DateField(
        "当场处罚决定备案日期", null=True, blank=True, help_text="报所属行政机关备案的日期"
    )

    closed_on = models.DateField("结案日期", null=True, blank=True)
    closure_summary = models.TextField("结案报告", blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)

    scope_division = "township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-id"]
        permissions = [
            ("approve_case", "审批案件（立案、决定、回避）"),
            ("review_case", "案卷评查"),
        ]
        indexes = [
            models.Index(fields=["township", "step"]),
            models.Index(fields=["step", "filed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party_kind="organisation") | models.Q(person__isnull=False),
                name="case_person_party_has_person",
            ),
            models.UniqueConstraint(
                fields=["decision_number"],
                condition=~models.Q(decision_number=""),
                name="decision_number_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"

    @property
    def party_name(self) -> str:
        if self.party_kind == self.PartyKind.PERSON and self.person_id:
            return self.person.name
        return self.organisation_name

    @property
    def act_ended_on(self) -> dt.date:
        return self.act_end_date or self.act_date

    @property
    def principal_paid(self) -> Decimal:
        return sum(
            (p.amount for p in self.payments.all() if p.kind == Payment.Kind.PRINCIPAL),
            Decimal("0"),
        )


class CaseEvent(AppendOnlyModel):
    """One step of a case's story: who did what when, with which documents (append-only)."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="events"
    )
    time = models.DateTimeField("记录时间", auto_now_add=True)
    on = models.DateField("发生日期")
    step = models.CharField("环节", max_length=10, choices=Step.choices)
    action = models.CharField("事项", max_length=30)
    summary = models.TextField("内容")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("经办人姓名", max_length=50)
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "案件记录"
        verbose_name_plural = "案件记录"
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.summary}"


class CaseDocument(AuditedModel):
    """A numbered document in the case file; the file is rendered from its data on demand."""

    class Form(models.TextChoices):
        FILING = "filing", "立案审批表"
        INTERVIEW = "interview", "询问笔录"
        INQUIRY = "inquiry", "调查笔录"
        NOTICE = "notice", "告知书"
        APPROVAL = "approval", "审批表"
        HEARING_NOTICE = "hearing_notice", "听证通知书"
        HEARING_RECORD = "hearing_record", "听证笔录"
        DECISION_FEE = "decision_fee", "征收社会抚养费决定书"
        DECISION_PENALTY = "decision_penalty", "行政处罚决定书"
        DECISION_ON_SPOT = "decision_on_spot", "当场处罚决定书"
        PROOF_OF_SERVICE = "service", "送达回证"
        REMINDER = "reminder", "催告书"
        COURT_APPLICATION = "court", "强制执行申请书"
        CLOSURE = "closure", "结案报告"
        CATALOGUE = "catalogue", "卷内文件目录"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="documents"
    )
    event = models.ForeignKey(
        CaseEvent,
        verbose_name="案件记录",
        null=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    sequence = models.PositiveIntegerField("卷内序号")
    form = models.CharField("文书", max_length=20, choices=Form.choices)
    number = models.CharField("文书编号", max_length=50)
    on = models.DateField("文书日期")
    # The document's content names the party with address: encrypted, bound to the row.
    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data = EncryptedJSONField("内容")
    # A wrong record is never deleted: it stays in the file, marked void with the reason.
    voided_on = models.DateField("作废日期", null=True, blank=True)
    void_reason = models.TextField("作废理由", blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作废人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_division = "case__township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "案件文书"
        verbose_name_plural = "案件文书"
        ordering = ["case", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="document_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_form_display()}" + ("（已作废）" if self.voided_on else "")


class Recusal(AuditedModel):
    """A recusal declared by or against an officer (or the hearing chair), and its decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待决定"
        GRANTED = "granted", "准予回避"
        REFUSED = "refused", "不予回避"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="recusals"
    )
    officer = models.ForeignKey(
        "org.Officer", verbose_name="执法人员", on_delete=models.PROTECT, related_name="+"
    )
    declared_by = models.CharField("提出方", max_length=20)
    declared_on = models.DateField("提出日期")
    reason = models.TextField("理由")
    decision = models.CharField(
        "决定", max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "回避"
        verbose_name_plural = "回避"
        ordering = ["case", "declared_on"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.officer} {self.get_decision_display()}"


class Payment(AppendOnlyModel):
    """Money received on a case (append-only ledger row)."""

    class Kind(models.TextChoices):
        PRINCIPAL = "principal", "罚没款/社会抚养费"
        LATE_FEE = "late_fee", "滞纳金/加处罚款"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="payments"
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    paid_on = models.DateField("缴款日期")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    receipt = models.CharField("票据号", max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "缴款"
        verbose_name_plural = "缴款"
        ordering = ["case", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.paid_on:%Y-%m-%d} {self.amount}"


class Instalment(AuditedModel):
    """An approved instalment of the principal (分期缴纳)."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="instalments"
    )
    due_on = models.DateField("应缴日期")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "分期"
        verbose_name_plural = "分期"
        ordering = ["case", "due_on"]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} {self.amount}"


class FileReview(AuditedModel):
    """A half-yearly review (评查) of one closed case file, scored on the checklist."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="reviews"
    )
    period = models.CharField("评查期", max_length=7, help_text="如 2026H1")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评查人", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField("评查日期")
    scores = models.JSONField("各项得分")
    total = models.DecimalField("总分", max_digits=5, decimal_places=1)
    remarks = models.TextField("评查意见", blank=True)

    scope_division = "case__township"
    objects = ScopedManager()

    class Meta:
        verbose_name = "案卷评查"
        verbose_name_plural = "案卷评查"
        ordering = ["-period", "case"]
        constraints = [
            models.UniqueConstraint(fields=["case", "period"], name="review_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.case.number} {self.total}"
