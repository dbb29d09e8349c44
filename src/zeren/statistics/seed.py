"""Starting data: warning thresholds and an example assessment scheme (all editable, unconfirmed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

THRESHOLDS = [
    {
        "indicator": "srb",
        "effective_from": dt.date(2000, 1, 1),
        "green_low": Decimal("103"),
        "green_high": Decimal("107"),
        # The warning band beyond the normal range is a local choice: unconfirmed.
        "amber_low": Decimal("100"),
        "amber_high": Decimal("110"),
        "minimum_births": 100,
        "source": "出生人口性别比正常值域103～107（通行统计口径）；预警区间100～110及最少出生数为本地设定，待核实",
        "unconfirmed": True,
    },
    {
        "indicator": "high_order",
        "effective_from": dt.date(2000, 1, 1),
        "green_low": Decimal("0"),
        "green_high": Decimal("10"),
        "amber_low": Decimal("0"),
        "amber_high": Decimal("15"),
        "minimum_births": 100,
        "source": "三孩及以上出生占比：正常≤10%、预警≤15%为示例设定，待核实",
        "unconfirmed": True,
    },
]

LIST = "隆尧县卫生和计划生育局责任清单"
SCHEME_ITEMS = [
    ("supervision", "监管抽查按月达标", "supervision", "20", f"{LIST}四、监管制度（按月抽查）"),
    (
        "funds",
        "奖励扶助、特别扶助发放",
        "funds",
        "20",
        f"{LIST}：扶助金发放纳入乡镇计划生育目标管理考核，检查中发现有差错的进行考核扣分",
    ),
    (
        "cases",
        "案件承办与案卷质量",
        "cases",
        "20",
        f"{LIST}：案件承办情况列入目标管理考核，每半年对案卷质量进行评查",
    ),
    ("reports", "统计报表及时准确", "manual", "20", "示例项目，待核实"),
    ("srb", "出生人口性别比综合治理", "manual", "20", "示例项目，待核实"),
]


def scheme(year: int) -> tuple[dict, list[dict]]:
    """The example scheme for ``year`` (marked unconfirmed) and its items."""
    head = {
        "year": year,
        "title": f"{year}年度乡镇人口和计划生育目标管理考核（示例）",
        "source": f"{LIST}（考核办法示例，分值待核实）",
        "unconfirmed": True,
    }
    items = [
        {
            "code": code,
            "name": name,
            "kind": kind,
            "max_points": Decimal(top),
            "source": source,
            "order": n,
        }
        for n, (code, name, kind, top, source) in enumerate(SCHEME_ITEMS, start=1)
    ]
    return head, items
