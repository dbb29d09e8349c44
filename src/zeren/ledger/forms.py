"""The quick record form (validation proper is the service's)."""

from __future__ import annotations

from typing import Any

from django import forms

from zeren.catalogue.models import WorkItem
from zeren.core.dates import DateField
from zeren.ledger.models import Kind
from zeren.statistics.rules import InvalidPeriod, parse_year


class YearField(forms.IntegerField):
    """A year typed in a form, read by statistics.rules.parse_year (ASCII digits, 1950..2100)."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        try:
            return parse_year(str(value))
        except InvalidPeriod as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class RecordForm(forms.Form):
    date = DateField(label="日期")
    kind = forms.ChoiceField(label="类别", choices=Kind.choices)
    summary = forms.CharField(
        label="摘要", max_length=300, help_text="做了什么、规模和结果，如“召开协调会，5个部门参加”"
    )
    attachment = forms.FileField(
        label="附件",
        required=False,
        help_text="PDF、Word、Excel、JPG 或 PNG，不超过 10 MB",
    )


def _staff_choices() -> Any:
    from zeren.core.roles import roles_with
    from zeren.ledger.services import bureau
    from zeren.org.models import User

    # Only the bureau's staff who may change plans answer for one (not the administrator,
    # auditors or officers, who cannot act on it).
    return (
        User.objects.filter(department=bureau(), is_active=True)
        .filter(role__in=roles_with("ledger.change_plan"), is_superuser=False)
        .order_by("username")
    )


class PlanForm(forms.Form):
    work_item = forms.ModelChoiceField(label="具体工作事项", queryset=WorkItem.objects.none())
    year = YearField(label="年度")
    title = forms.CharField(label="计划名称", max_length=100)
    content = forms.CharField(
        label="主要内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.ModelChoiceField(label="责任人", queryset=None)

    def __init__(self, *args: Any, items: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_item"].queryset = items if items is not None else WorkItem.objects.none()
        self.fields["work_item"].label_from_instance = lambda i: (
            f"{i.duty.number}-{i.order} {i.text[:40]}"
        )
        self.fields["responsible"].queryset = _staff_choices()
        self.fields["responsible"].label_from_instance = lambda u: u.name or u.username


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点", max_length=100)
    due_on = DateField(label="完成期限")
    responsible = forms.ModelChoiceField(
        label="责任人", queryset=None, required=False, help_text="不填则为计划责任人"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _staff_choices()
        self.fields["responsible"].label_from_instance = lambda u: u.name or u.username


class MilestoneDoneForm(forms.Form):
    done_on = DateField(label="完成日期")
    summary = forms.CharField(label="完成情况", max_length=300, required=False)
