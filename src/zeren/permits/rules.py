"""The licence lifecycle as a table: which outcome, on which ground, from which state.

Grounds follow the Administrative Licensing Law (行政许可法): 撤销 (revoke) under Art. 69 when
the grant was defective (deception, unlawful grant); 撤回 (withdraw) under Art. 8 when a lawful
grant's objective conditions have since changed (divorced and not pregnant); 注销 (cancel) under
Art. 70 when the licence lapsed unused, its holder died, or it was revoked or withdrawn.
Deception → revoke, then cancel; conditions lost → withdraw, then cancel. (The published list
says 撤销 for lost conditions; ``zeren list check-law`` shows that conflict.)
Pure data and pure functions: no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class Status:
    GRANTED = "granted"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"

    CHOICES = [
        (GRANTED, "有效"),
        (USED, "已使用"),
        (EXPIRED, "已过期"),
        (REVOKED, "已撤销"),
        (WITHDRAWN, "已撤回"),
        (CANCELLED, "已注销"),
    ]
    LABELS = dict(CHOICES)


class Outcome:
    REVOKE = "revoke"
    WITHDRAW = "withdraw"
    CANCEL = "cancel"


VERBS = {Outcome.REVOKE: "撤销", Outcome.WITHDRAW: "撤回", Outcome.CANCEL: "注销"}


@dataclass(frozen=True)
class Ground:
    code: str
    outcome: str
    label: str
    basis: str
    from_states: frozenset[str]
    needs_lapsed: bool = False  # only once the validity period has ended


GROUNDS: dict[str, Ground] = {
    g.code: g
    for g in [
        Ground(
            "deception",
            Outcome.REVOKE,
            "以欺骗、贿赂等不正当手段取得许可",
            "《中华人民共和国行政许可法》第六十九条第二款：被许可人以欺骗、贿赂等不正当手段"
            "取得行政许可的，应当予以撤销；被许可人基于行政许可取得的利益不受保护",
            frozenset({Status.GRANTED, Status.USED, Status.EXPIRED}),
        ),
        Ground(
            "conditions_lost",
            Outcome.WITHDRAW,
            "合法取得后许可所依据的客观情况发生变化（如离婚且未怀孕）",
            "《中华人民共和国行政许可法》第八条第二款：行政许可所依据的客观情况发生重大变化的，"
            "为了公共利益的需要，行政机关可以依法变更或者撤回已经生效的行政许可（责任清单"
            " 四（二）五（二）作“撤销”，与法律不一致，按法律撤回）",
            frozenset({Status.GRANTED}),
        ),
        Ground(
            "unlawful_grant",
            Outcome.REVOKE,
            "违法作出许可（超越职权、违反法定程序、申请人不具备资格等）",
            "《中华人民共和国行政许可法》第六十九条第一款",
            frozenset({Status.GRANTED, Status.USED, Status.EXPIRED}),
        ),
        Ground(
            "expired_unused",
            Outcome.CANCEL,
            "有效期届满未使用",
            "《中华人民共和国行政许可法》第七十条第（一）项：行政许可有效期届满未延续的",
            frozenset({Status.GRANTED, Status.EXPIRED}),
            needs_lapsed=True,
        ),
        Ground(
            "holder_died",
            Outcome.CANCEL,
            "持证人死亡",
            "《中华人民共和国行政许可法》第七十条第（二）项：赋予公民特定资格的行政许可，"
            "该公民死亡或者丧失行为能力的",
            frozenset({Status.GRANTED, Status.EXPIRED}),
        ),
        Ground(
            "after_revocation",
            Outcome.CANCEL,
            "许可已被撤销或撤回",
            "《中华人民共和国行政许可法》第七十条第（四）项：行政许可依法被撤销、撤回，"
            "或者行政许可证件依法被吊销的",
            frozenset({Status.REVOKED, Status.WITHDRAWN}),
        ),
    ]
}


class TransitionRefused(ValueError):
    """The transition is not allowed; the message says why, in Chinese."""


def check_outcome(
    *, status: str, ground_code: str, outcome: str, valid_to: dt.date, on: dt.date
) -> Ground:
    """Return the ground if ``outcome`` on it is allowed from ``status`` on day ``on``."""
    ground = GROUNDS.get(ground_code)
    if ground is None:
        raise TransitionRefused(f"未知的事由“{ground_code}”")
    if ground.outcome != outcome:
        raise TransitionRefused(f"事由“{ground.label}”只能用于{VERBS[ground.outcome]}")
    if status == Status.CANCELLED:
        raise TransitionRefused("许可已注销，不能再作任何变动")
    if status not in ground.from_states:
        raise TransitionRefused(
            f"许可当前状态为“{Status.LABELS[status]}”，不能以“{ground.label}”为由" + VERBS[outcome]
        )
    if ground.needs_lapsed and on <= valid_to:
        raise TransitionRefused(
            f"许可有效期至{valid_to:%Y-%m-%d}，尚未届满，不能以“{ground.label}”为由注销"
        )
    return ground


def check_use(*, status: str, valid_from: dt.date, valid_to: dt.date, on: dt.date) -> None:
    """A licence can be used only while granted and within its validity."""
    if status != Status.GRANTED:
        raise TransitionRefused(f"许可当前状态为“{Status.LABELS[status]}”，不能登记使用")
    if not valid_from <= on <= valid_to:
        raise TransitionRefused(
            f"使用日期{on:%Y-%m-%d}不在有效期（{valid_from:%Y-%m-%d}至{valid_to:%Y-%m-%d}）内"
        )


def check_amend(*, status: str) -> None:
    if status != Status.GRANTED:
        raise TransitionRefused(f"许可当前状态为“{Status.LABELS[status]}”，不能变更")


def check_expire(*, status: str, valid_to: dt.date, on: dt.date) -> None:
    if status != Status.GRANTED:
        raise TransitionRefused(f"许可当前状态为“{Status.LABELS[status]}”，不能标记过期")
    if on <= valid_to:
        raise TransitionRefused(f"许可有效期至{valid_to:%Y-%m-%d}，尚未届满")
