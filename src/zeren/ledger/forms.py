"""The quick record form (validation proper is the service's)."""

from __future__ import annotations

from django import forms

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
