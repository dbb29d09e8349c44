"""End to end: `zeren serve` on a fresh data directory, driven in Debian's Chromium by Playwright.

This is the README's first command for real (gunicorn, whitenoise, the job consumer), on its
own SQLite file, so it shares nothing with the other tests' database.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, FLAGS, pass_second_factor, zeren_serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]
ADMIN_PASSWORD = "browser-test-password-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The README's first command without demo data, on a fresh data directory."""
    data = tmp_path_factory.mktemp("serve")
    with zeren_serve(data, extra_env={"ZEREN_ADMIN_PASSWORD": ADMIN_PASSWORD}) as url:
        yield url


@pytest.fixture
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.requested = requested
        yield page
        browser.close()


def test_a_visitor_reads_the_list_and_searches_it(page, server):
    page.goto(server + "/")
    assert "部门职责" in page.title()
    assert page.locator("table.list-table tbody tr").count() == 25
    page.get_by_role("link", name="公共服务").first.click()
    assert page.locator("text=6690357").count() >= 3
    page.goto(server + "/search/")
    page.locator("#q").press_sequentially("两非")
    page.wait_for_selector("#results mark")  # htmx swapped the results in
    assert "出生人口性别比综合治理工作" in page.locator("#results").inner_text()
    # Everything the pages load comes from this server: no CDN anywhere.
    assert all(u.startswith(server) for u in page.requested), page.requested


def test_staff_register_a_person_and_reveal_the_number(page, server, tmp_path):
    page.goto(server + "/staff/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    pass_second_factor(page, "admin")
    page.wait_for_url("**/staff/")
    page.goto(server + "/staff/persons/new/")
    page.fill("#id_name", "浏览器测试人")
    page.fill("#id_id_number", "130525199001010011")
    page.fill("#id_phone", "13812345678")
    page.select_option("#id_division", label="隆尧镇")
    page.click("button[type=submit]")
    page.wait_for_selector("#id-number")
    assert page.locator("#id-number").inner_text() == "130*************11"
    assert "13812345678" not in page.content() and "1990-01-01" not in page.content()
    page.fill("#reveal-reason", "核对身份")
    page.get_by_role("button", name="查看完整身份证号和电话（将记入安全日志）").click()
    page.wait_for_selector("text=本次查看已记入安全日志")
    assert page.locator("#id-number").inner_text() == "130525199001010011"
    page.goto(server + "/staff/audit/security/?kind=reveal")
    assert "查看敏感信息" in page.locator("table").inner_text()
    page.screenshot(path=str(tmp_path / "reveal.png"))  # kept with the test run for a look
