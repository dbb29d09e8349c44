"""core.forms.show_refusal: a service's refusal shown where it belongs on a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from zeren.core.forms import show_refusal


class _Form(forms.Form):
    name = forms.CharField()


def _bound() -> _Form:
    form = _Form({"name": "张三"})
    assert form.is_valid()
    return form


def test_a_keyed_refusal_goes_to_its_field_and_an_unknown_key_above_the_form():
    form = _bound()
    show_refusal(form, ValidationError({"name": "姓名不能为空", "other": "另一处错误"}))
    assert form.errors["name"] == ["姓名不能为空"]
    assert form.non_field_errors() == ["另一处错误"]


def test_unkeyed_messages_and_permission_refusals_go_above_the_form():
    form = _bound()
    show_refusal(form, ValidationError(["第一条", "第二条"]))
    show_refusal(form, PermissionDenied("无权执行此操作"))
    assert form.non_field_errors() == ["第一条", "第二条", "无权执行此操作"]
    assert "name" not in form.errors
