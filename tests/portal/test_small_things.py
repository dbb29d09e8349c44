"""Small things users hit: the login page's name, 待核实 notes, demo village names."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from zeren.core.templatetags.zeren import pending_for
from zeren.org.demo import village_name


@pytest.mark.django_db
def test_the_login_page_shows_the_systems_name_not_the_host(settings):
    settings.ALLOWED_HOSTS = ["zeren.example.org"]
    html = Client(HTTP_HOST="zeren.example.org").get(reverse("login")).content.decode()
    assert "<title>工作人员登录 · 责任清单履职系统</title>" in html
    assert "zeren.example.org" not in html


class _User:
    def __init__(self, role: str = "section", is_superuser: bool = False) -> None:
        self.role, self.is_superuser = role, is_superuser


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "出生人口性别比正常值域103～107；预警区间为本地设定，待核实",
            "出生人口性别比正常值域103～107；预警区间为本地设定",
        ),
        ("示例项目，待核实", "示例项目"),
        ("隆尧县考核办法（考核办法示例，分值待核实）", "隆尧县考核办法"),
        (
            "清单未载明施行日期，施行日期暂取2016-01-01，待核实。",
            "清单未载明施行日期，施行日期暂取2016-01-01。",
        ),
        ("行政处罚法第七十二条", "行政处罚法第七十二条"),
    ],
)
def test_pending_notes_are_for_administrators_only(text, shown):
    assert pending_for(text, _User()) == shown
    assert pending_for(text, _User(role="admin")) == text
    assert pending_for(text, _User(is_superuser=True)) == text


@pytest.mark.django_db
def test_the_statistics_pages_show_no_pending_notes_to_users(head):
    from zeren.statistics.models import Threshold

    assert any(t.unconfirmed and "待核实" in t.source for t in Threshold.objects.all())
    for name in ("statistics-dashboard", "statistics-assessment"):
        page = login(head).get(reverse(name))
        assert page.status_code == 200
        assert "依据" in page.content.decode() and "待核实" not in page.content.decode(), name


@pytest.mark.parametrize(
    ("prefix", "base", "name"),
    [("东", "王庄", "东王庄村"), ("北", "刘村", "北刘村"), ("新", "周村", "新周村")],
)
def test_demo_villages_are_never_named_cun_cun(prefix, base, name):
    assert village_name(prefix, base) == name
