"""The default reference data of the funds app: rate tables, end-of-entitlement rules,
payment frequencies, the verification modes of regime (三) and deduction points.

Plain data, loaded by migration 0002 and editable afterwards by administrators. Sources: the
responsibility list (section 四, regime (三)) and the national standards.
"""

from __future__ import annotations

REGIME = "责任清单 四（三）计划生育家庭奖励扶助金等类别事项监管"
REWARD_SOURCE = "农村部分计划生育家庭奖励扶助制度（国家标准）"
SPECIAL_SOURCE = "计划生育家庭特别扶助制度，2014年起国家标准（城镇/农村分档）"

RATES: list[dict] = [
    # Reward assistance: yuan per person per year.
    {
        "kind": "reward",
        "residence": "",
        "amount": "600",
        "unit": "year",
        "valid_from": "2004-01-01",
        "valid_to": "2008-12-31",
        "source": f"{REWARD_SOURCE}：2004年起每人每年600元",
    },
    {
        "kind": "reward",
        "residence": "",
        "amount": "720",
        "unit": "year",
        "valid_from": "2009-01-01",
        "valid_to": "2011-12-31",
        "source": f"{REWARD_SOURCE}：2009年起每人每年720元",
    },
    {
        "kind": "reward",
        "residence": "",
        "amount": "960",
        "unit": "year",
        "valid_from": "2012-01-01",
        "valid_to": None,
        "source": f"{REWARD_SOURCE}：2012年起每人每年960元",
    },
    # Special assistance from 2014: yuan per person per month.
    {
        "kind": "special_death",
        "residence": "urban",
        "amount": "340",
        "unit": "month",
        "valid_from": "2014-01-01",
        "valid_to": None,
        "source": f"{SPECIAL_SOURCE}：独生子女死亡，城镇每人每月340元",
    },
    {
        "kind": "special_death",
        "residence": "rural",
        "amount": "170",
        "unit": "month",
        "valid_from": "2014-01-01",
        "valid_to": None,
        "source": f"{SPECIAL_SOURCE}：独生子女死亡，农村每人每月170元",
    },
    {
        "kind": "special_disability",
        "residence": "urban",
        "amount": "270",
        "unit": "month",
        "valid_from": "2014-01-01",
        "valid_to": None,
        "source": f"{SPECIAL_SOURCE}：独生子女伤残，城镇每人每月270元",
    },
    {
        "kind": "special_disability",
        "residence": "rural",
        "amount": "150",
        "unit": "month",
        "valid_from": "2014-01-01",
        "valid_to": None,
        "source": f"{SPECIAL_SOURCE}：独生子女伤残，农村每人每月150元",
    },
]

ENTITLEMENT_RULES: list[dict] = [
    {
        "reason": "death",
        "mode": "end_of_month",
        "source": f"{REGIME} 五（一）：发现有死亡情况的，立即终止发放资格；按月计发，发放至死亡当月",
        "unconfirmed": True,
    },
    {
        "reason": "child_recovered",
        "mode": "end_of_month",
        "source": "特别扶助：伤残子女康复的，发放至康复认定当月",
        "unconfirmed": True,
    },
    {
        "reason": "deception",
        "mode": "end_of_previous_month",
        "source": f"{REGIME} 五（二）：骗取扶助金的立即终止发放资格，已发放的追回；自不符合条件当月起追回",
        "unconfirmed": True,
    },
    {
        "reason": "changed",
        "mode": "end_of_month",
        "source": "条件变化不再符合扶助条件的，发放至变化当月",
        "unconfirmed": True,
    },
    {
        "reason": "other",
        "mode": "end_of_month",
        "source": "其他原因终止的，发放至终止当月",
        "unconfirmed": True,
    },
]

PAYMENT_PLANS: list[dict] = [
    {"program": "reward", "frequency": "yearly", "source": "奖励扶助金按年发放（本地配置）"},
    {"program": "special", "frequency": "monthly", "source": "特别扶助金按月发放（本地配置）"},
]

CAMPAIGN_KINDS: list[dict] = [
    {
        "code": "full",
        "name": "全面核查（上门核查）",
        "population": "active",
        "performer": "township",
        "method": "乡镇工作人员以电话或上门形式逐一核实",
        "start_month": 2,
        "end_month": 3,
        "days_allowed": None,
        "coverage": "1",
        "source": (
            f"{REGIME}：二（二）2、全面核查：每年组织1次，核查面100%，主要检查扶助对象条件变化情况。"
            "三（一）上门核查：由乡镇于每年2-3月份上门调查，调查结果上报县人口计生局。"
            "四（二）乡镇派工作人员以电话或上门形式对每一位奖励扶助对象和特别扶助对象进行核实。"
        ),
    },
    {
        "code": "new",
        "name": "新增对象信息核查",
        "population": "new_this_year",
        "performer": "county",
        "method": "县人口计生局信息核查",
        "start_month": 3,
        "end_month": 3,
        "days_allowed": None,
        "coverage": "1",
        "source": f"{REGIME}：三（二）信息核查：县人口计生局3月份对当年新增扶助对象进行核查。",
    },
    {
        "code": "payment",
        "name": "资金到位定期检查",
        "population": "paid_this_year",
        "performer": "township",
        "method": "核实扶助金是否发放到位",
        "start_month": 1,
        "end_month": 12,
        "days_allowed": None,
        "coverage": "1",
        "source": (
            f"{REGIME}：二（二）1、定期检查：每年不少于1次，抽查面100%，主要检查资金发放到位。"
        ),
    },
    {
        "code": "adhoc",
        "name": "举报核查",
        "population": "reported",
        "performer": "county",
        "method": "接到举报立即组织人员核查",
        "start_month": None,
        "end_month": None,
        "days_allowed": 7,
        "coverage": "1",
        "source": f"{REGIME}：三（三）平时若有举报，立即组织人员进行核查。",
        "unconfirmed": True,  # the list says "at once"; the 7 days are a local setting
    },
]

DEDUCTION_SOURCE = (
    f"{REGIME} 五（三）：扶助金发放工作纳入乡镇计划生育目标管理考核内容，检查中发现有差错的进行考核扣分"
    "（分值为本地设置，待核实）"
)
DEDUCTION_RULES: list[dict] = [
    {"outcome": "not_received", "points": "1"},
    {"outcome": "died", "points": "1"},  # only where money was paid after entitlement ended
    {"outcome": "deception", "points": "2"},
]
