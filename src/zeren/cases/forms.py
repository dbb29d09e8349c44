"""The case pages' forms (Django forms): filing, on-the-spot decisions, each procedure step,
and the deadline calculator. The document templates are in ``doc_templates/``."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from zeren.cases import selectors, services
from zeren.cases.models import (
    Case,
    CaseDocument,
    CaseKind,
    Payment,
    Recusal,
    Violation,
)
from zeren.core.dates import DateField, parse_date
from zeren.core.roles import ROLE_PERMISSIONS
from zeren.core.scope import townships_for
from zeren.org.models import Division, Officer, User
from zeren.people.services import person_find_by_id_number


def _text(label: str, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _money(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, **kwargs)


def split_names(raw: str) -> list[str]:
    """Names typed in one field, separated by 、，,;； or new lines."""
    return [n.strip() for n in re.split(r"[、，,;；\n]+", raw or "") if n.strip()]


class StepForm(forms.Form):
    """Bootstrap classes on the widgets, so a form swapped in by htmx looks the same."""

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css


APPROVE = "cases.approve_case"


def _approvers():
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if APPROVE in perms]
    return User.objects.filter(Q(role__in=roles) | Q(is_superuser=True), is_active=True).order_by(
        "username"
    )


def _officers():
    return (
        Officer.objects.filter(user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


class FileCaseForm(StepForm):
    kind = forms.ChoiceField(label="案件类别", choices=CaseKind.choices)
    party_kind = forms.ChoiceField(
        label="当事人类型", choices=Case.PartyKind.choices, widget=forms.RadioSelect
    )
    id_number = forms.CharField(
        label="公民身份证号（须已登记为相对人）", required=False, max_length=18
    )
    organisation_name = forms.CharField(label="单位名称", required=False, max_length=100)
    organisation_code = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    legal_representative = forms.CharField(
        label="法定代表人或主要负责人", required=False, max_length=50
    )
    violation = forms.ModelChoiceField(
        label="违法行为（裁量基准目录）", queryset=Violation.objects.filter(active=True)
    )
    facts = _text("案情摘要")
    act_date = DateField(label="违法行为发生日")
    act_end_date = DateField(label="违法行为终了日（连续或继续状态的）", required=False)
    birth_date = DateField(label="子女出生日期（社会抚养费案件）", required=False)
    serious = forms.BooleanField(label="涉及公民生命健康安全或金融安全", required=False)
    complex = forms.BooleanField(label="情节复杂或重大", required=False)
    township = forms.ModelChoiceField(label="乡镇", queryset=Division.objects.none())
    officers = forms.ModelMultipleChoiceField(
        label="执法人员（至少两名，须持有效执法证）",
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    filed_on = DateField(label="立案日期")
    approved_by = forms.ModelChoiceField(label="立案批准人", queryset=User.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["township"].queryset = townships_for(user)
        self.fields["officers"].queryset = _officers()
        self.fields["approved_by"].queryset = _approvers()
        self.fields["party_kind"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.person = None
        if data.get("party_kind") == Case.PartyKind.PERSON:
            raw = (data.get("id_number") or "").strip().upper()
            if not raw:
                self.add_error("id_number", "请填写当事人的身份证号")
            else:
                self.person = person_find_by_id_number(actor=self.user, id_number=raw)
                if self.person is None:
                    self.add_error(
                        "id_number",
                        "没有找到该身份证号的登记人员（或不在您的管辖范围内），请先登记相对人",
                    )
        return data


class OnSpotForm(FileCaseForm):
    """简易程序: the filing form's party and case fields, and what the officer does on the spot."""

    facts_certain = forms.BooleanField(
        label="违法事实确凿，有法定依据（行政处罚法第五十一条）", required=False
    )
    decided_on = DateField(label="决定日期")
    place = forms.CharField(label="地点", max_length=100)
    reasons = _text("向当事人说明的事实、理由和依据", rows=2)
    statement = _text("当事人的陈述申辩（或注明放弃）", rows=2)
    penalty_kind = forms.ChoiceField(
        label="处罚种类",
        choices=[("fine", "罚款"), ("warning", "警告")],
        initial="fine",
        required=False,
        help_text="行政处罚法第五十一条：当场可以给予警告，或者限额以下的罚款",
    )
    amount = _money("罚款金额（元，警告不填）", required=False)

    def clean_penalty_kind(self) -> str:
        return self.cleaned_data.get("penalty_kind") or "fine"

    recipient = forms.CharField(label="签收人（留空为当事人或法定代表人）", required=False)
    recipient_role = forms.ChoiceField(
        label="签收人身份",
        choices=[(r, r) for r in (*services.PERSON_RECIPIENTS, *services.ORGANISATION_RECIPIENTS)],
    )
    signature = forms.CharField(label="签收人签名", required=False, max_length=50)
    refused_to_sign = forms.BooleanField(label="当事人拒绝签收（在决定书上注明）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", "birth_date", "serious", "complex", "filed_on", "approved_by"):
            del self.fields[name]
        self.fields["violation"].queryset = Violation.objects.filter(
            active=True, kind=CaseKind.PENALTY
        )
        self.fields["officers"].label = "执法人员（出示执法证，须当日有效）"


class RecordForm(StepForm):
    form = forms.ChoiceField(
        label="笔录",
        choices=[
            (CaseDocument.Form.INTERVIEW, "询问笔录（当事人）"),
            (CaseDocument.Form.INQUIRY, "调查笔录（其他人员、现场）"),
        ],
    )
    on = DateField(label="日期")
    subject = forms.CharField(label="被询问（调查）人", max_length=100)
    content = _text("笔录内容", rows=4)
    signatories = forms.CharField(label="签名人（用顿号分隔）", max_length=300)
    recorded_by = forms.ModelMultipleChoiceField(
        label="询问（调查）并签名的执法人员",
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service says why one officer is not enough
        help_text="至少两名本案执法人员，笔录日期当天须持有效行政执法证",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recorded_by"].queryset = self.case.officers.select_related("user")


class RecusalForm(StepForm):
    officer = forms.ModelChoiceField(label="申请回避的执法人员", queryset=Officer.objects.none())
    declared_by = forms.ChoiceField(
        label="提出方", choices=[("当事人", "当事人"), ("执法人员本人", "执法人员本人")]
    )
    on = DateField(label="提出日期")
    reason = _text("理由", rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = self.case.officers.select_related("user")


class RecusalDecisionForm(StepForm):
    recusal = forms.ModelChoiceField(label="回避申请", queryset=Recusal.objects.none())
    granted = forms.TypedChoiceField(
        label="决定",
        choices=[("1", "准予回避"), ("0", "不予回避")],
        coerce=lambda v: v == "1",
    )
    on = DateField(label="决定日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recusal"].queryset = self.case.recusals.filter(
            decision=Recusal.Decision.PENDING
        ).select_related("officer__user")


class AddOfficerForm(StepForm):
    officer = forms.ModelChoiceField(label="增派执法人员", queryset=Officer.objects.none())
    on = DateField(label="日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = _officers().exclude(cases=self.case)


def _factors(case: Case) -> list[tuple[str, str]]:
    choices = []
    for grade in case.violation.grades.all():
        for factor in grade.factors:
            choices.append((factor, f"{factor}（{grade.get_grade_display()}）"))
    return choices


class NoticeForm(StepForm):
    served_on = DateField(label="告知书送达日期")
    reasons = _text("拟作决定的事实、理由和依据")
    circumstances = forms.MultipleChoiceField(
        label="裁量情节", required=False, widget=forms.CheckboxSelectMultiple
    )
    gains = _money("违法所得（元，无则留空）", required=False)
    base_income = _money("上年人均收入（元，按收入倍数计算的填写）", required=False)
    amount = _money("拟决定金额（元）")
    amount_reason = _text("金额超出裁量档幅度的书面理由", rows=2, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["circumstances"].choices = _factors(self.case)


class StatementForm(StepForm):
    on = DateField(label="记录日期")
    statement = _text("陈述申辩内容（或注明当事人放弃陈述申辩）")
    waive_hearing = forms.BooleanField(label="当事人书面放弃听证", required=False)


class HearingRequestForm(StepForm):
    requested_on = DateField(label="当事人提出听证申请的日期")


class HearingScheduleForm(StepForm):
    notice_on = DateField(label="听证通知日期")
    hearing_on = DateField(label="听证日期")
    place = forms.CharField(label="听证地点", max_length=100)
    chair = forms.ModelChoiceField(
        label="听证主持人（非本案调查人员）", queryset=User.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = selectors.hearing_chair_candidates(
            self.case, timezone.localdate()
        )
        self.fields[
            "chair"
        ].help_text = "本局持有效执法证、未参与本案的执法人员；系统管理员和协作部门账号不能担任"


class HearingRecordForm(StepForm):
    held_on = DateField(label="听证举行日期")
    record = _text("听证笔录", rows=4)
    signatories = forms.CharField(label="签名人（用顿号分隔）", max_length=300)


class ApproveForm(StepForm):
    approved_on = DateField(label="审批日期")
    amount = _money("决定金额（元，留空为告知金额）", required=False)
    collective_on = DateField(label="集体讨论日期", required=False)
    collective_minutes = _text("集体讨论纪要", rows=2, required=False)
    legal_review_on = DateField(label="法制审核日期", required=False)
    legal_review_opinion = _text("法制审核意见", rows=2, required=False)


class ExtendForm(StepForm):
    days = forms.IntegerField(label="延长天数", min_value=1)
    reason = _text("延长理由", rows=2)
    on = DateField(label="批准日期")


class DecideForm(StepForm):
    decided_on = DateField(label="决定日期")


class ServeForm(StepForm):
    served_on = DateField(label="送达日期")
    recipient = forms.CharField(label="受送达人/签收人", max_length=50)
    recipient_role = forms.ChoiceField(label="签收人身份")
    method = forms.ChoiceField(label="送达方式", choices=[(m, m) for m in services.SERVICE_METHODS])
    signature = forms.CharField(
        label="签收人签名（留置、公告送达注明情况）", required=False, max_length=50
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = (
            services.PERSON_RECIPIENTS
            if self.case.party_kind == Case.PartyKind.PERSON
            else services.ORGANISATION_RECIPIENTS
        )
        self.fields["recipient_role"].choices = [(r, r) for r in roles]


class PaymentForm(StepForm):
    paid_on = DateField(label="缴款日期")
    amount = _money("金额（元）")
    kind = forms.ChoiceField(label="类别", choices=Payment.Kind.choices)
    receipt = forms.CharField(label="票据号", required=False, max_length=40)


class InstalmentForm(StepForm):
    on = DateField(label="批准日期")
    plan = _text("分期计划（每行“日期 金额”，如“2026-05-01 5000”）", rows=3)

    def clean_plan(self) -> list[tuple[dt.date, Decimal]]:
        plan = []
        for n, line in enumerate(self.cleaned_data["plan"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            try:
                plan.append((parse_date(parts[0]), Decimal(parts[1])))
            except (IndexError, ValueError, ArithmeticError, ValidationError):
                raise ValidationError(f"第{n}行应为“日期 金额”，例如“2026-05-01 5000”") from None
        if not plan:
            raise ValidationError("请至少填写一期")
        return plan


class DateOnForm(StepForm):
    on = DateField(label="日期")


class CloseForm(StepForm):
    closed_on = DateField(label="结案日期")
    summary = _text("结案报告")


class ReviewForm(StepForm):
    period = forms.RegexField(label="评查期（如2026H1）", regex=r"^\d{4}H[12]$")
    reviewed_on = DateField(label="评查日期")
    remarks = _text("评查意见", rows=2, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label, top in services.CHECKLIST:
            self.fields[f"score_{key}"] = forms.IntegerField(
                label=f"{label}（满分{top}）",
                min_value=0,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )
        self.order_fields(["period", "reviewed_on"])


class ClockForm(forms.Form):
    """期限计算器: the same inputs as ``zeren cases clock``; nothing is saved."""

    kind = forms.ChoiceField(
        label="案件类别", choices=[("penalty", "行政处罚"), ("fee", "征收社会抚养费")]
    )
    filed_on = DateField(label="立案日期")
    act_ended_on = DateField(
        label="违法行为发生（或终了）日期", required=False, help_text="默认同立案日期"
    )
    serious = forms.BooleanField(
        label="涉及公民生命健康安全、金融安全且有危害后果（时效5年）", required=False
    )
    notice_served_on = DateField(label="告知书送达日期", required=False)
    hearing_on = DateField(label="听证日期", required=False)
    decided_on = DateField(label="决定日期", required=False)
    served_on = DateField(
        label="决定书送达日期",
        required=False,
        help_text="邮寄送达填回执上的日期；公告送达填发出公告日期",
    )
    service = forms.ChoiceField(
        label="送达方式",
        choices=[(k, v) for k, v in selectors.SERVICE_CHOICES.items()],
        initial="direct",
        required=False,
    )
    reminder_served_on = DateField(label="催告书送达日期", required=False)
    paid_off_on = DateField(label="缴清日期", required=False)
    closed_on = DateField(label="结案日期", required=False)
    today = DateField(label="以哪一天判断红黄绿", required=False, help_text="默认今天")
