"""End to end: `zeren serve` on a fresh data directory, driven in Debian's Chromium by Playwright.

This is the README's first command for real (gunicorn, whitenoise, the job consumer), on its
own SQLite file, so it shares nothing with the other tests' database.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import pass_second_factor

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN_PASSWORD = "browser-test-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {**os.environ, "ZEREN_DATA_DIR": str(data), "ZEREN_ADMIN_PASSWORD": ADMIN_PASSWORD}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(data / "serve.log", "w")
    # Its own process group, so gunicorn and the job consumer go down with it whatever happens.
    proc = subprocess.Popen(
        [sys.executable, "-m", "zeren.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def stop(sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)

    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # collectstatic on a busy (shared) machine
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)  # noqa: S310 (loopback only)
            break
        except urllib.error.HTTPError:
            stop(signal.SIGKILL)
            log.close()
            pytest.fail("zeren serve answers with an error:\n" + (data / "serve.log").read_text())
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop(signal.SIGKILL)
                log.close()
                pytest.fail("zeren serve did not start:\n" + (data / "serve.log").read_text())
            time.sleep(0.5)
    try:
        yield url
    finally:
        stop(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            stop(signal.SIGKILL)
        log.close()


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
