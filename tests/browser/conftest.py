"""Shared pieces of the browser tests: a real `zeren serve` with the demo data, and Chromium.

The server runs in its own process group on a fresh data directory and a free port, once per
module (loading the demo data takes most of a minute). Pages record every console error and
uncaught script error, so a test can fail on a Content-Security-Policy violation or a static
file that did not load.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "zeren-demo-2026"
BEIJING = ZoneInfo("Asia/Shanghai")


def beijing_today() -> dt.date:
    """The server's "today": it keeps Beijing time whatever the machine's zone."""
    return dt.datetime.now(BEIJING).date()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def zeren_serve(data: Path, *, demo: bool = False, extra_env: dict | None = None) -> Iterator[str]:
    """`zeren serve` on `data`; yields its address and stops the whole process group after."""
    port = _free_port()
    env = {**os.environ, "ZEREN_DATA_DIR": str(data), **(extra_env or {})}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "zeren.cli", "serve", "--port", str(port), "--workers", "2"]
    if demo:
        command.append("--demo")
    log_path = data / "serve.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )

    def stop(sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)

    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 900  # demo data on a busy (shared) machine
    try:
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2)  # noqa: S310 (loopback only)
                break
            except urllib.error.HTTPError:
                pytest.fail("zeren serve answers with an error:\n" + log_path.read_text())
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("zeren serve did not start:\n" + log_path.read_text())
                time.sleep(0.5)
        yield url
    finally:
        stop(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            stop(signal.SIGKILL)
            proc.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[str]:
    """A server with the demo organisation, people, licences, plans, cases and funds."""
    with zeren_serve(tmp_path_factory.mktemp("serve-demo"), demo=True) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


# No console error is let through (the site's icon is served; a missing one used to log a 404).
IGNORED_CONSOLE_URLS: tuple[str, ...] = ()


def _record_errors(page) -> list[str]:
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if where.endswith(IGNORED_CONSOLE_URLS):
            return
        errors.append(f"console: {message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


# TOTP secrets of the accounts enrolled in this test run (a second login must verify).
_SECRETS: dict[str, str] = {}
_USED: dict[str, str] = {}


def _code(secret: str) -> str:
    import base64

    from django_otp.oath import totp

    return f"{totp(base64.b32decode(secret)):06d}"


def pass_second_factor(page, username: str) -> None:
    """After the password step: enrol a TOTP device as a user would (reading the key shown for
    manual entry) or verify with the key enrolled earlier; partners are let straight through."""
    page.wait_for_load_state()
    if "/staff/account/otp/enrol/" in page.url:
        secret = page.inner_text("#otp-secret").strip()
        _SECRETS[username] = secret
        page.fill("#id_token", _code(secret))
        page.click("button[type=submit]")
        page.wait_for_selector("#recovery-codes")
        page.get_by_role("link", name="我已保存，继续").click()
    elif "/staff/account/otp/verify/" in page.url:
        # A code is accepted once: a second login in the same 30-second step waits for the next.
        while _code(_SECRETS[username]) == _USED.get(username):
            time.sleep(1)
        page.fill("#id_token", _code(_SECRETS[username]))
        page.click("button[type=submit]")
    if username in _SECRETS:
        _USED[username] = _code(_SECRETS[username])


@pytest.fixture
def browse(chromium, demo_server) -> Iterator[Callable]:
    """`browse(username)` gives a page in a fresh browser context, logged in as that demo
    user (or anonymous with None); its `console_errors` list collects what went wrong."""
    contexts = []

    def open_as(username: str | None = None):
        context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.console_errors = _record_errors(page)
        if username:
            page.goto(demo_server + "/staff/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            pass_second_factor(page, username)
            page.wait_for_url("**/staff/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def assert_no_console_errors(*pages) -> None:
    errors = [e for page in pages for e in page.console_errors]
    assert not errors, "errors in the browser console:\n" + "\n".join(errors)
