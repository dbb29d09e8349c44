from __future__ import annotations

from django import forms

from zeren.permits.rules import GROUNDS, Outcome


def _grounds(outcome: str) -> list[tuple[str, str]]:
    return [(g.code, g.label) for g in GROUNDS.values() if g.outcome == outcome]


class ConcludeForm(forms.Form):
    """Revoke (撤销) or cancel (注销) on a ground from the law's table."""

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
    valid_to = forms.DateField(
        label="新的有效期止", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    conditions = forms.CharField(
        label="新的批准条件", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label="变更事由", max_length=500)
    documents = forms.CharField(label="文书材料", required=False, max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
