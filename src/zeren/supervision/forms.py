from __future__ import annotations

from django import forms

from zeren.core.scope import townships_for
from zeren.org.models import Division, Officer
from zeren.permits.rules import GROUNDS
from zeren.supervision.models import ConflictDeclaration, Disposition, Report, Result


class DrawForm(forms.Form):
    regime = forms.ChoiceField(label="监管制度")
    period = forms.RegexField(
        label="期间（年月，如2026-03）",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    township = forms.ModelChoiceField(
        label="乡镇（县局实施的可留空）", queryset=Division.objects.none(), required=False
    )
    round = forms.IntegerField(label="轮次", min_value=1, initial=1)
    seed = forms.CharField(
        label="外部种子（可留空，由系统随机生成）", required=False, max_length=200
    )

    def __init__(self, *args, regimes=(), townships=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regime"].choices = [(r.code, r.name) for r in regimes]
        if townships is not None:
            self.fields["township"].queryset = townships


class RecordForm(forms.Form):
    visit_date = forms.DateField(label="检查日期", widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.ChoiceField(
        label="结果", choices=[(Result.CONFORMING, "符合规定"), (Result.FINDING, "发现问题")]
    )
    evidence = forms.CharField(
        label="证据与记录", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(
        label="执法人员（至少2名）",
        queryset=Officer.objects.select_related("user").order_by("user__username"),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label="改派事由（随机抽派后改派时必填）", required=False)


class DispositionForm(forms.Form):
    kind = forms.ChoiceField(label="处理方式", choices=Disposition.Kind.choices)
    ground = forms.ChoiceField(
        label="撤销/注销事由",
        required=False,
        choices=[("", "—")] + [(g.code, g.label) for g in GROUNDS.values()],
    )
    documents = forms.CharField(label="文书", required=False, max_length=500)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    case_reference = forms.CharField(label="案件编号（立案后填写）", required=False, max_length=64)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Report.Kind.choices)
    # The public may report about any township of the county.
    township = forms.ModelChoiceField(label="所涉乡镇", queryset=townships_for(None))
    permit_number = forms.CharField(label="所涉证号（如知道）", required=False, max_length=40)
    content = forms.CharField(
        label="内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    reporter_name = forms.CharField(label="您的姓名（可不填）", required=False, max_length=50)
    reporter_phone = forms.CharField(label="联系电话（可不填）", required=False, max_length=20)


class ConflictForm(forms.Form):
    officer = forms.ModelChoiceField(
        label="执法人员", queryset=Officer.objects.select_related("user")
    )
    kind = forms.ChoiceField(label="类型", choices=ConflictDeclaration.Kind.choices)
    person_id_number = forms.CharField(label="相对人身份证号", required=False, max_length=18)
    village = forms.ModelChoiceField(
        label="村",
        queryset=Division.objects.filter(level=Division.Level.VILLAGE),
        required=False,
    )
    note = forms.CharField(label="说明", required=False, max_length=200)


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label="查询码",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "XXXX-XXXX-XXXX-XXXX"}),
    )
