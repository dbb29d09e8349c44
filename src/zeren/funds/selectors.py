"""Reads for pages, the API and the command line: indicators, lists, exports' rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from zeren.funds import rules
from zeren.funds.models import (
    Beneficiary,
    Campaign,
    Deduction,
    PaymentBatch,
    PaymentLine,
    RecoveryEntry,
    Verification,
)
from zeren.org.models import Division


def _scoped(model: Any, user: Any) -> QuerySet:
    """All rows for the system (None), else what the user may see."""
    if user is None:
        return model.objects.all()
    return model.objects.restrict(user, "view")


def campaign_progress(
    *, year: int, user: Any = None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Per campaign and township: done of total, coverage, deadline and whether it is late."""
    today = today or timezone.localdate()
    campaigns = {c.pk: c for c in Campaign.objects.filter(year=year)}
    if not campaigns:
        return []
    rows = (
        _scoped(Verification, user)
        .filter(campaign_id__in=campaigns)
        .values("campaign_id", "township_id", "township__name", "township__code")
        .annotate(total=Count("id"), done=Count("id", filter=~Q(outcome="")))
        .order_by("campaign_id", "township__code")
    )
    result = []
    for row in rows:
        c = campaigns[row["campaign_id"]]
        cov = rules.coverage(row["done"], row["total"])
        required = float(c.coverage_required)
        result.append(
            {
                "campaign": c.pk,
                "title": c.title,
                "township": row["township__name"],
                "township_code": row["township__code"],
                "kind": c.kind,
                "total": row["total"],
                "done": row["done"],
                "coverage": cov,
                "deadline": c.deadline,
                "late": today > c.deadline and (cov or 0) < required,
                "due_soon": c.starts_on <= today <= c.deadline
                and (c.deadline - today).days <= 14
                and (cov or 0) < required,
            }
        )
    return result


def campaign_status(*, year: int) -> list[dict[str, Any]]:
    """The command line's view: {township, kind, total, done, coverage} per row.

    ``township`` is the division code, as in ``zeren supervision status``: names repeat
    across counties, codes do not.
    """
    return [
        {
            "township": r["township_code"],
            "kind": r["kind"],
            "total": r["total"],
            "done": r["done"],
            "coverage": r["coverage"],
        }
        for r in campaign_progress(year=year)
    ]


def payment_confirmation(*, year: int, user: Any = None) -> list[dict[str, Any]]:
    """Per township: payment lines issued in the year and the share confirmed received."""
    rows = (
        _scoped(PaymentLine, user)
        .filter(
            entry=PaymentLine.Entry.PAYMENT,
            batch__status=PaymentBatch.Status.ISSUED,
            period_start__year=year,
        )
        .values("beneficiary__township__name", "beneficiary__township__code")
        .annotate(lines=Count("id"), confirmed=Count("id", filter=Q(confirmed_at__isnull=False)))
        .order_by("beneficiary__township__code")
    )
    return [
        {
            "township": r["beneficiary__township__name"],
            "lines": r["lines"],
            "confirmed": r["confirmed"],
            "rate": rules.coverage(r["confirmed"], r["lines"]),
        }
        for r in rows
    ]


def recoveries_outstanding(*, user: Any = None) -> list[dict[str, Any]]:
    """Per township: owed, repaid, outstanding."""
    rows = (
        _scoped(RecoveryEntry, user)
        .values("township__name", "township__code")
        .annotate(
            owed=Sum("amount", filter=Q(entry="owed")),
            repaid=Sum("amount", filter=Q(entry="repaid")),
            people=Count("beneficiary", distinct=True),
        )
        .order_by("township__code")
    )
    result = []
    for r in rows:
        owed, repaid = r["owed"] or Decimal(0), r["repaid"] or Decimal(0)
        result.append(
            {
                "township": r["township__name"],
                "people": r["people"],
                "owed": owed,
                "repaid": repaid,
                "outstanding": owed - repaid,
            }
        )
    return result


def beneficiary_outstanding(user: Any = None) -> QuerySet:
    """Beneficiaries with money still to recover, with the outstanding amount."""
    return (
        _scoped(RecoveryEntry, user)
        .values("beneficiary_id", "beneficiary__person_id", "township__name")
        .annotate(
            owed=Sum("amount", filter=Q(entry="owed")),
            repaid=Sum("amount", filter=Q(entry="repaid")),
        )
        .order_by("township__name", "beneficiary_id")
    )


def with_person_names(rows: Any) -> list[dict[str, Any]]:
    """Rows of ``values()`` with ``beneficiary__person_id`` plus ``beneficiary__person__name``
    (names are encrypted at rest, so they are read through the model, not ``values()``)."""
    from zeren.people.models import Person

    rows = list(rows)
    ids = {r["beneficiary__person_id"] for r in rows}
    names = {p.pk: p.name for p in Person.objects.filter(pk__in=ids).only("pk", "row_key", "name")}
    return [
        {**r, "beneficiary__person__name": names.get(r["beneficiary__person_id"], "")} for r in rows
    ]


def deductions(*, year: int, user: Any = None) -> list[dict[str, Any]]:
    rows = (
        _scoped(Deduction, user)
        .filter(year=year)
        .values("township__name", "township__code")
        .annotate(points=Sum("points"), errors=Count("id"))
        .order_by("township__code")
    )
    return [
        {"township": r["township__name"], "errors": r["errors"], "points": r["points"]}
        for r in rows
    ]


def alerts(*, year: int, user: Any = None, today: dt.date | None = None) -> list[str]:
    """Things someone should act on now, in plain Chinese."""
    messages = []
    for row in campaign_progress(year=year, user=user, today=today):
        pct = f"{(row['coverage'] or 0) * 100:.1f}%"
        if row["late"]:
            messages.append(
                f"{row['township']}「{row['title']}」已过期限（{row['deadline']}），"
                f"完成 {row['done']}/{row['total']}（{pct}）"
            )
        elif row["due_soon"]:
            messages.append(
                f"{row['township']}「{row['title']}」将于{row['deadline']}到期，"
                f"完成 {row['done']}/{row['total']}（{pct}）"
            )
    for row in recoveries_outstanding(user=user):
        if row["outstanding"] > 0:
            messages.append(f"{row['township']}尚有应追回扶助金 {row['outstanding']} 元未追回")
    return messages


def ineligible(*, year: int, township: Division | None = None, user: Any = None) -> QuerySet:
    """Beneficiaries found ineligible in the year (terminated or suspended), per township."""
    found = Verification.objects.filter(
        campaign__year=year,
        outcome__in=[
            Verification.Outcome.DIED,
            Verification.Outcome.CHANGED,
            Verification.Outcome.DECEPTION,
        ],
    ).values("beneficiary_id")
    qs = (
        _scoped(Beneficiary, user)
        .filter(
            Q(pk__in=found)
            | Q(status=Beneficiary.Status.TERMINATED, status_date__year=year)
            | Q(status=Beneficiary.Status.SUSPENDED, status_date__year=year)
        )
        .exclude(status=Beneficiary.Status.ACTIVE)
        .select_related("person", "township", "village")
        .order_by("township__code", "village__code", "id")
    )
    if township is not None:
        qs = qs.filter(township=township)
    return qs


def platform_rows(*, year: int, user: Any = None) -> QuerySet:
    """Active beneficiaries entered on the platform in ``year``, within ``user``'s scope
    (all when ``user`` is None: the command line)."""
    manager = Beneficiary.objects if user is None else Beneficiary.objects.restrict(user, "view")
    return (
        manager.filter(platform_year=year, status=Beneficiary.Status.ACTIVE)
        .select_related("person", "township", "village")
        .order_by("township__code", "village__code", "id")
    )
