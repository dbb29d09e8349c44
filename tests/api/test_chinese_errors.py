"""DRF's and Django's English error texts reach nobody: a missing object, a refused CSRF
check and an unreadable body answer in Chinese, and a page's CSRF refusal is the project's
own Chinese 403 page."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import force_login, login
from tests.ledger.conftest import item


@pytest.mark.parametrize(
    "url",
    ["/api/ledger/plans/999999/", "/api/ledger/records/999999/", "/api/joint/matters/999999/"],
)
def test_a_missing_object_is_named_in_chinese(head, url):
    answer = login(head).get(url)
    assert answer.status_code == 404
    assert answer.json() == {"detail": "未找到该对象"}


def test_a_refused_csrf_check_is_chinese_on_the_api(section_staff):
    client = force_login(Client(enforce_csrf_checks=True), section_staff)
    answer = client.post(
        "/api/ledger/records/",
        {"work_item": item(7, 2).pk, "date": "2026-05-29", "kind": "publicity", "summary": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    detail = answer.json()["detail"]
    assert detail.startswith("请求缺少有效的 CSRF 令牌") and "CSRF Failed" not in detail


def test_a_body_that_is_not_json_is_named_in_chinese(section_staff):
    answer = login(section_staff).post(
        "/api/ledger/records/", "{not json", content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json() == {"detail": "请求内容不是有效的 JSON"}


def test_a_page_refused_for_csrf_is_the_projects_chinese_403_page(head):
    client = force_login(Client(enforce_csrf_checks=True), head)
    answer = client.post("/staff/joint/new/", {"title": "x"})
    assert answer.status_code == 403
    html = answer.content.decode()
    assert "请求缺少有效的 CSRF 令牌" in html and "无权访问" in html
    assert "Forbidden" not in html and "CSRF verification failed" not in html
