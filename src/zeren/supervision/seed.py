"""The regimes of the list's section 四 as data: figures, source text, effective date.

``seed_regimes`` is idempotent (one row per code and effective date) and takes the model class
so that the data migration can pass its historical model.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

# The list does not state when it took effect; this date is a placeholder to be confirmed.
LIST_EFFECTIVE_FROM = dt.date(2016, 1, 1)
LIST_SOURCE = "隆尧县计生局责任清单 四、事中事后监管制度"
DATE_NOTE = "清单未载明施行日期，施行日期暂取2016-01-01，待核实。"

TERMINATION_ITEMS = [
    "是否存在冒用非医学需要终止妊娠手术证明的情况",
    "是否存在延期可致的变更、撤销或注销的情况",
]
TERMINATION_OUTCOMES = ["revoke", "cancel", "refer_health", "open_case"]
REBIRTH_ITEMS = ["是否存在离婚等可致的许可变更、撤销或注销的情况"]
REBIRTH_OUTCOMES = ["revoke", "cancel", "notify_discipline", "open_case"]

REGIMES: list[dict[str, Any]] = [
    {
        "code": "termination-followup",
        "name": "非医学需要终止妊娠手术批准对象日常随访",
        "source": f"{LIST_SOURCE}（一）二（二）1、四（一）",
        "source_text": "日常巡查：乡镇每月对已批准的非医学需要的终止妊娠手术对象进行随访，"
        "抽查面不少于80%。",
        "subject_kind": "termination",
        "subject_statuses": ["granted", "used", "expired"],
        "lookback_months": 12,
        "frequency": "month",
        "rounds_per_year": 12,
        "coverage_ratio": Decimal("0.80"),
        "minimum_count": 0,
        "performed_by": "township",
        "officers_per_task": 0,
        "check_items": TERMINATION_ITEMS,
        "methods": ["乡镇开展非医学需要终止妊娠手术批准后监督检查（随访）"],
        "outcomes": TERMINATION_OUTCOMES,
        "auto_draw": True,
        "note": "对象范围（批准于最近12个月内）为本系统的设定，清单未规定。" + DATE_NOTE,
        "unconfirmed": True,
    },
    {
        "code": "termination-special",
        "name": "非医学需要终止妊娠手术专项督查",
        "source": f"{LIST_SOURCE}（一）二（二）2、三（二）、四（二）",
        "source_text": "专项督查：每年不少于2次，每次抽查面不少于20%。"
        "县人口计生局与卫生局联合开展检查，从医疗机构入手；检查人员须凭有效行政执法证件检查。",
        "subject_kind": "termination",
        "subject_statuses": ["granted", "used", "expired"],
        "lookback_months": 12,
        "frequency": "year",
        "rounds_per_year": 2,
        "coverage_ratio": Decimal("0.20"),
        "minimum_count": 0,
        "performed_by": "county",
        "partner": "县卫生局",
        "officers_per_task": 2,
        "check_items": [*TERMINATION_ITEMS, "实施手术的医疗机构是否符合规定"],
        "methods": ["县人口计生局与卫生局联合开展检查，从医疗机构入手"],
        "outcomes": TERMINATION_OUTCOMES,
        "auto_draw": False,
        "note": "每年两轮由县局择期抽取（zeren supervision draw --round）。" + DATE_NOTE,
        "unconfirmed": True,
    },
    {
        "code": "rebirth-spot-check",
        "name": "再生育审批抽查（案卷评查）",
        "source": f"{LIST_SOURCE}（二）二（二）、三（一）、四（一）",
        "source_text": "县人口计生局每月不少于1次对审批情况进行抽查，每次不少于10件。"
        "县人口计生局指派两名以上法制工作人员开展法制监督，监督检查人员须凭有效行政执法证件检查。",
        "subject_kind": "rebirth",
        "subject_statuses": ["granted", "used", "expired"],
        "lookback_months": 1,
        "frequency": "month",
        "rounds_per_year": 12,
        "coverage_ratio": Decimal("0"),
        "minimum_count": 10,
        "performed_by": "county",
        "officers_per_task": 2,
        "check_items": REBIRTH_ITEMS,
        "methods": ["县人口计生局开展行政许可案卷评查"],
        "outcomes": REBIRTH_OUTCOMES,
        "auto_draw": True,
        "note": "对象为本月批准的再生育证；不足10件时全部抽查。" + DATE_NOTE,
        "unconfirmed": True,
    },
    {
        "code": "rebirth-followup",
        "name": "再生育审批对象随访",
        "source": f"{LIST_SOURCE}（二）四（三）",
        "source_text": "乡镇每月对再生育审批人员进行随访，随访结果报县人口计生局。",
        "subject_kind": "rebirth",
        "subject_statuses": ["granted"],
        "lookback_months": 12,
        "frequency": "month",
        "rounds_per_year": 12,
        "coverage_ratio": Decimal("1"),
        "minimum_count": 0,
        "performed_by": "township",
        "officers_per_task": 0,
        "check_items": REBIRTH_ITEMS,
        "methods": ["乡镇开展相关行政审批事项事后监督检查（随访）"],
        "outcomes": REBIRTH_OUTCOMES,
        "auto_draw": True,
        "note": "清单未规定随访的抽查面，暂按全部随访（100%），可修改。" + DATE_NOTE,
        "unconfirmed": True,
    },
    {
        "code": "fund-payment-check",
        "name": "扶助金定期检查（发放到位）",
        "source": f"{LIST_SOURCE}（三）二（二）1",
        "source_text": "定期检查：每年不少于1次，抽查面100%，主要检查资金发放到位。",
        "subject_kind": "beneficiary",
        "frequency": "year",
        "rounds_per_year": 1,
        "coverage_ratio": Decimal("1"),
        "performed_by": "township",
        "check_items": ["扶助金是否发放到位"],
        "methods": ["上门核查：由乡镇于每年2-3月份上门调查，调查结果上报县人口计生局"],
        "outcomes": ["terminate", "recover", "deduct"],
        "note": "检查对象由扶助金模块提供。" + DATE_NOTE,
    },
    {
        "code": "fund-full-verification",
        "name": "扶助对象全面核查（条件变化）",
        "source": f"{LIST_SOURCE}（三）二（二）2、三（二）",
        "source_text": "全面核查：每年组织1次，核查面100%，主要检查扶助对象条件变化情况。"
        "信息核查：县人口计生局3月份对当年新增扶助对象进行核查。",
        "subject_kind": "beneficiary",
        "frequency": "year",
        "rounds_per_year": 1,
        "coverage_ratio": Decimal("1"),
        "performed_by": "county",
        "check_items": ["扶助对象是否存在不符扶助条件的情况"],
        "methods": ["信息核查：县人口计生局3月份对当年新增扶助对象进行核查"],
        "outcomes": ["terminate", "recover", "deduct"],
        "note": "检查对象由扶助金模块提供。" + DATE_NOTE,
    },
]


# Which regime of the list's section 四 each supervision regime carries out. The list numbers
# them (一) 非医学需要的终止妊娠手术事项监管, (二) 再生育事项监管, (三) 计划生育家庭奖励扶助金等
# 事项监管 (the catalogue seed's ``regimes``); each ``source`` above cites that number first.
LIST_REGIMES = {
    "termination-followup": (1, "非医学需要的终止妊娠手术事项监管"),
    "termination-special": (1, "非医学需要的终止妊娠手术事项监管"),
    "rebirth-spot-check": (2, "再生育事项监管"),
    "rebirth-followup": (2, "再生育事项监管"),
    "fund-payment-check": (3, "计划生育家庭奖励扶助金等事项监管"),
    "fund-full-verification": (3, "计划生育家庭奖励扶助金等事项监管"),
}


def link_list_regimes(model: Any, regime_model: Any, version: Any = None) -> int:
    """Point each supervision regime at its regime of the newest published list; returns how
    many links changed.

    A regime already linked follows its department's list to the newest published version
    (same number); an unlinked one is matched by the list number and title of
    ``LIST_REGIMES``. ``version`` (a just-published ``catalogue.ListVersion``) limits the work
    to that version. Takes the model classes so that a data migration can pass its historical
    ones. Regimes with no match (no list loaded yet) stay unlinked.
    """
    published = regime_model.objects.filter(version__status="published").order_by(
        "-version__number"
    )
    if version is not None:
        published = published.filter(version=version)
    changed = 0
    for regime in model.objects.select_related("list_regime__version"):
        if regime.list_regime_id is not None:
            target = published.filter(
                version__department_id=regime.list_regime.version.department_id,
                number=regime.list_regime.number,
            ).first()
        elif regime.code in LIST_REGIMES:
            number, title = LIST_REGIMES[regime.code]
            target = published.filter(number=number, title=title).first()
        else:
            target = None
        if target is not None and target.pk != regime.list_regime_id:
            model.objects.filter(pk=regime.pk).update(list_regime=target)
            changed += 1
    return changed


def seed_regimes(model: Any) -> int:
    """Create the list's regimes that are missing; returns how many were created."""
    created = 0
    for data in REGIMES:
        data = dict(data)
        code = data.pop("code")
        _, was_created = model.objects.get_or_create(
            code=code, effective_from=LIST_EFFECTIVE_FROM, defaults=data
        )
        created += int(was_created)
    return created
