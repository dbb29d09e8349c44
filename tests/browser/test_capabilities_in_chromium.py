"""End to end: the capabilities as people use them, in Debian's Chromium against `zeren serve --demo`.

Each test works one flow through the pages a person would click, checks what the page shows,
then reads the page again to see that it was saved. Every test also fails on a console error or
an uncaught script error (a Content-Security-Policy violation, a static file that did not load).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, assert_no_console_errors, beijing_today

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


def _cells(row) -> list[str]:
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def _history(page):
    """The licence's 历程 table (the page has other tables, e.g. sharing)."""
    return page.locator("table", has=page.locator("th", has_text="事由与依据"))


def _dashboard_row(page, regime: str, township: str):
    return page.locator("table tbody tr", has_text=regime).filter(has_text=township)


def test_supervision_township_records_a_result_and_head_draws_a_plan(browse, demo_server):
    today = beijing_today().isoformat()
    regime, township = "再生育审批对象随访", "隆尧镇"

    # A township user opens the dashboard: its own township's indicators only.
    xiang = browse("xiang01")
    xiang.goto(demo_server + "/staff/supervision/")
    row = _dashboard_row(xiang, regime, township)
    assert row.count() == 1
    before = _cells(row)
    done, conforming = int(before[5]), int(before[6])
    assert xiang.locator("table tbody tr", has_text="魏家庄镇").count() == 0

    # The sampled count opens the plan; a pending task from it.
    row.locator("td").nth(4).get_by_role("link").click()
    xiang.wait_for_url("**/staff/supervision/plans/*/")
    xiang.locator("table tbody tr", has_text="未完成").first.get_by_role("link").click()
    xiang.wait_for_url(re.compile(r".*/staff/supervision/tasks/\d+/$"))
    task_url = xiang.url
    assert "未完成" in xiang.locator("dd").nth(5).inner_text()

    xiang.fill("#id_visit_date", today)
    xiang.select_option("#id_result", "conforming")
    xiang.fill("#id_evidence", "入户随访，持证人情况与批准条件一致。")
    xiang.get_by_role("button", name="登记", exact=True).click()
    xiang.wait_for_load_state()
    assert "已登记检查结果" in xiang.locator("main").inner_text()

    # Read the task again: the result is kept and the form is gone.
    xiang.goto(task_url)
    result = xiang.locator("dd").nth(5).inner_text()
    assert "符合规定" in result and today in result
    assert "入户随访" in result
    assert xiang.locator("#id_visit_date").count() == 0

    # The dashboard counts it.
    xiang.goto(demo_server + "/staff/supervision/")
    after = _cells(_dashboard_row(xiang, regime, township))
    assert (int(after[5]), int(after[6])) == (done + 1, conforming + 1)

    # The bureau head draws a county-wide plan with an external seed from the dashboard form.
    head = browse("juzhang")
    head.goto(demo_server + "/staff/supervision/")
    seed = "浏览器端到端测试种子-2026"
    head.select_option("#id_regime", label="非医学需要终止妊娠手术专项督查")
    head.fill("#id_seed", seed)
    # Drawing cannot be undone: the browser asks first, naming the consequence. Declining
    # leaves the page as it was; accepting draws.
    asked: list[str] = []

    def answer(accept: bool):
        def on_dialog(dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return on_dialog

    head.once("dialog", answer(False))
    head.get_by_role("button", name="抽取", exact=True).click()
    head.wait_for_timeout(500)
    assert head.url.endswith("/staff/supervision/") and len(asked) == 1
    assert "不能撤销或重新抽取" in asked[0]
    head.once("dialog", answer(True))
    head.get_by_role("button", name="抽取", exact=True).click()
    head.wait_for_url(re.compile(r".*/staff/supervision/plans/\d+/$"))
    assert len(asked) == 2
    seed_hash = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    assert f"已抽取：种子哈希 {seed_hash}" in head.locator("main").inner_text()

    # Its page, read again: the committed hash, the seed, the tasks; and it verifies.
    plan_url = head.url
    head.goto(plan_url)
    # the seed, its hash and the algorithm are behind the 「核验信息」 disclosure
    assert not head.get_by_text(seed_hash).is_visible()
    head.locator("details.verification-info summary").click()
    facts = head.locator("details.verification-info").inner_text()
    assert seed_hash in facts and seed in facts
    assert "非医学需要终止妊娠手术专项督查" in head.locator("h1").inner_text()
    assert head.locator("table tbody tr", has_text="未完成").count() > 0
    head.get_by_role("link", name="重算核对").click()
    head.wait_for_selector(".alert-success")
    assert "核对通过" in head.locator(".alert-success").inner_text()

    assert_no_console_errors(xiang, head)


def test_permits_filter_by_township_and_revoke_one(browse, demo_server):
    today = beijing_today().isoformat()
    page = browse("shenpi")
    page.goto(demo_server + "/staff/permits/")

    # Choosing a township reloads the table (htmx) and puts the filter in the address.
    page.select_option("#id_township", label="尹村镇")
    page.wait_for_url("**township=*")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#permit-table tbody tr')]"
        ".every(r => r.innerText.includes('尹村镇'))"
    )
    rows = page.locator("#permit-table tbody tr")
    assert rows.count() > 0
    assert all("尹村镇" in t for t in rows.all_inner_texts())

    # Open a licence still in force.
    rows.filter(has_text="有效").first.locator("a").first.click()
    page.wait_for_url(re.compile(r".*/staff/permits/\d+/$"))
    permit_url = page.url
    number = page.locator("h1 small").inner_text().strip()
    assert page.locator("h1 .badge").inner_text() == "有效"

    # Withdraw it (Licensing Law Art. 8): conditions lost, with the decision and its document.
    withdraw = page.locator("form[action$='/withdraw/']")
    withdraw.locator("select[name=ground]").select_option("conditions_lost")
    withdraw.locator("input[name=on]").fill(today)
    withdraw.locator("input[name=documents]").fill("隆人口撤字〔2026〕9号")
    withdraw.locator("textarea[name=note]").fill("双方已离婚且未怀孕")
    page.once("dialog", lambda dialog: dialog.accept())  # it asks first: withdrawing is final
    withdraw.get_by_role("button", name="撤回许可").click()
    page.wait_for_load_state()
    assert "已撤回" in page.locator("main").inner_text()

    # Read it again: the new state and the event with its ground and document.
    page.goto(permit_url)
    assert page.locator("h1 .badge").inner_text() == "已撤回"
    event = _history(page).locator("tbody tr").last
    text = event.inner_text()
    assert today in text
    assert "客观情况发生变化" in text
    assert "隆人口撤字〔2026〕9号" in text
    # The registry, filtered by the number, shows the new state too.
    page.goto(demo_server + f"/staff/permits/?number={number}")
    assert "已撤回" in page.locator("#permit-table tbody tr").first.inner_text()

    assert_no_console_errors(page)


def test_cases_file_an_organisation_case_work_a_step_and_see_a_refusal(browse, demo_server):
    page = browse("officer01")
    page.goto(demo_server + "/staff/cases/new/")
    today = page.input_value("#id_filed_on")  # the page proposes today (Beijing time)
    assert today == beijing_today().isoformat()

    page.select_option("#id_kind", label="行政处罚")
    page.select_option("#id_violation", label="非法为他人施行计划生育手术")
    page.fill("#id_facts", "某诊所未取得相应资质，为他人施行计划生育手术。")
    page.fill("#id_act_date", "2026-09-01")
    page.check("#id_party_kind_1")  # 法人或其他组织
    page.fill("#id_organisation_name", "隆尧县某某诊所")
    page.fill("#id_organisation_code", "91130525MA0000001X")
    page.fill("#id_legal_representative", "张某某")
    page.select_option("#id_township", label="隆尧镇")
    page.check("#id_officers_0")
    page.check("#id_officers_1")
    page.select_option("#id_approved_by", label="李建国")
    page.get_by_role("button", name="立案", exact=True).click()
    page.wait_for_url(re.compile(r".*/staff/cases/\d+/$"))
    case_url = page.url
    assert "已立案" in page.locator("main").inner_text()
    party = page.locator("tr", has_text="当事人").first.inner_text()
    assert "隆尧县某某诊所" in party and "张某某" in party
    events = page.locator("#step-panel ol li")
    filed_events = events.count()
    assert filed_events >= 1

    # A refusal: the notice cannot be served before any signed record of the investigation.
    notice = page.locator("#act-notice")
    notice.locator("textarea[name=reasons]").fill("经调查，当事人非法为他人施行计划生育手术。")
    notice.locator("input[name=amount]").fill("10000")
    notice.get_by_role("button", name="送达告知书").click()
    refusal = page.locator("#act-notice .alert-danger")
    refusal.wait_for()
    assert "尚无经签名的询问笔录或调查笔录" in refusal.inner_text()
    assert "未作任何记录" in refusal.inner_text()
    assert events.count() == filed_events
    assert page.url == case_url  # htmx swapped the panel in place: scripts run under the CSP

    # The next step: the interview record of the legal representative.
    record = page.locator("#act-record")
    record.locator("select[name=form]").select_option(label="询问笔录（当事人）")
    record.locator("input[name=on]").fill(today)
    record.locator("input[name=subject]").fill("张某某")
    record.locator("textarea[name=content]").fill("问：是否为他人施行过计划生育手术？答：是。")
    record.locator("input[name=signatories]").fill("张某某、执法人员甲、执法人员乙")
    # The two officers who questioned and signed (Administrative Penalty Law Art. 42, 55).
    officers = record.locator("input[name=recorded_by]")
    assert officers.count() >= 2
    officers.nth(0).check()
    officers.nth(1).check()
    record.get_by_role("button", name="记录笔录").click()
    page.locator("#step-panel .alert-success", has_text="已完成：调查笔录").wait_for()
    assert events.count() == filed_events + 1

    # Read the case again: the event is kept, with its document.
    page.goto(case_url)
    events = page.locator("#step-panel ol li")
    assert events.count() == filed_events + 1
    assert "询问笔录：张某某" in events.last.inner_text()
    documents = page.locator("table", has=page.locator("th", has_text="序号"))
    assert "询问笔录" in documents.inner_text()

    assert_no_console_errors(page)


def test_funds_record_two_outcomes_and_see_progress(browse, demo_server):
    page = browse("xiang01")
    title = "2026年资金到位定期检查"
    page.goto(demo_server + "/staff/funds/")
    row = page.locator("table tbody tr", has_text=title)
    done, total = map(int, _cells(row)[2].split("/"))

    page.get_by_role("link", name="核查", exact=True).click()
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="录入核查结果").click()
    page.wait_for_url("**/record/")

    rows = page.locator("form[method=post] table tbody tr")
    first, second = rows.nth(0), rows.nth(1)
    names = [_cells(first)[0], _cells(second)[0]]
    first.locator("select[aria-label=核查结果]").select_option(label="核实无误")
    first.locator("select[aria-label=方式]").select_option(label="上门")
    second.locator("select[aria-label=核查结果]").select_option(label="资金未到位")
    second.locator("select[aria-label=方式]").select_option(label="电话")
    second.locator("input[aria-label=说明]").fill("本人称当月未收到")
    page.get_by_role("button", name="保存本页结果").click()
    page.wait_for_load_state()
    assert "已记录核查结果 2 条" in page.locator("main").inner_text()

    # Read the recording page again: both people have left the pending list.
    page.reload()
    pending = page.locator("form[method=post] table tbody").inner_text()
    for name in names:
        assert name not in pending

    page.goto(demo_server + "/staff/funds/")
    after = _cells(page.locator("table tbody tr", has_text=title))
    assert after[2] == f"{done + 2}/{total}"

    assert_no_console_errors(page)


def test_public_report_anonymously_and_follow_it(browse, demo_server):
    page = browse(None)
    page.goto(demo_server + "/")
    page.goto(demo_server + "/supervision/report/")
    page.select_option("#id_kind", label="举报")
    page.select_option("#id_township", label="山口镇")
    page.fill("#id_content", "有人在村里打听胎儿性别鉴定的门路，请核查。")
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "已收到您的举报投诉"
    reference = page.locator("main p strong").first.inner_text()
    assert reference and reference != "—"
    code = page.locator(".font-monospace").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code), code

    # It was saved: the receipt code finds it on the public status page.
    page.get_by_role("link", name="办理情况查询").click()
    page.fill("#id_code", code)
    page.locator("main").get_by_role("button", name="查询", exact=True).click()
    page.wait_for_load_state()
    assert reference in page.locator("main").inner_text()

    assert_no_console_errors(page)


# --- defects met on the way (fixed; these keep them fixed) -------------------------------------


def test_permit_history_names_states_in_chinese(browse, demo_server):
    page = browse("shenpi")
    page.goto(demo_server + "/staff/permits/?status=granted")
    page.locator("#permit-table tbody tr a").first.click()
    page.wait_for_url(re.compile(r".*/staff/permits/\d+/$"))
    status_cell = _history(page).locator("tbody tr").first.locator("td").nth(2).inner_text()
    assert "有效" in status_cell
    assert not re.search(r"[a-z]", status_cell), status_cell


def test_permit_action_forms_label_their_own_fields(browse, demo_server):
    page = browse("shenpi")
    page.goto(demo_server + "/staff/permits/?status=granted")
    page.locator("#permit-table tbody tr a").first.click()
    page.wait_for_url(re.compile(r".*/staff/permits/\d+/$"))
    cancel = page.locator("form[action$='/cancel/']")
    cancel.get_by_text("决定日期").click()  # a person clicks the label to reach its field
    assert cancel.locator("input[name=on]").evaluate("el => el === document.activeElement")
    assert_no_console_errors(page)


def test_the_site_has_a_favicon(browse, demo_server):
    page = browse(None)
    assert page.request.get(demo_server + "/favicon.ico").ok
