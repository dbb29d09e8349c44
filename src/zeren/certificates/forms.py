from __future__ import annotations

from django import forms

from zeren.certificates.models import CertificateType
from zeren.certificates.services import REISSUE_GROUNDS, REVOKE_GROUNDS


class ApplicationForm(forms.Form):
    """受理: the holders by exact ID number and the facts the type records."""

    holder_id_number = forms.CharField(label="持证人身份证号", max_length=18)
    spouse_id_number = forms.CharField(
        label="配偶身份证号（夫妻持证时填写）", max_length=18, required=False
    )
    applied_on = forms.DateField(label="受理日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, ctype: CertificateType, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ctype = ctype
        if ctype.holder_kind == CertificateType.Holder.PERSON:
            del self.fields["spouse_id_number"]
        else:
            self.fields["spouse_id_number"].required = True
            self.fields["spouse_id_number"].label = "配偶身份证号"
        for fact in ctype.facts:
            self.fields[f"fact_{fact['key']}"] = forms.CharField(
                label=fact["label"], max_length=100
            )

    def facts(self) -> dict[str, str]:
        return {f["key"]: self.cleaned_data.get(f"fact_{f['key']}", "") for f in self.ctype.facts}


class IssueForm(forms.Form):
    on = forms.DateField(label="发证日期", widget=forms.DateInput(attrs={"type": "date"}))


class ReissueForm(forms.Form):
    ground = forms.ChoiceField(label="补发事由", choices=sorted(REISSUE_GROUNDS.items()))
    on = forms.DateField(label="补发日期", widget=forms.DateInput(attrs={"type": "date"}))


class RevokeForm(forms.Form):
    ground = forms.ChoiceField(label="撤销事由", choices=sorted(REVOKE_GROUNDS.items()))
    note = forms.CharField(label="查明的事实", max_length=200, required=False)
    on = forms.DateField(label="撤销日期", widget=forms.DateInput(attrs={"type": "date"}))


class VerifyForm(forms.Form):
    number = forms.CharField(label="证号", max_length=40)
    name = forms.CharField(label="持证人姓名", max_length=50)
