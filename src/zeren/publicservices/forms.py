from __future__ import annotations

from django import forms

from zeren.publicservices.rules import RATING_LEVELS


class ApplyForm(forms.Form):
    applicant_name = forms.CharField(
        label="申请人（单位）", max_length=100, help_text="个人填姓名；单位申请审查的填单位全称"
    )
    applicant_phone = forms.CharField(
        label="联系电话", max_length=20, required=False, help_text="便于工作人员联系您，可不填"
    )
    content = forms.CharField(
        label="申请或咨询事项",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="请写明要办理或咨询的具体事项",
    )
    # A field people do not see: robots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)


class CounterForm(ApplyForm):
    service_number = forms.TypedChoiceField(label="服务事项", coerce=int, choices=())

    def __init__(self, *args, services: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_number"].choices = services
        self.order_fields(["service_number"])


class LookupForm(forms.Form):
    reference = forms.CharField(
        label="受理编号", max_length=20, help_text="受理时告知的编号，如 FW20261201042917"
    )
    code = forms.CharField(label="查询码", max_length=30, help_text="受理时只显示一次的查询码")


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label="评价等级",
        coerce=int,
        choices=list(RATING_LEVELS.items()),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="评价理由",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="选择“不满意”或“非常不满意”时必须填写",
    )


class FinishForm(forms.Form):
    result = forms.CharField(
        label="办理结果", max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    confirm = forms.BooleanField(
        label="我已核对，确认办结（办结后不能撤回，申请人将看到结果）", required=True
    )


class FollowUpForm(forms.Form):
    outcome = forms.CharField(
        label="核实、整改和反馈情况", widget=forms.Textarea(attrs={"rows": 4})
    )
