"""Where the published list conflicts with the law in force: the list is shown as published,
and beside it the rule the system applies and its source. Pure data; no queries.

Each conflict names the phrases of the list it concerns (matched in the published text with
white space ignored, so a later version that corrects the wording no longer shows it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    regime: int  # the regime's number in the list (the case-handling regime is 4)
    text: str  # the list's words, white space removed
    law: str  # what the law says for this phrase


@dataclass(frozen=True)
class Conflict:
    code: str
    title: str
    phrases: tuple[Phrase, ...]
    applied: str  # the rule the system applies instead
    source: str


CONFLICTS: tuple[Conflict, ...] = (
    Conflict(
        code="court-window",
        title="申请人民法院强制执行的期限：清单为起诉期限届满后180日，现行法律为复议、诉讼期限届满后3个月",
        phrases=(
            Phrase(
                regime=4,
                text="应当自被执行人的法定起诉期限届满之日起180日内提出",
                law="自行政复议、行政诉讼期限均届满之日起三个月内申请；须先送达催告书，"
                "催告书送达十个工作日后仍未履行的方可申请（2012年1月1日起）",
            ),
        ),
        applied="期限规则“申请法院强制执行”2012-01-01起版本：复议、诉讼期限届满之日起3个月，"
        "届满日逢节假日顺延；催告等待10个工作日（“催告书送达后方可申请强制执行”）。"
        "180日仅适用于2012年1月1日前开始的申请期限（法释〔2000〕8号第八十八条）",
        source="行政强制法第五十三条、第五十四条、第六十九条（2012-01-01施行）；民法典第二百零三条",
    ),
    Conflict(
        code="revoke-cancel-swapped",
        title="监管制度（一）（二）的处理措施中“撤销”与“注销”用反，条件丧失应为“撤回”",
        phrases=(
            Phrase(
                regime=1,
                text="发现相对人存在的欺骗、弄虚作假的行为，依法进行注销处理",
                law="以欺骗等不正当手段取得的许可应当撤销（第六十九条第二款），撤销后注销（第七十条第（四）项）",
            ),
            Phrase(
                regime=1,
                text="发现相对人超过期限未实施的，依法撤销许可",
                law="有效期届满未实施（未延续）的，应当注销（第七十条第（一）项），不是撤销",
            ),
            Phrase(
                regime=2,
                text="欺骗、弄虚作假的行为，依法注销许可",
                law="以欺骗等不正当手段取得的许可应当撤销（第六十九条第二款），撤销后注销（第七十条第（四）项）",
            ),
            Phrase(
                regime=2,
                text="发现有离婚且未怀孕等情况的，依法撤销许可",
                law="合法取得后客观情况变化（离婚且未怀孕）的，应当撤回（第八条），撤回后注销"
                "（第七十条第（四）项）；撤销（第六十九条）只用于违法作出或欺骗取得的许可",
            ),
        ),
        applied="许可登记：欺骗取得、违法作出 → 撤销（permit_revoke）后注销；条件丧失（离婚且未怀孕）"
        " → 撤回（permit_withdraw）后注销；有效期届满未使用 → 注销（permit_cancel）",
        source="行政许可法第八条、第六十九条、第七十条",
    ),
)


def squeeze(text: str) -> str:
    """``text`` without white space (the list's printed text breaks lines mid-word)."""
    return "".join(text.split())
