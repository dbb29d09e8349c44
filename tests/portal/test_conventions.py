"""Conventions every page shares: ISO dates in inputs, 请选择, full-width colons, the API root,
the grouped menu with breadcrumbs, and technical details behind 「核验信息」."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms

from tests.conftest import login
from zeren.org.models import Division

pytestmark = pytest.mark.django_db


class _Sample(forms.Form):
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    where = forms.ModelChoiceField(label="乡镇", queryset=Division.objects.all())


def test_date_inputs_carry_iso_values_and_accept_iso_input():
    form = _Sample(initial={"on": dt.date(2026, 12, 1)})
    html = str(form["on"])
    assert 'value="2026-12-01"' in html and "2026/12/01" not in html
    bound = _Sample({"on": "2026-12-01", "where": ""})
    bound.is_valid()
    assert bound.cleaned_data["on"] == dt.date(2026, 12, 1)


def test_empty_choices_and_label_colons_are_chinese():
    html = _Sample().as_div()
    assert "---------" not in html and ">请选择</option>" in html
    assert "日期：</label>" in html and "日期:</label>" not in html
    from zeren.cases.models import Case

    choices = Case._meta.get_field("township").formfield().choices
    assert next(iter(choices))[1] == "请选择"


def test_the_api_root_is_a_chinese_page_for_browsers_and_json_for_programs(head):
    client = login(head)
    page = client.get("/api/", HTTP_ACCEPT="text/html").content.decode()
    assert "数据接口" in page and "相对人" in page and "Api Root" not in page
    data = client.get("/api/", HTTP_ACCEPT="application/json").json()
    assert data["persons"].endswith("/api/persons/")


def test_the_staff_menu_is_grouped_and_every_page_has_breadcrumbs(head):
    page = login(head).get("/staff/supervision/plans/").content.decode()
    menu = page.split('<ul class="navbar-nav me-auto staff-nav">', 1)[1].split("</nav>", 1)[0]
    top = re.findall(r'<li class="nav-item(?: dropdown)?">', menu)
    assert len(top) <= 7, "the menu must fit a 1280 px window"
    assert "监管执法" in menu and "退出" in page
    crumbs = page.split('<ol class="breadcrumb', 1)[1].split("</ol>", 1)[0]
    assert "工作台" in crumbs and "监管抽查" in crumbs


def test_the_sampling_seed_and_command_are_behind_verification_details(head):
    page = login(head).get("/staff/supervision/").content.decode()
    details = re.search(r"<details[^>]*>\s*<summary>核验信息</summary>(.*?)</details>", page, re.S)
    assert details and "zeren supervision verify" in details.group(1)
    outside = page.replace(details.group(0), "")
    assert "zeren supervision verify" not in outside and "HMAC" not in outside
