"""End to end in Chromium: an online application for service 3 from receipt to rating."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, assert_no_console_errors

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


def test_apply_queue_complete_letter_lookup_and_rate(browse, demo_server):
    # The public reads the guide and applies online.
    applicant = browse(None)
    applicant.goto(demo_server + "/services/")
    applicant.locator("#service-3").get_by_role("link", name="办事指南").click()
    applicant.wait_for_url("**/publicservices/guides/3/")
    assert "县属和驻县机关、事业单位、厂矿企业" in applicant.locator("main").inner_text()
    applicant.get_by_role("link", name="网上申请").click()
    applicant.fill("#id_applicant_name", "隆尧县浏览器测试局")
    applicant.fill("#id_content", "请审查本单位赵六的计划生育情况（年度评优）")
    applicant.click("#submit-application")
    reference = applicant.locator("#receipt-reference").inner_text().strip()
    code = applicant.locator("#receipt-code").inner_text().strip()
    assert reference.startswith("FW") and len(code) == 19

    # The section (here the bureau head) finds it in the queue and completes it.
    head = browse("juzhang")
    head.goto(demo_server + "/staff/publicservices/")
    head.get_by_role("link", name=reference).click()
    head.fill("#id_result", "经核查，赵六无违法生育记录，无未结案件。")
    head.check("#id_confirm")
    head.click("#complete-application")
    head.wait_for_load_state()
    assert head.locator("#staff-status").inner_text() == "已办结"
    with head.expect_download() as download:
        head.get_by_role("link", name="PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # The applicant looks it up with receipt and code, gets the letter and rates it.
    applicant.goto(demo_server + "/publicservices/status/")
    applicant.fill("#id_reference", reference)
    applicant.fill("#id_code", code)
    applicant.click("#lookup-submit")
    applicant.wait_for_url(f"**/publicservices/status/{reference}/")
    assert applicant.locator("#application-status").inner_text() == "已办结"
    assert "无违法生育记录" in applicant.locator("main").inner_text()
    with applicant.expect_download() as letter:
        applicant.click("#letter-pdf")
    assert Path(letter.value.path()).read_bytes().startswith(b"%PDF")
    applicant.get_by_label("非常满意").check()
    applicant.click("#rating-submit")
    applicant.wait_for_load_state()
    assert "非常满意" in applicant.locator("#rating-given").inner_text()

    # Read again: the rating is kept.
    applicant.reload()
    assert "非常满意" in applicant.locator("#rating-given").inner_text()
    assert_no_console_errors(applicant, head)
