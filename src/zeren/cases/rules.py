"""The legal arithmetic of a case: late fees, deadlines, discretion. Pure functions, no queries.

Every figure comes from a :class:`RuleBook` (a rule set loaded from the database or the seed
file), so each result can say which rule, which source and which arithmetic produced it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from zeren.core.workdays import (
    DAYS,
    MONTHS,
    UNIT_LABELS,
    WORKING_DAYS,
    YEARS,
    CalendarNotCovered,
    WorkCalendar,
    add_months,
)

SEED_DIR = Path(__file__).parent / "seed"
CENT = Decimal("0.01")
YUAN = Decimal("1")
PERIOD_UNITS = {WORKING_DAYS, DAYS, MONTHS, YEARS}


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# -- rule books ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleItem:
    key: str
    label: str
    value: str
    unit: str
    source: str
    confirmed: bool = True
    roll_forward: bool = False

    @property
    def number(self) -> Decimal:
        return Decimal(self.value)

    @property
    def period_text(self) -> str:
        return f"{self.value}{UNIT_LABELS.get(self.unit, self.unit)}"

    @property
    def citation(self) -> str:
        return self.source + ("（未核实）" if not self.confirmed else "")


@dataclass(frozen=True)
class RuleBook:
    code: str
    name: str
    effective_from: dt.date
    source: str
    items: dict[str, RuleItem]

    def has(self, key: str) -> bool:
        return key in self.items

    def get(self, key: str) -> RuleItem:
        try:
            return self.items[key]
        except KeyError:
            raise ValidationError(f"规则集“{self.name}”没有规则“{key}”") from None

    def number(self, key: str) -> Decimal:
        return self.get(key).number

    def date(self, key: str) -> dt.date:
        return dt.date.fromisoformat(self.get(key).value)


def seed_rulebooks() -> list[RuleBook]:
    """The rule sets of the seed file (used by the data migration and by pure tests)."""
    data = json.loads((SEED_DIR / "rulesets.json").read_text(encoding="utf-8"))
    books = []
    for rs in data["rule_sets"]:
        items = {
            r["key"]: RuleItem(
                key=r["key"],
                label=r["label"],
                value=r["value"],
                unit=r["unit"],
                source=r["source"],
                confirmed=r.get("confirmed", True),
                roll_forward=r.get("roll_forward", False),
            )
            for r in rs["rules"]
        }
        books.append(
            RuleBook(
                code=rs["code"],
                name=rs["name"],
                effective_from=dt.date.fromisoformat(rs["effective_from"]),
                source=rs["source"],
                items=items,
            )
        )
    return books


def book_in_force(books: list[RuleBook], day: dt.date) -> RuleBook:
    """The rule set in force on ``day`` (the latest that took effect on or before it)."""
    candidates = [b for b in books if b.effective_from <= day]
    if not candidates:
        raise ValidationError(f"{day:%Y-%m-%d}没有生效的规则集")
    return max(candidates, key=lambda b: b.effective_from)


# -- late fees -----------------------------------------------------------------------------
@dataclass(frozen=True)
class LateFee:
    amount: Decimal
    arithmetic: str
    rule: str
    source: str


def whole_months_between(start: dt.date, end: dt.date) -> int:
    """How many whole months have elapsed from ``start`` to ``end``."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def late_fee(
    *, kind: str, principal: Decimal, due: dt.date, on: dt.date, book: RuleBook
) -> LateFee:
    """The late fee owed on ``on`` for ``principal`` that fell due on ``due``.

    Fee (social maintenance fee): the rate per whole month elapsed since the due date.
    Fine: the rate per day elapsed since the due date. Both capped at the principal.
    """
    principal = Decimal(principal)
    if principal <= 0:
        raise ValidationError("本金应大于零")
    if kind == "fee":
        rule = book.get("fee_late_rate")
        count = whole_months_between(due, on)
        rate = rule.number / Decimal(1000)
        raw = principal * rate * count
        text = f"{money(principal)} × {rule.value}‰ × {count}个整月"
    elif kind == "fine":
        rule = book.get("fine_late_rate")
        count = max(0, (on - due).days)
        rate = rule.number / Decimal(100)
        raw = principal * rate * count
        text = f"{money(principal)} × {rule.value}% × {count}日"
    else:
        raise ValidationError(f"未知类别“{kind}”（应为 fee 或 fine）")
    amount = money(raw)
    text += f" = {amount}"
    sources = [rule.citation]
    if book.has("late_fee_cap") and amount > principal:
        amount = money(principal)
        text += f"，超过本金，以本金{amount}为限"
        sources.append(book.get("late_fee_cap").citation)
    return LateFee(amount=amount, arithmetic=text, rule=rule.label, source=join_sources(sources))


@dataclass(frozen=True)
class Share:
    """The part of one instalment settled by one payment (``paid_on``), or still owed."""

    due: dt.date
    amount: Decimal
    paid_on: dt.date | None  # None: still owed


def allocate(
    schedule: list[tuple[dt.date, Decimal]], payments: list[tuple[dt.date, Decimal]]
) -> list[list[Share]]:
    """Split each instalment into the payments that settled it, earliest due first.

    Payments of the principal settle the instalments in the order they fall due, the oldest
    payment first (a payment larger than the instalment runs on into the next one). What no
    payment covers is a share with ``paid_on=None``. Payments beyond the schedule are ignored.
    """
    queue = [[day, Decimal(amount)] for day, amount in sorted(payments)]
    result: list[list[Share]] = []
    for due, amount in sorted(schedule):
        remaining = Decimal(amount)
        shares: list[Share] = []
        while remaining > 0 and queue:
            paid_on, available = queue[0]
            take = min(available, remaining)
            shares.append(Share(due, take, paid_on))
            remaining -= take
            queue[0][1] -= take
            if queue[0][1] == 0:
                queue.pop(0)
        if remaining > 0:
            shares.append(Share(due, remaining, None))
        result.append(shares)
    return result


def overdue(
    schedule: list[tuple[dt.date, Decimal]],
    payments: list[tuple[dt.date, Decimal]],
    on: dt.date,
) -> list[tuple[dt.date, Decimal]]:
    """The instalments past their day on ``on`` with something still owed: (due, owed)."""
    paid = [(d, a) for d, a in payments if d <= on]
    owed = []
    for shares in allocate(schedule, paid):
        unpaid = sum((s.amount for s in shares if s.paid_on is None), Decimal(0))
        if unpaid > 0 and shares[0].due < on:
            owed.append((shares[0].due, unpaid))
    return owed


def schedule_late_fee(
    *,
    kind: str,
    schedule: list[tuple[dt.date, Decimal]],
    payments: list[tuple[dt.date, Decimal]],
    on: dt.date,
    book: RuleBook,
) -> LateFee:
    """The late fee accrued by ``on`` on a payment schedule (one sum, or instalments).

    Each instalment runs late from its own due day: a share paid late accrues until the day it
    was paid, a share still owed until ``on``. Each share is capped at its principal, so each
    instalment's late fee never exceeds the instalment, nor the total the principal.
    """
    paid = [(d, Decimal(a)) for d, a in payments if d <= on]
    lines: list[str] = []
    sources: list[str] = []
    parts: list[LateFee] = []
    total = Decimal(0)
    several = len(schedule) > 1
    for n, shares in enumerate(allocate(schedule, paid), start=1):
        due = shares[0].due
        texts = []
        for share in shares:
            until = share.paid_on or on
            if until <= due:
                continue
            fee = late_fee(kind=kind, principal=share.amount, due=due, on=until, book=book)
            parts.append(fee)
            total += fee.amount
            sources.append(fee.source)
            what = f"{share.paid_on:%Y-%m-%d}缴纳的" if share.paid_on else "未缴的"
            texts.append(what + fee.arithmetic)
        if texts:
            head = f"第{n}期（{due:%Y-%m-%d}到期）" if several else f"{due:%Y-%m-%d}到期"
            lines.append(f"{head}：{'，'.join(texts)}")
    if not parts:
        rule = book.get("fee_late_rate" if kind == "fee" else "fine_late_rate")
        return LateFee(Decimal("0.00"), "未逾期", rule.label, rule.citation)
    if len(parts) == 1 and not several and not paid:
        return parts[0]  # one sum, nothing paid: the plain arithmetic
    text = "；".join(lines) + f"；合计 {money(total)}"
    return LateFee(money(total), text, parts[0].rule, join_sources(sources))


def join_sources(citations: list[str]) -> str:
    """The citations joined with "；", each source named once, in the order first cited.

    A citation may itself name several sources ("行政处罚法第七十二条；行政强制法第四十五条");
    they are split so that a source cited by two rules is still listed once.
    """
    seen: list[str] = []
    for citation in citations:
        for part in citation.split("；"):
            part = part.strip()
            if part and part not in seen:
                seen.append(part)
    return "；".join(seen)


# -- dated rule versions -------------------------------------------------------------------
PROCEDURAL = "procedural"
SUBSTANTIVE = "substantive"


@dataclass(frozen=True)
class RuleVersion:
    """One dated version of one legal period (e.g. the litigation period from 2015-05-01).

    ``basis`` says how the version is chosen: ``procedural`` by the day the period starts
    (程序从新), ``substantive`` by the day of the act, unless the later law is lighter
    (实体从旧兼从轻, Administrative Penalty Law 2021 Art. 37). ``target_value``/``target_unit``
    are the bureau's own stricter target (the list's figure), shown as 建议办理日.
    ``after`` (court application only) names the periods it runs after. ``running`` makes a
    version also govern periods still running on its first day (a transitional provision).
    """

    key: str
    label: str
    valid_from: dt.date
    value: str
    unit: str
    source: str
    roll_forward: bool = False
    basis: str = PROCEDURAL
    confirmed: bool = True
    target_value: str = ""
    target_unit: str = ""
    target_source: str = ""
    after: str = ""
    running: bool = False
    running_source: str = ""

    @cached_property
    def version(self) -> str:
        return f"{self.valid_from:%Y-%m-%d}起"

    @cached_property
    def item(self) -> RuleItem:
        return RuleItem(
            key=self.key,
            label=self.label,
            value=self.value,
            unit=self.unit,
            source=self.source,
            confirmed=self.confirmed,
            roll_forward=self.roll_forward,
        )

    @cached_property
    def target(self) -> RuleItem | None:
        if not self.target_value:
            return None
        return RuleItem(
            key=self.key,
            label=f"{self.label}（本局办理目标）",
            value=self.target_value,
            unit=self.target_unit or self.unit,
            source=self.target_source,
        )


class RuleTimeline:
    """Every dated version of every versioned rule; ``at`` picks the one in force on a day."""

    def __init__(self, versions: list[RuleVersion]) -> None:
        self._by_key: dict[str, list[RuleVersion]] = {}
        for v in sorted(versions, key=lambda v: v.valid_from):
            self._by_key.setdefault(v.key, []).append(v)

    def has(self, key: str) -> bool:
        return key in self._by_key

    def versions(self, key: str) -> list[RuleVersion]:
        return list(self._by_key.get(key, []))

    def at(self, key: str, day: dt.date) -> RuleVersion | None:
        """The version of ``key`` in force on ``day`` (None: the rule did not exist yet)."""
        found = None
        for v in self._by_key.get(key, []):
            if v.valid_from <= day:
                found = v
        return found

    def require(self, key: str, day: dt.date) -> RuleVersion:
        found = self.at(key, day)
        if found is None:
            raise ValidationError(f"{day:%Y-%m-%d}没有生效的“{key}”规则")
        return found


def _version_from_row(row: dict[str, Any]) -> RuleVersion:
    return RuleVersion(
        key=row["key"],
        label=row["label"],
        valid_from=dt.date.fromisoformat(str(row["valid_from"])),
        value=str(row["value"]),
        unit=row["unit"],
        source=row["source"],
        roll_forward=bool(row.get("roll_forward", False)),
        basis=row.get("basis") or PROCEDURAL,
        confirmed=bool(row.get("confirmed", True)),
        target_value=row.get("target_value") or "",
        target_unit=row.get("target_unit") or "",
        target_source=row.get("target_source") or "",
        after=row.get("after") or "",
        running=bool(row.get("running", False)),
        running_source=row.get("running_source") or "",
    )


def seed_rule_versions() -> list[dict[str, Any]]:
    """The rows of ``seed/rule_versions.json`` (loaded by migration ``cases/0006``)."""
    data = json.loads((SEED_DIR / "rule_versions.json").read_text(encoding="utf-8"))
    return list(data["versions"])


def seed_timeline() -> RuleTimeline:
    """The seeded versions as a timeline (pure tests; the database copy is editable)."""
    return RuleTimeline([_version_from_row(r) for r in seed_rule_versions()])


def timeline_from_rows(rows: list[dict[str, Any]]) -> RuleTimeline:
    return RuleTimeline([_version_from_row(r) for r in rows])


# -- deadlines -----------------------------------------------------------------------------
# How a decision reached the party (Civil Procedure Law, applied by APL 2021 Art. 61).
SERVICE_METHODS = {
    "direct": "直接送达",
    "left": "留置送达",
    "post": "邮寄送达",
    "entrusted": "委托送达",
    "publication": "公告送达",
}
PUBLICATION = "公告送达"


@dataclass(frozen=True)
class CaseFacts:
    """The dates of a case that its deadlines depend on.

    ``served_on`` is the day recorded for the service: the signature day (direct, left at the
    address, entrusted), the day on the postal receipt (post), or the publication day
    (publication, deemed served later: see :func:`deemed_service`).
    """

    kind: str
    filed_on: dt.date
    act_ended_on: dt.date
    serious: bool = False
    notice_served_on: dt.date | None = None
    hearing_waived: bool = False
    hearing_requested_on: dt.date | None = None
    hearing_notice_on: dt.date | None = None
    hearing_on: dt.date | None = None
    approved_on: dt.date | None = None
    decided_on: dt.date | None = None
    decision_extension_days: int = 0
    served_on: dt.date | None = None
    paid_off_on: dt.date | None = None
    reminder_served_on: dt.date | None = None
    court_applied_on: dt.date | None = None
    closed_on: dt.date | None = None
    archived_on: dt.date | None = None
    # The day the principal is due when it differs from the rule (instalments: the last one).
    due_on: dt.date | None = None
    procedure: str = "general"
    summary_reported_on: dt.date | None = None
    service_method: str = ""
    # Administrative Penalty Law Art. 9 kind; only a fine or confiscation has a sum to pay.
    penalty_kind: str = "fine"


MONETARY_KINDS = {"fine", "confiscation"}


@dataclass
class Deadline:
    """One deadline: ``due`` is the day to act by; ``legal_due`` the law's last day.

    They differ only where the bureau's own target is stricter (建议办理日 before
    法定届满日). ``pending`` is set (``due`` None) when the last day falls in a year whose
    holiday schedule is not entered; ``bound`` then gives the calendar-day bound.
    """

    key: str
    label: str
    due: dt.date | None
    rule: str
    source: str
    arithmetic: str
    done_on: dt.date | None = None
    earliest: dt.date | None = None
    error: str = ""
    # A right of the party (asking for a hearing): when it lapses unused nothing is missed.
    party_right: bool = False
    legal_due: dt.date | None = None
    pending: str = ""
    bound: dt.date | None = None
    version: str = ""
    choice: str = ""

    @property
    def last_day(self) -> dt.date | None:
        """The legal last day (法定届满日)."""
        return self.legal_due or self.due

    def lapsed(self, today: dt.date) -> bool:
        last = self.last_day
        return self.party_right and self.done_on is None and last is not None and today > last

    def status(self, today: dt.date, amber_days: int = 3) -> str:
        """green (met or comfortable), amber (due within ``amber_days``, past the bureau's
        target but not the law's, or pending), red (the legal last day missed)."""
        last = self.last_day
        if last is None:
            return "amber" if (self.error or self.pending) else "green"
        if self.done_on is not None:
            if self.done_on > last:
                return "red"
            return "amber" if self.due and self.done_on > self.due else "green"
        if self.lapsed(today):
            return "green"
        if today > last:
            return "red"
        if self.due and today > self.due:
            return "amber"
        if (min(self.due or last, last) - today).days <= amber_days:
            return "amber"
        return "green"

    def as_dict(self, today: dt.date | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "label": self.label,
            "due": self.due.isoformat() if self.due else None,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "pending": self.pending or None,
            "rule": self.rule,
            "version": self.version,
            "source": self.source,
            "arithmetic": self.arithmetic,
        }
        if self.legal_due and self.legal_due != self.due:
            data["legal_due"] = self.legal_due.isoformat()
        if self.pending:
            data["bound"] = self.bound.isoformat() if self.bound else None
        if self.choice:
            data["choice"] = self.choice
        if self.error:
            data["error"] = self.error
        if self.party_right:
            data["party_right"] = True
        if today is not None:
            data["status"] = self.status(today)
        return data


def pending_text(exc: CalendarNotCovered) -> str:
    return f"待定：{exc.year}年节假日安排未录入"


def calendar_bound(start: dt.date, n: int, unit: str) -> dt.date:
    """The last day counted in calendar days, without rolling: the earliest the real last
    day can be (a working-day count or a roll-forward only moves it later)."""
    if unit in (WORKING_DAYS, DAYS):
        return start + dt.timedelta(days=n)
    return add_months(start, n * 12 if unit == YEARS else n)


@dataclass(frozen=True)
class Span:
    """A period's end, or why it is pending (with its calendar-day bound)."""

    date: dt.date | None
    arithmetic: str
    pending: str = ""
    bound: dt.date | None = None


def span(cal: WorkCalendar, start: dt.date, item: RuleItem) -> Span:
    """The end of ``item``'s period after ``start``; pending instead of an error."""
    n = int(item.number)
    try:
        computed = cal.period_end(start, n, item.unit, roll_forward=item.roll_forward)
    except CalendarNotCovered as exc:
        bound = calendar_bound(start, n, item.unit)
        text = (
            f"{start:%Y-%m-%d} + {item.period_text}，按日历日不早于{bound:%Y-%m-%d}；"
            f"{pending_text(exc)}，录入后自动重算"
        )
        return Span(None, text, pending_text(exc), bound)
    return Span(computed.date, computed.arithmetic)


def _version_deadline(
    cal: WorkCalendar,
    start: dt.date,
    version: RuleVersion | RuleItem,
    *,
    label: str,
    key: str,
    **extra: Any,
) -> Deadline:
    """A deadline of one rule version counted from ``start``, with the bureau's target."""
    item = version.item if isinstance(version, RuleVersion) else version
    legal = span(cal, start, item)
    result = Deadline(
        key,
        label,
        legal.date,
        f"{item.label}：{item.period_text}",
        item.citation,
        legal.arithmetic,
        legal_due=legal.date,
        pending=legal.pending,
        bound=legal.bound,
        version=version.version if isinstance(version, RuleVersion) else "",
        **extra,
    )
    target = version.target if isinstance(version, RuleVersion) else None
    if target is not None and legal.date is not None:
        goal = span(cal, start, target)
        if goal.date is not None and goal.date < legal.date:
            result.due = goal.date
            result.arithmetic = (
                f"法定届满日：{legal.arithmetic}；建议办理日（{target.source}）：{goal.arithmetic}"
            )
    return result


def _period(
    cal: WorkCalendar, start: dt.date, item: RuleItem, *, label: str, key: str, **extra: Any
) -> Deadline:
    return _version_deadline(cal, start, item, label=label, key=key, **extra)


def _rule(
    timeline: RuleTimeline, book: RuleBook, key: str, day: dt.date
) -> RuleVersion | RuleItem | None:
    """The version of ``key`` for a period starting on ``day``; the rule set's item for
    rules that are not versioned; None when the rule did not exist on ``day``."""
    if timeline.has(key):
        return timeline.at(key, day)
    return book.get(key) if book.has(key) else None


def limitation_rule(
    timeline: RuleTimeline, *, act_on: dt.date, decided_on: dt.date, serious: bool
) -> tuple[RuleVersion, str]:
    """The limitation version for an act, and the reasoning of the choice.

    Substantive (实体从旧兼从轻, APL 2021 Art. 37): the law at the time of the act, unless
    the law at ``decided_on`` (the filing or decision day) is lighter, i.e. a shorter period.
    """
    key = "limitation_serious" if serious else "limitation"
    then = timeline.at(key, act_on) or timeline.require("limitation", act_on)
    now = timeline.at(key, decided_on) or timeline.require("limitation", decided_on)
    if (then.value, then.unit) == (now.value, now.unit):
        return then, ""
    if calendar_bound(act_on, int(now.value), now.unit) < calendar_bound(
        act_on, int(then.value), then.unit
    ):
        chosen, why = now, "现行规定较轻（时效较短），从轻适用现行规定"
    else:
        chosen, why = then, "行为时规定不重于现行规定，适用行为时规定"
    text = (
        f"实体从旧兼从轻（行政处罚法第三十七条）：行为时（{act_on:%Y-%m-%d}）适用"
        f"{then.version}“{then.label}”{then.value}{UNIT_LABELS.get(then.unit, then.unit)}，"
        f"{decided_on:%Y-%m-%d}适用{now.version}“{now.label}”{now.value}"
        f"{UNIT_LABELS.get(now.unit, now.unit)}；{why}"
    )
    return chosen, text


def litigation_rule(timeline: RuleTimeline, cal: WorkCalendar, start: dt.date) -> RuleVersion:
    """The litigation-period version for a period starting after ``start``.

    By the start day (程序从新), except that a later version marked ``running`` also
    governs a period still running on its first day (the 2015 transitional provision).
    """
    chosen = timeline.require("litigation_period", start)
    for later in timeline.versions("litigation_period"):
        if later.valid_from > start and later.running:
            old_end = calendar_bound(start, int(chosen.value), chosen.unit)
            if old_end >= later.valid_from:
                chosen = later
    return chosen


def deemed_service(
    facts: CaseFacts, timeline: RuleTimeline
) -> tuple[dt.date | None, str, RuleVersion | None]:
    """The day the decision counts as served: (day, arithmetic, rule version applied).

    Publication: the publication day plus the period in force on that day (Civil Procedure
    Law: 60 days; 30 days from 2022-01-01); every other method: the recorded day (for post,
    the day on the receipt).
    """
    if facts.served_on is None:
        return None, "", None
    if facts.service_method != PUBLICATION:
        return facts.served_on, "", None
    version = timeline.require("publication_service", facts.served_on)
    deemed = facts.served_on + dt.timedelta(days=int(version.value))
    text = f"{facts.served_on:%Y-%m-%d}发出公告，经过{version.value}日视为送达 = {deemed:%Y-%m-%d}"
    return deemed, text, version


def deadlines(
    facts: CaseFacts,
    book: RuleBook,
    cal: WorkCalendar,
    timeline: RuleTimeline | None = None,
) -> list[Deadline]:
    """Every deadline of the case so far, each with its rule, version, source and arithmetic.

    Versioned rules (``timeline``; the seeded one when omitted) are chosen one by one: each
    procedural period by the day it starts, the limitation by the day of the act with the
    lighter-law exception. Other figures come from ``book``, the case's rule set. A period
    reaching a year the calendar does not cover is pending, never an error.
    """
    timeline = timeline or seed_timeline()
    result: list[Deadline] = []
    if facts.kind == "penalty":
        # The limitation of the Administrative Penalty Law binds penalties, not the fee.
        version, choice = limitation_rule(
            timeline,
            act_on=facts.act_ended_on,
            decided_on=facts.decided_on or facts.filed_on,
            serious=facts.serious,
        )
        result.append(
            _version_deadline(
                cal,
                facts.act_ended_on,
                version,
                label="立案时效",
                key="limitation",
                done_on=facts.filed_on,
                choice=choice,
            )
        )
    decision = _rule(timeline, book, "decision_period", facts.filed_on)
    if decision is not None:
        d = _version_deadline(
            cal,
            facts.filed_on,
            decision,
            label="作出决定",
            key="decision",
            done_on=facts.decided_on,
        )
        if facts.decision_extension_days and d.due:
            d.due = d.legal_due = d.due + dt.timedelta(days=facts.decision_extension_days)
            d.arithmetic += f"，经批准延长{facts.decision_extension_days}日 = {d.due:%Y-%m-%d}"
        result.append(d)
    if facts.notice_served_on:
        rule = _rule(timeline, book, "hearing_request", facts.notice_served_on)
        if rule is not None:
            result.append(
                _version_deadline(
                    cal,
                    facts.notice_served_on,
                    rule,
                    label="当事人申请听证",
                    key="hearing_request",
                    done_on=facts.hearing_requested_on,
                    party_right=True,
                )
            )
    if facts.hearing_on:
        result.append(_hearing_notice(facts, book, cal, timeline))
    if facts.procedure == "summary" and facts.decided_on and book.has("summary_report"):
        result.append(
            _period(
                cal,
                facts.decided_on,
                book.get("summary_report"),
                label="当场处罚决定备案",
                key="summary_report",
                done_on=facts.summary_reported_on,
            )
        )
    if facts.decided_on:
        rule = _rule(timeline, book, "service", facts.decided_on)
        if rule is not None:
            result.append(
                _version_deadline(
                    cal,
                    facts.decided_on,
                    rule,
                    label="送达决定书",
                    key="service",
                    done_on=facts.served_on,
                )
            )
    deemed, deemed_text, publication = deemed_service(facts, timeline)
    if deemed is not None and publication is not None:
        result.append(
            Deadline(
                "service_deemed",
                "公告送达视为送达",
                deemed,
                f"{publication.label}：{publication.value}日",
                publication.source,
                deemed_text,
                legal_due=deemed,
                version=publication.version,
            )
        )
    if deemed is not None:
        result.extend(_after_service(facts, book, cal, timeline, deemed))
    if facts.closed_on:
        result.append(
            _period(
                cal,
                facts.closed_on,
                book.get("archive"),
                label="结案归档",
                key="archive",
                done_on=facts.archived_on,
            )
        )
    return result


def _hearing_notice(
    facts: CaseFacts, book: RuleBook, cal: WorkCalendar, timeline: RuleTimeline
) -> Deadline:
    assert facts.hearing_on is not None
    day = facts.notice_served_on or facts.hearing_on
    rule = _rule(timeline, book, "hearing_notice", day) or book.get("hearing_notice")
    item = rule.item if isinstance(rule, RuleVersion) else rule
    version = rule.version if isinstance(rule, RuleVersion) else ""
    try:
        computed = cal.latest_before(facts.hearing_on, int(item.number), item.unit)
    except CalendarNotCovered as exc:
        return Deadline(
            "hearing_notice",
            "听证通知",
            None,
            item.label,
            item.citation,
            f"{pending_text(exc)}，录入后自动重算",
            pending=pending_text(exc),
            version=version,
        )
    return Deadline(
        "hearing_notice",
        "听证通知",
        computed.date,
        f"{item.label}：{item.period_text}",
        item.citation,
        computed.arithmetic,
        done_on=facts.hearing_notice_on,
        legal_due=computed.date,
        version=version,
    )


def _after_service(
    facts: CaseFacts,
    book: RuleBook,
    cal: WorkCalendar,
    timeline: RuleTimeline,
    deemed: dt.date,
) -> list[Deadline]:
    """Payment, the party's review and litigation periods and the court window."""
    result: list[Deadline] = []
    monetary = facts.kind == "fee" or facts.penalty_kind in MONETARY_KINDS
    pay_rule = _rule(
        timeline, book, "fee_payment" if facts.kind == "fee" else "fine_payment", deemed
    )
    assert pay_rule is not None
    payment = _version_deadline(
        cal, deemed, pay_rule, label="缴纳期限", key="payment", done_on=facts.paid_off_on
    )
    if facts.due_on and payment.due and facts.due_on > payment.due:
        payment.due = payment.legal_due = facts.due_on
        payment.arithmetic += f"；经批准分期缴纳，最后一期应缴日 = {facts.due_on:%Y-%m-%d}"
    if monetary:
        result.append(payment)
    review = _version_deadline(
        cal,
        deemed,
        timeline.require("review_period", deemed),
        label="申请行政复议",
        key="review",
        party_right=True,
    )
    lit_version = litigation_rule(timeline, cal, deemed)
    litigation = _version_deadline(
        cal, deemed, lit_version, label="提起行政诉讼", key="litigation", party_right=True
    )
    if lit_version.valid_from > deemed:
        litigation.choice = f"期间于{lit_version.valid_from:%Y-%m-%d}尚未届满，适用新规定（{lit_version.running_source}）"
    result.extend([review, litigation])
    unpaid = facts.paid_off_on is None or (
        payment.last_day is not None and facts.paid_off_on > payment.last_day
    )
    if unpaid and monetary:
        result.append(_court(facts, cal, timeline, review, litigation))
    return result


def _court(
    facts: CaseFacts,
    cal: WorkCalendar,
    timeline: RuleTimeline,
    review: Deadline,
    litigation: Deadline,
) -> Deadline:
    """The court-enforcement window: earliest application and last day (rolled)."""
    parts = [f"起诉期限：{litigation.arithmetic}"]
    sources = [litigation.source]
    if litigation.pending:
        return Deadline(
            "court",
            "申请法院强制执行",
            None,
            "申请法院强制执行",
            litigation.source,
            "；".join(parts),
            done_on=facts.court_applied_on,
            pending=litigation.pending,
            bound=litigation.bound,
        )
    assert litigation.due is not None
    lapse = litigation.due
    first = lapse + dt.timedelta(days=1)
    version = timeline.require("court_application", first)
    if version.after == "review_and_litigation":
        parts.append(f"复议期限：{review.arithmetic}")
        sources.append(review.source)
        if review.pending or review.due is None:
            return Deadline(
                "court",
                "申请法院强制执行",
                None,
                f"{version.label}：{version.value}{UNIT_LABELS.get(version.unit, version.unit)}",
                version.source,
                "；".join(parts),
                done_on=facts.court_applied_on,
                pending=review.pending,
                bound=review.bound,
                version=version.version,
            )
        lapse = max(lapse, review.due)
        first = lapse + dt.timedelta(days=1)
    window = span(cal, lapse, version.item)
    parts.append(f"申请期限（{version.version}）：{window.arithmetic}")
    sources.append(version.item.citation)
    earliest = first
    wait_rule = (
        timeline.at("reminder_wait", facts.reminder_served_on)
        if facts.reminder_served_on
        else timeline.at("reminder_wait", first)
    )
    pending, bound = window.pending, window.bound
    if wait_rule is not None:
        sources.append(wait_rule.item.citation)
        if facts.reminder_served_on:
            wait = span(cal, facts.reminder_served_on, wait_rule.item)
            parts.append(f"催告书送达后：{wait.arithmetic}")
            if wait.date is None:
                pending = pending or wait.pending
            else:
                earliest = max(earliest, wait.date + dt.timedelta(days=1))
        else:
            parts.append("须先送达催告书，送达十个工作日后方可申请")
    parts.append(f"最早可申请日 = {earliest:%Y-%m-%d}")
    return Deadline(
        "court",
        "申请法院强制执行",
        window.date,
        f"{version.label}：{version.value}{UNIT_LABELS.get(version.unit, version.unit)}",
        join_sources(sources),
        "；".join(parts),
        done_on=facts.court_applied_on,
        earliest=earliest,
        legal_due=window.date,
        pending=pending,
        bound=bound,
        version=version.version,
    )


def court_window(
    facts: CaseFacts, book: RuleBook, cal: WorkCalendar, timeline: RuleTimeline | None = None
) -> Deadline:
    """The window to apply to the court for enforcement (see :func:`deadlines`).

    Earliest: the day after the review and litigation periods (each rolled past holidays,
    Civil Code Art. 203) have lapsed, and after 10 working days from the reminder's service
    (Administrative Compulsory Law Arts. 54, 69). Last day: 3 months after the periods lapse
    (Art. 53), rolled; before 2012-01-01, 180 days after the litigation period.
    """
    timeline = timeline or seed_timeline()
    deemed, _, _ = deemed_service(facts, timeline)
    assert deemed is not None
    review = _version_deadline(
        cal, deemed, timeline.require("review_period", deemed), label="", key="review"
    )
    litigation = _version_deadline(
        cal, deemed, litigation_rule(timeline, cal, deemed), label="", key="litigation"
    )
    return _court(facts, cal, timeline, review, litigation)


# -- discretion ----------------------------------------------------------------------------
GRADE_ORDER = ["mitigated", "lenient", "standard", "aggravated"]
GRADE_LABELS = {"mitigated": "减轻", "lenient": "从轻", "standard": "一般", "aggravated": "从重"}


@dataclass(frozen=True)
class ViolationSpec:
    code: str
    name: str
    basis: str  # fixed | gains | income
    legal_basis: str
    legal_min: Decimal | None
    legal_max: Decimal | None
    min_multiple: Decimal | None = None
    max_multiple: Decimal | None = None
    gains_threshold: Decimal | None = None
    grades: dict[str, tuple[Decimal, Decimal, tuple[str, ...]]] = field(default_factory=dict)


@dataclass
class Assessment:
    legal_min: Decimal
    legal_max: Decimal
    grade: str
    grade_min: Decimal
    grade_max: Decimal
    reasoning: list[str]
    amount: Decimal | None = None
    outside_grade: bool = False
    needs_collective: bool = False
    large_amount: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "legal_min": str(self.legal_min),
            "legal_max": str(self.legal_max),
            "grade": self.grade,
            "grade_label": GRADE_LABELS[self.grade],
            "grade_min": str(self.grade_min),
            "grade_max": str(self.grade_max),
            "amount": str(self.amount) if self.amount is not None else None,
            "outside_grade": self.outside_grade,
            "needs_collective": self.needs_collective,
            "large_amount": self.large_amount,
            "reasoning": self.reasoning,
        }


def legal_range(
    spec: ViolationSpec, *, gains: Decimal | None, base_income: Decimal | None
) -> tuple[Decimal, Decimal, str]:
    if spec.basis == "income":
        if not base_income or base_income <= 0:
            raise ValidationError("按上年人均收入倍数计算，须填写上年人均收入")
        lo, hi = spec.min_multiple * base_income, spec.max_multiple * base_income
        return (
            money(lo),
            money(hi),
            f"上年人均收入{money(base_income)}元 × {spec.min_multiple}～{spec.max_multiple}倍",
        )
    if spec.basis == "gains" and gains is not None and spec.gains_threshold is not None:
        if gains >= spec.gains_threshold:
            lo, hi = spec.min_multiple * gains, spec.max_multiple * gains
            return (
                money(lo),
                money(hi),
                f"违法所得{money(gains)}元（≥{money(spec.gains_threshold)}元）× "
                f"{spec.min_multiple}～{spec.max_multiple}倍",
            )
        reason = f"违法所得{money(gains)}元（不足{money(spec.gains_threshold)}元）"
    else:
        reason = "无违法所得" if spec.basis == "gains" else "法定数额"
    if spec.legal_min is None or spec.legal_max is None:
        raise ValidationError(f"“{spec.name}”未设定法定罚款幅度")
    return money(spec.legal_min), money(spec.legal_max), f"{reason}，法定幅度"


def choose_grade(spec: ViolationSpec, circumstances: list[str]) -> tuple[str, list[str]]:
    """The grade the circumstances point to, with the reasoning."""
    by_factor = {f: g for g, (_, _, factors) in spec.grades.items() for f in factors}
    unknown = [c for c in circumstances if c not in by_factor]
    if unknown:
        raise ValidationError(f"裁量基准中没有情节：{'、'.join(unknown)}")
    found = {by_factor[c] for c in circumstances}
    lines = [f"情节“{c}”属于{GRADE_LABELS[by_factor[c]]}情形" for c in circumstances]
    lighter = found & {"mitigated", "lenient"}
    if "aggravated" in found and lighter:
        lines.append("从重与从轻（减轻）情节并存，相互抵消，按一般情节")
        return "standard", lines
    for grade in ("aggravated", "mitigated", "lenient"):
        if grade in found:
            return grade, lines
    lines.append("无法定从轻、减轻或从重情节，按一般情节")
    return "standard", lines


def assess(
    spec: ViolationSpec,
    *,
    circumstances: list[str],
    gains: Decimal | None = None,
    base_income: Decimal | None = None,
    amount: Decimal | None = None,
    reason: str = "",
    large_amount: Decimal | None = None,
) -> Assessment:
    """The range for the circumstances, and whether a chosen amount needs more than approval.

    The range never leaves the legal limits; an amount outside them is refused. An amount
    inside the legal limits but outside the grade's range needs a written reason and goes to
    collective discussion; an amount at or above the large-amount threshold goes to the
    bureau meeting too.
    """
    lo, hi, how = legal_range(spec, gains=gains, base_income=base_income)
    grade, lines = choose_grade(spec, circumstances)
    g_low, g_high, _ = spec.grades[grade]
    width = hi - lo
    g_min = max(lo, min(hi, (lo + width * g_low).quantize(YUAN, rounding=ROUND_HALF_UP)))
    g_max = max(lo, min(hi, (lo + width * g_high).quantize(YUAN, rounding=ROUND_HALF_UP)))
    lines.insert(0, f"{how}：{lo}～{hi}元（{spec.legal_basis}）")
    lines.append(
        f"{GRADE_LABELS[grade]}档为法定幅度的{g_low * 100:.0f}%～{g_high * 100:.0f}%：{money(g_min)}～{money(g_max)}元"
    )
    result = Assessment(lo, hi, grade, money(g_min), money(g_max), lines)
    if amount is None:
        return result
    amount = money(Decimal(amount))
    result.amount = amount
    if amount < lo or amount > hi:
        raise ValidationError(f"金额{amount}元超出法定幅度{lo}～{hi}元，不得作出")
    if amount < g_min or amount > g_max:
        result.outside_grade = True
        if not reason.strip():
            raise ValidationError(
                f"金额{amount}元不在{GRADE_LABELS[grade]}档幅度{money(g_min)}～{money(g_max)}元内，须书面说明理由"
            )
        result.needs_collective = True
        lines.append(f"金额{amount}元超出裁量档幅度，理由：{reason.strip()}；须集体讨论决定")
    else:
        lines.append(f"金额{amount}元在裁量档幅度内")
    if large_amount is not None and amount >= large_amount:
        result.large_amount = True
        result.needs_collective = True
        lines.append(f"金额达到较大数额标准{money(large_amount)}元，须提交局务会议集体讨论")
    return result


# The half-yearly file review (案卷评查, list 四（四）三): checklist items and their full marks.
# The list gives no items; these follow the nine steps (unconfirmed, editable here).
FILE_REVIEW_CHECKLIST: list[tuple[str, str, int]] = [
    ("filing", "立案审批手续完备、在时效内", 10),
    ("officers", "两名以上持证执法人员调查，出示证件", 10),
    ("records", "询问、调查笔录完整并签名", 10),
    ("recusal", "回避申请依法决定", 5),
    ("notice", "告知事实、理由、依据和权利，记录陈述申辩", 10),
    ("hearing", "听证程序合法（如有）", 10),
    ("approval", "审批、集体讨论、法制审核齐全", 10),
    ("discretion", "裁量适当，未超出法定幅度", 10),
    ("decision", "决定书要素齐全、文号规范", 10),
    ("service", "按期送达，送达回证齐全", 5),
    ("enforcement", "执行到位或依法申请强制执行", 5),
    ("archive", "一案一卷，目录清楚，按期归档", 5),
]
