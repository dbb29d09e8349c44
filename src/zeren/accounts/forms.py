from __future__ import annotations

from django import forms


class TokenCodeForm(forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=16,
        help_text="手机验证器上当前显示的6位数字；手机丢失时可输入一个恢复码（每个只能用一次）。",
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="原密码",
        widget=forms.PasswordInput(
            attrs={"class": "form-control", "autocomplete": "current-password"}
        ),
    )
    new_password1 = forms.CharField(
        label="新密码",
        help_text="至少10位，包含小写字母、大写字母、数字、符号中的3类；不能是常见密码，不能与用户名、姓名相近。",
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="再次输入新密码",
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="用途",
        max_length=100,
        help_text="写明谁在什么程序里使用，例如“统计科月报脚本”。",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    days = forms.IntegerField(
        label="有效天数",
        min_value=1,
        max_value=365,
        initial=90,
        help_text="1到365天，到期自动失效。",
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    read_only = forms.BooleanField(
        label="只读（只能查询，不能新增、修改、删除）",
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
