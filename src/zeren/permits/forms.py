from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from zeren.core.roles import Role
from zeren.org.models import Division, User
from zeren.permits.models import PermitKind
from zeren.permits.rules import GROUNDS, Outcome

DATE = {"type": "date"}


def _grounds(outcome: str) -> list[tuple[str, str]]:
    return [(g.code, g.label) for g in GROUNDS.values() if g.outcome == outcome]


class ConcludeForm(forms.Form):
    """Revoke (撤销), withdraw (撤回) or cancel (注销) on a ground from the law's table."""

    ground = forms.ChoiceField(label="事由")
    on = forms.DateField(label="决定日期", widget=forms.DateInput(attrs={"type": "date"}))
    documents = forms.CharField(label="决定文书（文号或名称）", max_length=500)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, outcome: str = Outcome.REVOKE, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = _grounds(outcome)


class UseForm(forms.Form):
    on = forms.DateField(label="使用日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", required=False)


class AmendForm(forms.Form):
    """变更: only what is filled in changes; the service refuses an empty change."""

    spouse_id_number = forms.CharField(
        label="新的配偶身份证号", required=False, max_length=18, strip=True
    )
    valid_to = forms.DateField(
        label="新的有效期止", required=False, widget=forms.DateInput(attrs=DATE)
    )
    conditions = forms.CharField(
        label="新的批准条件", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    hospital = forms.CharField(label="新的医疗机构", required=False, max_length=100)
    on = forms.DateField(
        label="变更日期（默认今天）", required=False, widget=forms.DateInput(attrs=DATE)
    )
    reason = forms.CharField(label="变更事由", max_length=500)
    documents = forms.CharField(label="文书材料", required=False, max_length=500)

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind != PermitKind.TERMINATION:
            del self.fields["hospital"]


def approvers_for(user: Any) -> QuerySet[User]:
    """Who may have approved a licence: active bureau leaders and section staff."""
    qs = User.objects.filter(is_active=True, role__in=[Role.HEAD, Role.SECTION]).order_by(
        "username"
    )
    if user.is_superuser:
        return qs
    return qs.filter(department_id=user.department_id) if user.department_id else qs.none()


class GrantForm(forms.Form):
    """发证: record an approved licence; holders are found by their exact ID number."""

    holder_id_number = forms.CharField(label="持证人身份证号", max_length=18)
    spouse_id_number = forms.CharField(
        label="配偶身份证号（可不填）", required=False, max_length=18
    )
    township = forms.ModelChoiceField(label="乡镇", queryset=Division.objects.none())
    number = forms.CharField(label="证号", max_length=40)
    approval_date = forms.DateField(label="批准日期", widget=forms.DateInput(attrs=DATE))
    approved_by = forms.ModelChoiceField(label="批准人", queryset=User.objects.none())
    valid_from = forms.DateField(
        label="有效期起（默认批准日期）", required=False, widget=forms.DateInput(attrs=DATE)
    )
    valid_to = forms.DateField(label="有效期止", widget=forms.DateInput(attrs=DATE))
    conditions = forms.CharField(
        label="批准条件", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    hospital = forms.CharField(label="实施手术的医疗机构", required=False, max_length=100)
    documents = forms.CharField(label="批准文书（文号或名称）", required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        kind: str,
        townships: QuerySet,
        approvers: QuerySet,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["approved_by"].queryset = approvers
        if kind != PermitKind.TERMINATION:
            del self.fields["hospital"]


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
