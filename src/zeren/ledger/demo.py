"""Demo ledger: expectations for the list in force and a few manual records per section.

Automatic records need no step here: the capabilities' demo steps before this one produced
them as their work happened.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from zeren.ledger.models import Kind, Record
from zeren.ledger.services import expectations_load_seed, record_create, work_item_for

# (duty, order, (month, day), kind, summary): the work that has no machinery, in the current
# year (a day still ahead is moved to today).
MANUAL = [
    (1, 1, (3, 12), Kind.DOCUMENT, "起草《隆尧县计划生育奖励扶助实施办法》征求意见稿"),
    (2, 1, (1, 20), Kind.PLAN, "印发本年度全县人口和计划生育工作要点"),
    (3, 4, (4, 8), Kind.COORDINATION, "召开出生人口性别比综合治理领导小组协调会"),
    (7, 2, (5, 29), Kind.PUBLICITY, "“5·29”会员活动日集中宣传服务"),
    (9, 1, (6, 18), Kind.TRAINING, "全县计生干部业务培训（60人）"),
]


def load(rng: random.Random, progress: Callable[[str], None]) -> None:
    if Record.objects.filter(source=Record.Source.MANUAL).exists():
        return
    expectations_load_seed()
    today = timezone.localdate()
    for duty, order, (month, day), kind, summary in MANUAL:
        date = min(dt.date(today.year, month, day), today)
        item = work_item_for(date, duty, order)
        if item is not None:
            record_create(actor=None, work_item=item, date=date, kind=kind, summary=summary)
    auto = Record.objects.filter(source=Record.Source.AUTOMATIC).count()
    progress(f"履职台账：履职要求已设置，科室登记 {len(MANUAL)} 条，系统自动记录 {auto} 条")
