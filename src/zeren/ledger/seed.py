"""Default data of the ledger: each work item's cadence, and which events feed which item.

Both are starting points the bureau edits (expectations per version, mappings in the admin).
Keys are (duty number, item order) in the list as published (the seed's part one).
"""

from __future__ import annotations

# (duty, order) -> cadence. Plans and policy drafting are yearly; monitoring, statistics and
# the supervision of targets monthly; warnings and public information on event; the rest
# continuous work that should show every quarter.
CADENCES: dict[tuple[int, int], str] = {
    (1, 1): "yearly",
    (1, 2): "yearly",
    (1, 3): "yearly",
    (2, 1): "yearly",
    (2, 2): "monthly",
    (3, 1): "continuous",
    (3, 2): "continuous",
    (3, 3): "continuous",
    (3, 4): "continuous",
    (4, 1): "yearly",
    (4, 2): "continuous",
    (5, 1): "monthly",
    (5, 2): "event",
    (5, 3): "continuous",
    (5, 4): "monthly",
    (6, 1): "yearly",
    (6, 2): "continuous",
    (6, 3): "event",
    (6, 4): "continuous",
    (7, 1): "yearly",
    (7, 2): "continuous",
    (8, 1): "yearly",
    (8, 2): "continuous",
    (9, 1): "yearly",
    (9, 2): "continuous",
}
DEFAULT_CADENCE = "continuous"

# (event key, label, duty, order, record kind): loaded by migration 0002 into EventMapping.
EVENT_MAPPINGS: list[tuple[str, str, int, int, str]] = [
    ("supervision.plan_drawn", "监管随机抽查计划已抽取", 2, 2, "inspection"),
    ("supervision.task_result", "监管检查任务已录入结果", 2, 2, "inspection"),
    ("cases.case_closed", "执法案件已结案", 3, 2, "case"),
    ("funds.campaign_closed", "扶助对象核查活动已结束", 3, 3, "inspection"),
    ("funds.verification_recorded", "扶助对象核查结果已录入", 3, 3, "inspection"),
    ("certificates.certificate_issued", "计划生育证明已发证", 9, 2, "service"),
    ("statistics.alert_raised", "出生人口性别比等指标预警", 5, 2, "statistics"),
    ("statistics.alert_raised", "出生人口性别比等指标预警", 3, 4, "statistics"),
    ("statistics.births_imported", "出生登记已导入", 5, 4, "statistics"),
    ("statistics.births_imported", "出生登记已导入", 5, 1, "statistics"),
]
