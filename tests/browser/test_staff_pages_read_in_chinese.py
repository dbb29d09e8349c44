"""Every demo role walks its main staff pages in Chromium: the visible text is Chinese (no
English word, raw dict or internal id; ``tests/browser/readable.py``), and at 1280 px the menu
fits with 退出 inside the window."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, assert_no_console_errors
from tests.browser.readable import assert_readable, problems

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]

# head, section clerks, auditor, township, officer, partner department
ROLES = ["juzhang", "shenpi", "fagui", "shenji", "xiang01", "officer01", "weisheng"]


def test_the_checker_finds_what_a_reader_should_not_meet():
    assert problems("状态：applied → valid")
    assert problems("详情：{'amount': 3}")
    assert problems("抽查计划 #12") and problems("issued_by_id：6")
    assert problems("certificates.Certificate 351")
    assert not problems("导出 Excel（PDF），第3页，隆计案〔2026〕1号，2026-12-01 18:00")


def _menu_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "nav .navbar-nav a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    return [h for h in dict.fromkeys(hrefs) if h.startswith("/staff/") or h == "/api/"]


def _first_detail(page) -> str | None:
    """The first link into a detail page from a list's table (``…/<number>/``)."""
    hrefs = page.eval_on_selector_all(
        "main table a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    for h in hrefs:
        parts = [p for p in h.split("/") if p]
        if h.startswith("/staff/") and parts and parts[-1].isdigit():
            return h
    return None


@pytest.mark.parametrize("username", ROLES)
def test_each_role_s_main_pages_read_in_chinese(browse, demo_server, username):
    page = browse(username)
    assert_readable(page, allowed={username})
    failures = []
    for href in _menu_links(page):
        page.goto(demo_server + href)
        for url in (href, _first_detail(page)):
            if url is None:
                continue
            if url != href:
                page.goto(demo_server + url)
            try:
                assert_readable(page, allowed={username})
            except AssertionError as exc:
                failures.append(str(exc))
            crumbs = page.locator("ol.breadcrumb")
            if crumbs.count() == 0:
                failures.append(f"{page.url}：没有面包屑导航")
    assert not failures, "\n\n".join(failures)
    assert_no_console_errors(page)


def test_at_1280_px_the_menu_fits_and_logout_is_visible(browse, demo_server):
    page = browse("juzhang")
    for href in ("/staff/", "/staff/supervision/"):
        page.goto(demo_server + href)
        box = page.locator("#logout").bounding_box()
        assert box is not None and page.locator("#logout").is_visible()
        assert box["x"] + box["width"] <= 1280 and box["y"] + box["height"] <= 200, box
    # the grouped menu opens on click
    page.locator(".staff-nav .dropdown-toggle", has_text="监管执法").click()
    assert page.get_by_role("link", name="案件查处").is_visible()


CHART_VALUES = """id => {
  const chart = echarts.getInstanceByDom(document.getElementById(id));
  const option = chart.getOption();
  return {
    values: option.series[0].data.map(d => d.value),
    categories: option.xAxis[0].data,
    bands: (option.series[0].markArea || {data: []}).data.map(a => [a[0].yAxis, a[1].yAxis]),
  };
}"""


def _table(page, chart_id: str) -> list[list[str]]:
    rows = page.locator(f"#{chart_id}-table tbody tr")
    return [
        [c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_charts_render_offline_with_the_table_s_data(browse, demo_server):
    page = browse("juzhang")
    # the sex ratio by township, with the normal and warning bands behind the bars
    page.goto(demo_server + "/staff/statistics/")
    page.wait_for_selector("#srb-chart[data-rendered='1'] canvas")
    drawn = page.evaluate(CHART_VALUES, "srb-chart")
    table = _table(page, "srb-chart")
    assert len(table) >= 10 and drawn["categories"] == [row[0] for row in table]
    shown = [float(row[1]) if row[1] != "—" else None for row in table]
    assert drawn["values"] == shown and any(v is not None for v in shown)
    assert len(drawn["bands"]) == 2 and all(low < high for low, high in drawn["bands"])
    # cases by step: every step, counts that add up to the table's
    page.goto(demo_server + "/staff/cases/")
    page.wait_for_selector("#step-chart[data-rendered='1'] canvas")
    drawn = page.evaluate(CHART_VALUES, "step-chart")
    table = _table(page, "step-chart")
    assert drawn["categories"][0] == "已立案（调查）" and drawn["categories"][-1] == "已归档"
    assert drawn["values"] == [float(row[1]) for row in table] and sum(drawn["values"]) > 0
    # nothing came from outside the server
    assert_no_console_errors(page)
