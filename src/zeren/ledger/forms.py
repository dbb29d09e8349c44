"""The quick record form (validation proper is the service's)."""

from __future__ import annotations

from typing import Any

from django import forms

from zeren.catalogue.models import WorkItem
from zeren.ledger.models import Kind


class RecordForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
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
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2999)
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
    due_on = forms.DateField(label="完成期限", widget=forms.DateInput(attrs={"type": "date"}))
    responsible = forms.ModelChoiceField(
        label="责任人", queryset=None, required=False, help_text="不填则为计划责任人"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _staff_choices()
        self.fields["responsible"].label_from_instance = lambda u: u.name or u.username


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label="完成日期", widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label="完成情况", max_length=300, required=False)
