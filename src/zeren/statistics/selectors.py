"""Reads: indicators per township and county, thresholds in force, township scorecards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from zeren.core.scope import townships_for
from zeren.org.models import Division
from zeren.statistics import rules
from zeren.statistics.models import (
    AssessmentItem,
    AssessmentScheme,
    Birth,
    Indicator,
    ManualScore,
    Threshold,
)


def threshold_in_force(indicator: str, on: dt.date) -> Threshold | None:
    return (
        Threshold.objects.filter(indicator=indicator, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def county() -> Division | None:
    return Division.objects.filter(level=Division.Level.COUNTY).order_by("code").first()


def sees_county(user: Any = None) -> bool:
    if user is None or user.is_superuser:
        return True
    top = county()
    jurisdiction = user.jurisdiction
    return bool(top and jurisdiction and top.path.startswith(jurisdiction.path))


@dataclass
class IndicatorRow:
    division: Division
    boys: int
    girls: int
    high_order: int
    srb: Decimal | None
    srb_level: str | None
    high_order_share: Decimal | None
    high_order_level: str | None
    reliable: bool

    @property
    def births(self) -> int:
        return self.boys + self.girls

    def as_json(self) -> dict[str, Any]:
        return {
            "township": self.division.code,
            "name": self.division.name,
            "boys": self.boys,
            "girls": self.girls,
            "ratio": float(self.srb) if self.srb is not None else None,
            "level": self.srb_level,
            "reliable": self.reliable,
            "high_order": self.high_order,
            "high_order_share": (
                float(self.high_order_share) if self.high_order_share is not None else None
            ),
            "high_order_level": self.high_order_level,
        }


def _row(
    division: Division, counts: dict[str, int], srb: Threshold | None, high: Threshold | None
) -> IndicatorRow:
    boys, girls, high_order = counts.get("boys", 0), counts.get("girls", 0), counts.get("high", 0)
    births = boys + girls
    ratio = rules.sex_ratio(boys, girls)
    share = rules.percent(high_order, births)
    ok = srb is None or rules.reliable(births, srb.minimum_births)
    # A ratio from too few births is shown but not graded: it would raise false alarms.
    return IndicatorRow(
        division=division,
        boys=boys,
        girls=girls,
        high_order=high_order,
        srb=ratio,
        srb_level=rules.level(ratio, srb.bands) if srb and ok else None,
        high_order_share=share,
        high_order_level=(
            rules.level(share, high.bands)
            if high and rules.reliable(births, high.minimum_births)
            else None
        ),
        reliable=ok,
    )


def indicator_rows(
    period: str, *, user: Any = None, with_county: bool = True
) -> list[IndicatorRow]:
    """SRB and third-and-higher-order share per township (one grouped query), then the county."""
    span = rules.parse_period(period)
    if user is not None and not user.has_perm("statistics.view_birth"):
        return []
    townships = list(townships_for(user))
    births = Birth.objects.filter(birth_date__range=(span.start, span.end))
    if user is not None:
        births = births.restrict(user, "view")
    grouped = {
        row["township_id"]: row
        for row in births.filter(township__in=[t.pk for t in townships])
        .values("township_id")
        .order_by()
        .annotate(
            boys=Count("id", filter=Q(sex="M")),
            girls=Count("id", filter=Q(sex="F")),
            high=Count("id", filter=Q(birth_order__gte=3)),
        )
    }
    srb = threshold_in_force(Indicator.SRB, span.end)
    high = threshold_in_force(Indicator.HIGH_ORDER, span.end)
    rows = [_row(t, grouped.get(t.pk, {}), srb, high) for t in townships]
    top = county() if with_county and sees_county(user) else None
    if top is not None:
        totals = {key: sum(g[key] for g in grouped.values()) for key in ("boys", "girls", "high")}
        rows.append(_row(top, totals, srb, high))
    return rows


# -- assessment ---------------------------------------------------------------------------
@dataclass
class ItemScore:
    item: AssessmentItem
    points: Decimal | None  # None: no data
    note: str = ""


@dataclass
class Scorecard:
    township: Division
    items: list[ItemScore] = field(default_factory=list)
    rank: int | None = None

    @property
    def total(self) -> Decimal:
        return sum((s.points for s in self.items if s.points is not None), Decimal(0))

    @property
    def available(self) -> Decimal:
        return sum((s.item.max_points for s in self.items if s.points is not None), Decimal(0))

    @property
    def rate(self) -> Decimal | None:
        return rules.rate(self.total, self.available)

    def as_json(self) -> dict[str, Any]:
        return {
            "township": self.township.code,
            "name": self.township.name,
            "total": float(self.total),
            "available": float(self.available),
            "rate": float(self.rate) if self.rate is not None else None,
            "rank": self.rank,
            "items": [
                {
                    "code": s.item.code,
                    "name": s.item.name,
                    "max_points": float(s.item.max_points),
                    "points": float(s.points) if s.points is not None else None,
                    "note": s.note,
                }
                for s in self.items
            ],
        }


def _supervision(year: int, today: dt.date) -> dict[int, tuple[int, int]]:
    """Per township: (monthly indicators met, monthly indicators) over the year's drawn plans
    whose deadline has passed (a month still within its time has not failed yet)."""
    from zeren.supervision.models import Result, SamplingPlan, SupervisionRegime
    from zeren.supervision.rules import indicator_met

    plans = (
        SamplingPlan.objects.filter(
            period__startswith=f"{year}-",
            due_date__lt=today,
            regime__frequency=SupervisionRegime.Frequency.MONTH,
            division__level=Division.Level.TOWNSHIP,
            status=SamplingPlan.Status.DRAWN,
            required_count__gt=0,
        )
        .values("pk", "division_id", "required_count")
        .order_by()
        .annotate(done=Count("tasks", filter=~Q(tasks__result=Result.PENDING)))
    )
    out: dict[int, tuple[int, int]] = {}
    for p in plans:
        met, total = out.get(p["division_id"], (0, 0))
        out[p["division_id"]] = (
            met + bool(indicator_met(p["done"], p["required_count"])),
            total + 1,
        )
    return out


def _funds(year: int) -> tuple[set[int], dict[int, Decimal]]:
    """Townships with verifications in the year's campaigns, and their deductions."""
    from zeren.funds.models import Deduction, Verification

    checked = set(
        Verification.objects.filter(campaign__year=year)
        .values_list("township_id", flat=True)
        .distinct()
    )
    deducted = dict(
        Deduction.objects.filter(year=year)
        .values("township_id")
        .order_by()
        .annotate(s=Sum("points"))
        .values_list("township_id", "s")
    )
    return checked | set(deducted), deducted


def _cases(year: int) -> dict[int, tuple[Decimal, int]]:
    """Per township: average file-review total and the number of files reviewed in the year."""
    from zeren.cases.models import FileReview

    return {
        row["case__township_id"]: (row["avg"], row["n"])
        for row in FileReview.objects.filter(period__startswith=str(year))
        .values("case__township_id")
        .order_by()
        .annotate(avg=Avg("total"), n=Count("id"))
    }


def review_full_mark() -> Decimal:
    """The file-review checklist's full mark, as the cases capability defines it."""
    from zeren.cases.rules import FILE_REVIEW_CHECKLIST as CHECKLIST

    return Decimal(sum(top for _, _, top in CHECKLIST))


def scheme_for(year: int) -> AssessmentScheme | None:
    return AssessmentScheme.objects.filter(year=year).first()


def scorecards(year: int, *, user: Any = None, today: dt.date | None = None) -> list[Scorecard]:
    """The visible townships' scorecards for ``year``, ranked among all townships by score rate.

    A township's staff see only their own card, with its place among all townships.
    """
    scheme = scheme_for(year)
    if scheme is None:
        return []
    if user is not None and not user.has_perm("statistics.view_manualscore"):
        return []
    items = list(scheme.items.all())
    townships = list(townships_for(None))
    kinds = {i.kind for i in items}
    today = today or timezone.localdate()
    supervision = _supervision(year, today) if AssessmentItem.Kind.SUPERVISION in kinds else {}
    checked, deducted = _funds(year) if AssessmentItem.Kind.FUNDS in kinds else (set(), {})
    cases = _cases(year) if AssessmentItem.Kind.CASES in kinds else {}
    full_mark = review_full_mark() if cases else Decimal(100)
    manual = {
        (m.item_id, m.township_id): m for m in ManualScore.objects.filter(item__scheme=scheme)
    }
    cards = []
    for t in townships:
        card = Scorecard(township=t)
        for item in items:
            if item.kind == AssessmentItem.Kind.SUPERVISION:
                met, total = supervision.get(t.pk, (0, 0))
                score = rules.share_score(item.max_points, met, total)
                note = f"{met}/{total} 项按月指标达标" if total else "无数据"
            elif item.kind == AssessmentItem.Kind.FUNDS:
                lost = deducted.get(t.pk, Decimal(0))
                score = rules.deduction_score(item.max_points, lost, t.pk in checked)
                note = f"扣 {lost} 分" if t.pk in checked else "无数据"
            elif item.kind == AssessmentItem.Kind.CASES:
                average, n = cases.get(t.pk, (None, 0))
                score = rules.average_score(item.max_points, average, full_mark)
                note = f"{n} 卷平均 {rules.points(Decimal(average))} 分" if n else "无数据"
            else:
                entry = manual.get((item.pk, t.pk))
                score = entry.points if entry else None
                note = entry.reason if entry else "未评分"
            card.items.append(ItemScore(item, score, note))
        cards.append(card)
    for card, place in zip(cards, rules.rank([c.rate for c in cards]), strict=True):
        card.rank = place
    visible = {t.pk for t in list(townships_for(user))}
    cards = [c for c in cards if c.township.pk in visible]
    cards.sort(key=lambda c: (c.rank is None, c.rank or 0, c.township.code))
    return cards
