from __future__ import annotations

from django import forms

from zeren.catalogue.models import Duty, PublicService, RegimeSection, WorkItem
from zeren.org.models import Department, Division, Section


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=18, min_length=18)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)
    division = forms.ModelChoiceField(label="所在村（区划）", queryset=Division.objects.none())

    def __init__(self, *args, divisions=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = (
            divisions if divisions is not None else Division.objects.none()
        )


class PersonEditForm(PersonForm):
    """The edit form never carries the stored phone number: it shows the mask and takes a new
    number (left empty: unchanged), so opening the form reveals nothing (issue 10, point 3)."""

    clear_phone = forms.BooleanField(label="删除联系电话", required=False)

    def __init__(self, *args, phone_masked: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["id_number"]
        phone = self.fields["phone"]
        phone.label = "新联系电话"
        phone.help_text = (
            f"现为 {phone_masked}，留空则不修改" if phone_masked else "现未登记，留空则不修改"
        )

    def changes(self) -> dict:
        """The cleaned data as ``person_update`` takes it (``phone=None``: unchanged)."""
        data = dict(self.cleaned_data)
        clear = data.pop("clear_phone", False)
        data["phone"] = "" if clear else (data.get("phone") or "").strip() or None
        return data


class PublishForm(forms.Form):
    summary = forms.CharField(
        label="修订说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="清单文件（JSON 或 Excel）")


def _section_field(department_id: int) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="科室", queryset=Section.objects.filter(department_id=department_id)
    )


class DutyForm(forms.ModelForm):
    class Meta:
        model = Duty
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class WorkItemForm(forms.ModelForm):
    class Meta:
        model = WorkItem
        fields = ["text", "section"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"] = _section_field(self.instance.duty.version.department_id)
        self.fields["section"].label = "责任科室"


class PublicServiceForm(forms.ModelForm):
    class Meta:
        model = PublicService
        fields = ["name", "content", "section", "phone"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"] = _section_field(self.instance.version.department_id)
        self.fields["section"].label = "承办科室"


class RegimeSectionForm(forms.ModelForm):
    class Meta:
        model = RegimeSection
        fields = ["heading", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}


class ShareForm(forms.Form):
    department = forms.ModelChoiceField(
        label="共享给", queryset=Department.objects.filter(kind=Department.Kind.PARTNER)
    )
    reason = forms.CharField(label="共享事由", max_length=200)
    expires_on = forms.DateField(
        label="截止日期（可不填）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class LogFilterForm(forms.Form):
    """Filters of the change and security logs: date range, user, object type, kind.

    ``kinds`` are the log's (code, label) choices; object types are every model that can appear
    in a log, by its verbose name. Dates are ISO (``<input type=date>``).
    """

    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    user = forms.ChoiceField(label="用户", required=False)
    object_type = forms.ChoiceField(label="对象类型", required=False)
    kind = forms.ChoiceField(label="类型", required=False)

    def __init__(self, *args, kinds, object_types, users, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "全部类型"), *kinds]
        self.fields["object_type"].choices = [("", "全部对象"), *object_types]
        self.fields["user"].choices = [("", "全部用户"), *users]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data
