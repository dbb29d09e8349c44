"""Reads that several callers need: rule books, deadlines, the dashboard, review results."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from zeren.cases import rules
from zeren.cases.models import Case, FileReview, Rule, RuleSet, RuleVersion, Step, Violation
from zeren.core import workdays


def _book(rule_set: RuleSet, items: list[Rule]) -> rules.RuleBook:
    return rules.RuleBook(
        code=rule_set.code,
        name=rule_set.name,
        effective_from=rule_set.effective_from,
        source=rule_set.source,
        items={
            r.key: rules.RuleItem(
                key=r.key,
                label=r.label,
                value=r.value,
                unit=r.unit,
                source=r.source,
                confirmed=r.confirmed,
                roll_forward=r.roll_forward,
            )
            for r in items
        },
    )


def rulebooks() -> dict[int, rules.RuleBook]:
    """Every rule set, by id (two queries)."""
    sets = {rs.pk: rs for rs in RuleSet.objects.all()}
    items: dict[int, list[Rule]] = defaultdict(list)
    for rule in Rule.objects.all():
        items[rule.rule_set_id].append(rule)
    return {pk: _book(rs, items[pk]) for pk, rs in sets.items()}


def rulebook(rule_set: RuleSet) -> rules.RuleBook:
    return _book(rule_set, list(rule_set.rules.all()))


VERSION_FIELDS = [
    "key",
    "label",
    "valid_from",
    "value",
    "unit",
    "roll_forward",
    "basis",
    "source",
    "confirmed",
    "target_value",
    "target_unit",
    "target_source",
    "after",
    "running",
    "running_source",
]


def timeline() -> rules.RuleTimeline:
    """Every dated rule version from the database (one query; editable in the admin)."""
    return rules.timeline_from_rows(list(RuleVersion.objects.values(*VERSION_FIELDS)))


def rule_set_in_force(day: dt.date) -> RuleSet:
    rule_set = RuleSet.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rule_set is None:
        from django.core.exceptions import ValidationError

        raise ValidationError(f"{day:%Y-%m-%d}没有生效的规则集")
    return rule_set


def violation_spec(violation: Violation) -> rules.ViolationSpec:
    return rules.ViolationSpec(
        code=violation.code,
        name=violation.name,
        basis=violation.basis,
        legal_basis=violation.legal_basis,
        legal_min=violation.legal_min,
        legal_max=violation.legal_max,
        min_multiple=violation.min_multiple,
        max_multiple=violation.max_multiple,
        gains_threshold=violation.gains_threshold,
        grades={
            g.grade: (Decimal(g.low), Decimal(g.high), tuple(g.factors))
            for g in violation.grades.all()
        },
    )


FACT_FIELDS = [
    "kind",
    "filed_on",
    "act_date",
    "act_end_date",
    "serious",
    "notice_served_on",
    "hearing_waived",
    "hearing_requested_on",
    "hearing_notice_on",
    "hearing_on",
    "approved_on",
    "decided_on",
    "decision_extension_days",
    "served_on",
    "paid_off_on",
    "reminder_served_on",
    "court_applied_on",
    "closed_on",
    "archived_on",
    "due_on",
    "procedure",
    "summary_reported_on",
    "service_method",
    "penalty_kind",
]


def facts_from_row(row: dict[str, Any]) -> rules.CaseFacts:
    values = {k: row[k] for k in FACT_FIELDS if k not in ("act_date", "act_end_date")}
    return rules.CaseFacts(act_ended_on=row["act_end_date"] or row["act_date"], **values)


def case_facts(case: Case) -> rules.CaseFacts:
    return facts_from_row({k: getattr(case, k) for k in FACT_FIELDS})


def case_deadlines(case: Case) -> list[rules.Deadline]:
    return rules_deadlines(case, case_facts(case))


def rules_deadlines(case: Case, facts: rules.CaseFacts) -> list[rules.Deadline]:
    """The deadlines ``facts`` would give ``case`` (e.g. before a service is recorded)."""
    return rules.deadlines(facts, rulebook(case.rule_set), workdays.calendar(), timeline())


def _rule_set_dict(rule_set: RuleSet) -> dict[str, Any]:
    return {
        "code": rule_set.code,
        "name": rule_set.name,
        "effective_from": rule_set.effective_from.isoformat(),
        "source": rule_set.source,
    }


def case_deadlines_document(case: Case, today: dt.date | None = None) -> dict[str, Any]:
    """A case's deadlines as JSON-ready data (``zeren cases deadlines``, the API)."""
    today = today or dt.date.today()
    return {
        "case": case.number,
        "party": case.party_name,
        "step": case.step,
        "step_label": case.get_step_display(),
        "rule_set": _rule_set_dict(case.rule_set),
        "today": today.isoformat(),
        "deadlines": [d.as_dict(today) for d in case_deadlines(case)],
    }


SERVICE_CHOICES = {
    "direct": "直接送达",
    "left": "留置送达",
    "post": "邮寄送达",
    "entrusted": "委托送达",
    "publication": "公告送达",
}


def clock_facts(
    *,
    kind: str,
    filed_on: dt.date,
    act_ended_on: dt.date | None = None,
    serious: bool = False,
    notice_served_on: dt.date | None = None,
    hearing_on: dt.date | None = None,
    decided_on: dt.date | None = None,
    served_on: dt.date | None = None,
    service: str = "direct",
    reminder_served_on: dt.date | None = None,
    paid_off_on: dt.date | None = None,
    closed_on: dt.date | None = None,
) -> rules.CaseFacts:
    """The facts of a what-if question (``zeren cases clock`` and the calculator page).

    ``service`` is one of :data:`SERVICE_CHOICES` (English keys). Raises ValidationError
    (Chinese) when the dates are out of order or a service has no decision.
    """
    from django.core.exceptions import ValidationError

    if kind not in ("penalty", "fee"):
        raise ValidationError("案件类别应为 penalty（行政处罚）或 fee（社会抚养费）")
    if service not in SERVICE_CHOICES:
        raise ValidationError(f"送达方式应为：{'、'.join(SERVICE_CHOICES)}")
    ordered = [act_ended_on, filed_on, notice_served_on, decided_on, served_on, reminder_served_on]
    known = [d for d in ordered if d is not None]
    if known != sorted(known):
        raise ValidationError(
            "日期先后不合理：应依次为违法行为日、立案、告知、决定、送达、催告（可省略其中几项）"
        )
    if served_on and not decided_on:
        raise ValidationError("填写送达日期时须同时填写决定日期")
    return rules.CaseFacts(
        kind=kind,
        filed_on=filed_on,
        act_ended_on=act_ended_on or filed_on,
        serious=serious,
        notice_served_on=notice_served_on,
        hearing_on=hearing_on,
        decided_on=decided_on,
        served_on=served_on,
        service_method=SERVICE_CHOICES[service] if served_on else "",
        reminder_served_on=reminder_served_on,
        paid_off_on=paid_off_on,
        closed_on=closed_on,
    )


def clock_document(facts: rules.CaseFacts, today: dt.date | None = None) -> dict[str, Any]:
    """What-if deadlines for dates typed in (``zeren cases clock``, the calculator page).

    Same shape as :func:`case_deadlines_document`; ``case`` is None and ``inputs`` echoes
    the dates. The rule set is the one in force on the filing day; each period's version is
    chosen on its own (see :func:`zeren.cases.rules.deadlines`).
    Raises ValidationError (Chinese) when no rule set was in force on the filing day.
    """
    today = today or dt.date.today()
    rule_set = rule_set_in_force(facts.filed_on)
    found = rules.deadlines(facts, rulebook(rule_set), workdays.calendar(), timeline())
    inputs = {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in facts.__dict__.items()
        if v not in (None, "", False, 0) or k == "kind"
    }
    return {
        "case": None,
        "inputs": inputs,
        "rule_set": _rule_set_dict(rule_set),
        "today": today.isoformat(),
        "deadlines": [d.as_dict(today) for d in found],
    }


# -- dashboard -----------------------------------------------------------------------------
OPEN_STEPS = [s for s in Step.values if s != Step.ARCHIVED]


def deadline_board(
    cases: QuerySet[Case], *, today: dt.date, horizon_days: int = 7
) -> dict[str, Any]:
    """Deadlines of the given cases, set-based: one query for the cases, two for the rules.

    Returns counts by colour and step, the deadlines due within ``horizon_days`` and the
    overdue ones (open deadlines past their day), each with its case number.
    """
    books = rulebooks()
    cal = workdays.calendar()
    dated = timeline()
    rows = cases.filter(step__in=OPEN_STEPS).values(
        "id", "number", "step", "rule_set_id", *FACT_FIELDS
    )
    colours: Counter[str] = Counter()
    by_step: Counter[str] = Counter()
    this_week: list[dict[str, Any]] = []
    overdue: list[dict[str, Any]] = []
    horizon = today + dt.timedelta(days=horizon_days)
    total = 0
    for row in rows.iterator(chunk_size=5000):
        total += 1
        by_step[row["step"]] += 1
        for d in rules.deadlines(facts_from_row(row), books[row["rule_set_id"]], cal, dated):
            if d.done_on is not None or d.lapsed(today):
                continue
            colour = d.status(today)
            colours[colour] += 1
            if d.due is None:
                continue
            entry = {"case_id": row["id"], "case": row["number"], "deadline": d}
            if d.due < today:
                overdue.append(entry)
            elif d.due <= horizon:
                this_week.append(entry)
    this_week.sort(key=lambda e: e["deadline"].due)
    overdue.sort(key=lambda e: e["deadline"].due)
    return {
        "cases": total,
        "colours": dict(colours),
        "by_step": [(s.value, s.label, by_step.get(s.value, 0)) for s in Step],
        "this_week": this_week,
        "overdue": overdue,
    }


def my_cases(user: Any) -> QuerySet[Case]:
    return (
        Case.objects.restrict(user, "view")
        .filter(Q(handler=user) | Q(officers__user=user))
        .distinct()
    )


# -- file review ---------------------------------------------------------------------------
def half_year(day: dt.date) -> str:
    return f"{day.year}H{1 if day.month <= 6 else 2}"


def review_results(period: str, cases: QuerySet[Case]) -> dict[str, list[dict[str, Any]]]:
    """Average file-review scores for a period, by officer and by township."""
    reviews = FileReview.objects.filter(period=period, case__in=cases)
    by_township = (
        reviews.values("case__township__name")
        .annotate(files=Count("id"), average=Avg("total"))
        .order_by("case__township__name")
    )
    by_officer = (
        reviews.values("case__officers__user__name", "case__officers__user__username")
        .annotate(files=Count("id", distinct=True), average=Avg("total"))
        .order_by("case__officers__user__username")
    )
    return {
        "by_township": [
            {"township": r["case__township__name"], "files": r["files"], "average": r["average"]}
            for r in by_township
        ],
        "by_officer": [
            {
                "officer": r["case__officers__user__name"] or r["case__officers__user__username"],
                "files": r["files"],
                "average": r["average"],
            }
            for r in by_officer
            if r["case__officers__user__username"]
        ],
    }


def hearing_chair_candidates(case: Case, on: dt.date) -> QuerySet[Any]:
    """Staff who may chair the case's hearing on ``on`` (users, by username).

    The chair is one of the bureau's own enforcement officers holding a certificate valid on
    ``on``, not involved in the case (not its handler, not one of its officers, not an officer
    who stepped aside from it): Administrative Penalty Law 2021 Art. 64 (4). Never an
    administrator account (role 系统管理员 or superuser) nor a partner department's account.
    """
    from django.contrib.auth import get_user_model

    from zeren.cases.models import Recusal
    from zeren.core.roles import Role
    from zeren.org.models import Department

    recused = Recusal.objects.filter(case=case).values("officer__user")
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            is_superuser=False,
            department__kind=Department.Kind.BUREAU,
            officer__certificates__valid_from__lte=on,
            officer__certificates__valid_to__gte=on,
            officer__certificates__revoked_on__isnull=True,
        )
        .exclude(role=Role.ADMIN)
        .exclude(pk=case.handler_id)
        .exclude(officer__cases=case)
        .exclude(pk__in=recused)
        .distinct()
        .order_by("username")
    )
