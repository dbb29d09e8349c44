"""Reads for supervision: regimes in force, populations, eligible officers, the status table.

The status table is set-based: one grouped query for live populations per regime, one for the
period's plans and one grouped query for their tasks, whatever the number of licences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zeren.core.scope import townships_for
from zeren.org.models import Division, EnforcementCertificate, Officer
from zeren.permits.models import Permit
from zeren.supervision import rules
from zeren.supervision.models import (
    ConflictDeclaration,
    InspectionTask,
    Report,
    Result,
    SamplingPlan,
    SupervisionRegime,
)


def regimes_in_force(on: dt.date) -> list[SupervisionRegime]:
    """For each code, the row with the latest effective date not after ``on``."""
    latest: dict[str, SupervisionRegime] = {}
    for regime in SupervisionRegime.objects.filter(effective_from__lte=on).order_by(
        "code", "-effective_from"
    ):
        latest.setdefault(regime.code, regime)
    return list(latest.values())


def regime_in_force(code: str, on: dt.date) -> SupervisionRegime | None:
    return (
        SupervisionRegime.objects.filter(code=code, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def county() -> Division | None:
    return Division.objects.filter(level=Division.Level.COUNTY).order_by("code").first()


def population(regime: SupervisionRegime, period_end: dt.date, division: Division) -> QuerySet:
    """The regime's subjects for a period ending on ``period_end`` inside ``division``."""
    since = rules.months_back(period_end, regime.lookback_months)
    qs = Permit.objects.filter(
        kind=regime.subject_kind,
        approval_date__gte=since,
        approval_date__lte=period_end,
    )
    if regime.subject_statuses:
        qs = qs.filter(status__in=regime.subject_statuses)
    if division.level == Division.Level.TOWNSHIP:
        return qs.filter(township=division)
    return qs.filter(township__path__startswith=division.path)


def certified_officers(on: dt.date) -> dict[int, int]:
    """Officer id → id of a certificate valid on ``on``, for active staff only."""
    rows = (
        EnforcementCertificate.objects.filter(
            valid_from__lte=on,
            valid_to__gte=on,
            revoked_on__isnull=True,
            officer__user__is_active=True,
        )
        .order_by("officer_id", "-valid_to")
        .values_list("officer_id", "id")
    )
    result: dict[int, int] = {}
    for officer_id, cert_id in rows:
        result.setdefault(officer_id, cert_id)
    return result


def conflicts(officer_ids: list[int], permit_ids: list[int]) -> dict[tuple[int, int], str]:
    """(officer, permit) pairs with a conflict and its reason: same village, relative, interest.

    Three queries whatever the sizes: the officers' villages, the active declarations, and the
    licences' holders and villages.
    """
    if not officer_ids or not permit_ids:
        return {}
    home = dict(
        Officer.objects.filter(pk__in=officer_ids, village__isnull=False).values_list(
            "pk", "village_id"
        )
    )
    declared = list(
        ConflictDeclaration.objects.filter(
            officer_id__in=officer_ids, withdrawn_on__isnull=True
        ).values_list("officer_id", "kind", "person_id", "village_id")
    )
    subjects = Permit.objects.filter(pk__in=permit_ids).values_list(
        "pk", "village_id", "holder_id", "holder__division_id", "spouse_id", "spouse__division_id"
    )
    labels = dict(ConflictDeclaration.Kind.choices)
    found: dict[tuple[int, int], str] = {}
    for pk, village, holder, holder_div, spouse, spouse_div in subjects:
        villages = {v for v in (village, holder_div, spouse_div) if v}
        persons = {p for p in (holder, spouse) if p}
        for officer_id, village_id in home.items():
            if village_id in villages:
                found[(officer_id, pk)] = "与检查对象同村"
        for officer_id, kind, person_id, village_id in declared:
            if (person_id and person_id in persons) or (village_id and village_id in villages):
                found[(officer_id, pk)] = f"已申报回避（{labels.get(kind, kind)}）"
    return found


@dataclass
class StatusRow:
    regime: SupervisionRegime
    division: Division
    population: int
    required: int
    sampled: int
    done: int
    conforming: int
    overdue: int
    plan_id: int | None
    days_left: int

    @property
    def attainment(self) -> Decimal | None:
        return rules.attainment(self.done, self.required)

    @property
    def met(self) -> bool | None:
        return rules.indicator_met(self.done, self.required)

    @property
    def no_subjects(self) -> bool:
        return self.population == 0

    @property
    def alert(self) -> bool:
        return self.met is False and self.days_left <= self.regime.alert_days

    def as_json(self) -> dict[str, Any]:
        value = self.attainment
        return {
            "regime": self.regime.code,
            "township": self.division.code,
            "population": self.population,
            "required": self.required,
            "sampled": self.sampled,
            "done": self.done,
            "conforming": self.conforming,
            "attainment": float(value) if value is not None else None,
            "met": self.met,
        }


def status_rows(
    period: str,
    *,
    user: Any = None,
    township: Division | None = None,
    today: dt.date | None = None,
) -> list[StatusRow]:
    """Indicators per regime × scope for ``period``; townships see only their own rows.

    Monthly regimes get a row for every scope, drawn or not (an undrawn scope shows its live
    population and what it will require); campaign regimes (a few rounds a year) appear for the
    periods in which a plan was drawn.
    """
    _, end = rules.parse_period(period)
    today = today or timezone.localdate()
    days_left = max((end - today).days, 0)
    townships = townships_for(user)
    county_division = county()
    plans = SamplingPlan.objects.filter(period=period).select_related("regime", "division")
    if user is not None:
        plans = plans.restrict(user, "view")
        if not user.is_superuser:
            jurisdiction = user.jurisdiction
            if jurisdiction is None or not (
                county_division and county_division.path.startswith(jurisdiction.path)
            ):
                county_division = None
    if township is not None:
        townships = townships.filter(pk=township.pk)
        plans = plans.filter(division=township)
        county_division = None
    townships = list(townships)
    regimes = [r for r in regimes_in_force(end) if r.draws_permits]
    task_counts = {
        row["plan_id"]: row
        for row in InspectionTask.objects.filter(plan__in=plans)
        .values("plan_id")
        .annotate(
            sampled=Count("id"),
            done=Count("id", filter=~Q(result=Result.PENDING)),
            conforming=Count("id", filter=Q(result=Result.CONFORMING)),
            overdue=Count("id", filter=Q(result=Result.PENDING, due_date__lt=today)),
        )
    }
    by_key: dict[tuple[int, int], list[SamplingPlan]] = {}
    for plan in plans:
        by_key.setdefault((plan.regime.code, plan.division_id), []).append(plan)
    rows: list[StatusRow] = []
    for regime in regimes:
        if regime.performed_by == SupervisionRegime.Level.TOWNSHIP:
            scopes = townships
        else:
            scopes = [county_division] if county_division else []
            scopes += [
                d for d in townships if (regime.code, d.pk) in by_key
            ]  # county checks limited to one township
        live: dict[int, int] = {}
        undrawn = [d for d in scopes if (regime.code, d.pk) not in by_key]
        if regime.frequency == SupervisionRegime.Frequency.MONTH and undrawn:
            base = population(regime, end, county() or undrawn[0])
            counts = dict(
                base.values("township_id").annotate(n=Count("id")).values_list("township_id", "n")
            )
            for d in undrawn:
                if d.level == Division.Level.TOWNSHIP:
                    live[d.pk] = counts.get(d.pk, 0)
                else:
                    live[d.pk] = sum(counts.values())
        for division in scopes:
            drawn = by_key.get((regime.code, division.pk))
            if drawn:
                for plan in drawn:
                    counts_row = task_counts.get(plan.pk, {})
                    rows.append(
                        StatusRow(
                            regime=regime,
                            division=division,
                            population=plan.population_count,
                            required=plan.required_count,
                            sampled=counts_row.get("sampled", 0),
                            done=counts_row.get("done", 0),
                            conforming=counts_row.get("conforming", 0),
                            overdue=counts_row.get("overdue", 0),
                            plan_id=plan.pk,
                            days_left=days_left,
                        )
                    )
            elif regime.frequency == SupervisionRegime.Frequency.MONTH:
                n = live.get(division.pk, 0)
                rows.append(
                    StatusRow(
                        regime=regime,
                        division=division,
                        population=n,
                        required=rules.sample_size(n, regime.coverage_ratio, regime.minimum_count),
                        sampled=0,
                        done=0,
                        conforming=0,
                        overdue=0,
                        plan_id=None,
                        days_left=days_left,
                    )
                )
    return rows


def rounds_this_year(regime: SupervisionRegime, year: int) -> int:
    """How many rounds of a campaign regime were drawn county-wide in ``year``."""
    return (
        SamplingPlan.objects.filter(
            regime__code=regime.code,
            period__startswith=f"{year}-",
            status=SamplingPlan.Status.DRAWN,
        )
        .values("period", "round")
        .distinct()
        .count()
    )


def overdue_tasks(user: Any, today: dt.date | None = None) -> QuerySet[InspectionTask]:
    today = today or timezone.localdate()
    return InspectionTask.objects.restrict(user, "view").filter(
        result=Result.PENDING, due_date__lt=today
    )


@dataclass(frozen=True)
class PublicReportStatus:
    """What the holder of a receipt code may read: no one's identity, no internal notes."""

    reference: str
    kind: str
    received_on: dt.date
    stage: str
    closed_on: dt.date | None
    reply: str


def report_public_status(code: str) -> PublicReportStatus | None:
    """The report behind a receipt code, or None; a malformed code is just not found."""
    from zeren.supervision.services import receipt_digest

    normal = rules.receipt_code_normalize(code)
    if normal is None:
        return None
    report = (
        Report.objects.filter(receipt_hash=receipt_digest(normal))
        .only("reference", "kind", "created_at", "status", "handler_id", "closed_at", "reply")
        .first()
    )
    if report is None:
        return None
    if report.status == Report.Status.CLOSED:
        stage = "已办结"
    elif report.status == Report.Status.INVESTIGATING or report.handler_id:
        stage = "正在办理"
    else:
        stage = "已受理，等待办理"
    closed = report.closed_at
    return PublicReportStatus(
        reference=report.reference,
        kind=report.get_kind_display(),
        received_on=timezone.localtime(report.created_at).date(),
        stage=stage,
        closed_on=timezone.localtime(closed).date() if closed else None,
        reply=report.reply if report.status == Report.Status.CLOSED else "",
    )
