"""Reads of the ledger: the duty × period status (set-based), an item's records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from zeren.catalogue.models import WorkItem
from zeren.ledger import rules, seed
from zeren.ledger.models import Cadence, Record
from zeren.ledger.services import version_in_force
from zeren.statistics.rules import InvalidPeriod, Period, parse_period

__all__ = ["InvalidPeriod", "StatusRow", "item_records", "ledger_status", "parse_period"]


@dataclass
class StatusRow:
    duty: int
    duty_text: str
    order: int
    item_id: int
    item: str
    section: str
    expectation: str  # a Cadence value
    source: str
    records: int = 0
    automatic: int = 0
    months: set[tuple[int, int]] = field(default_factory=set)
    status: str = rules.SILENT

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    @property
    def expectation_label(self) -> str:
        return Cadence(self.expectation).label

    def as_json(self) -> dict[str, Any]:
        return {
            "duty": self.duty,
            "item": self.item,
            "section": self.section,
            "expectation": self.expectation,
            "records": self.records,
            "automatic": self.automatic,
            "status": self.status,
        }


def ledger_status(
    period: str | Period, *, section: str | None = None
) -> tuple[Period, list[StatusRow]]:
    """Every work item of the version in force at the period's end with its records and status.

    One aggregate query over the records (grouped by item and day, never row by row), so a
    county-year of a million records costs one index range scan. Records filed under an
    earlier version's item count for the item with the same duty number and order. Raises
    InvalidPeriod (Chinese) for a bad ``period`` (YYYY, YYYY-QN, YYYY-MM).
    """
    p = period if isinstance(period, Period) else parse_period(period)
    version = version_in_force(p.end)
    if version is None:
        return p, []
    items = (
        WorkItem.objects.filter(duty__version=version)
        .select_related("duty", "section", "expectation")
        .order_by("duty__number", "order")
    )
    if section:
        items = items.filter(section__name=section)
    rows: dict[tuple[int, int], StatusRow] = {}
    for item in items:
        expectation = getattr(item, "expectation", None)
        key = (item.duty.number, item.order)
        rows[key] = StatusRow(
            duty=item.duty.number,
            duty_text=item.duty.text,
            order=item.order,
            item_id=item.pk,
            item=item.text,
            section=item.section.name,
            expectation=expectation.cadence
            if expectation
            else seed.CADENCES.get(key, seed.DEFAULT_CADENCE),
            source=expectation.source
            if expectation
            else f"责任清单第一部分第{item.duty.number}项职责：{item.duty.text}",
        )
    # Grouped by day, not by a truncated month: no function per row (SQLite would call back
    # into Python for each), at most 366 groups per item, folded into months below.
    counts = (
        Record.objects.filter(date__gte=p.start, date__lte=p.end)
        .values("work_item_id", "date")
        .annotate(n=Count("id"), auto=Count("id", filter=Q(source=Record.Source.AUTOMATIC)))
        .order_by()
    )
    per_item: dict[int, list[tuple[dt.date, int, int]]] = defaultdict(list)
    for c in counts:
        per_item[c["work_item_id"]].append((c["date"], c["n"], c["auto"]))
    numbers = dict(
        (pk, (d, o))
        for pk, d, o in WorkItem.objects.filter(pk__in=list(per_item)).values_list(
            "pk", "duty__number", "order"
        )
    )
    for item_id, months in per_item.items():
        row = rows.get(numbers.get(item_id, (0, 0)))
        if row is None:
            continue
        for month, n, auto in months:
            row.records += n
            row.automatic += auto
            if n:
                row.months.add((month.year, month.month))
    for row in rows.values():
        row.status = rules.period_status(row.expectation, p.start, p.end, row.months)
    return p, list(rows.values())


def item_records(item: WorkItem, p: Period, user: Any = None) -> QuerySet[Record]:
    """The records of ``item`` (and of its namesakes in other versions) inside ``p``."""
    qs = Record.objects.restrict(user, "view") if user is not None else Record.objects.all()
    return (
        qs.filter(
            date__gte=p.start,
            date__lte=p.end,
            work_item__duty__number=item.duty.number,
            work_item__order=item.order,
        )
        .select_related("section", "staff", "work_item__duty__version")
        .order_by("-date", "-id")
    )
