"""Reads of the ledger: the duty × period status (set-based), an item's records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from zeren.catalogue.models import WorkItem
from zeren.ledger import rules, seed
from zeren.ledger.models import Cadence, ItemMapping, Milestone, Plan, Record
from zeren.ledger.services import version_in_force
from zeren.statistics.rules import InvalidPeriod, Period, parse_period

__all__ = [
    "InvalidPeriod",
    "StatusRow",
    "item_records",
    "ledger_status",
    "lineage",
    "milestones_due",
    "parse_period",
    "section_due",
]


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
    by_id = {row.item_id: key for key, row in rows.items()}
    resolve = _resolver(version)
    for item_id, months in per_item.items():
        target = resolve(item_id)
        row = rows.get(by_id.get(target, (0, 0))) if target is not None else None
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


def _resolver(version: Any) -> Any:
    """``resolve(item_id) -> item_id | None``: the item of ``version`` that an item of any
    version counts for. Follows the published mappings (:class:`ItemMapping`) forward; an
    item mapped to nothing (dropped) counts for none; an item with no mapping (versions
    published before mappings were kept) counts for its namesake (same duty number and
    order). Items of later versions than ``version`` count for nothing. The tables are small
    (some 25 items a version), read once."""
    items = {
        pk: (v_id, v_no, d, o)
        for pk, v_id, v_no, d, o in WorkItem.objects.filter(
            duty__version__department_id=version.department_id
        ).values_list("pk", "duty__version_id", "duty__version__number", "duty__number", "order")
    }
    namesake = {(d, o): pk for pk, (v_id, _n, d, o) in items.items() if v_id == version.pk}
    successor = dict(ItemMapping.objects.values_list("old_item_id", "new_item_id"))
    cache: dict[int, int | None] = {}

    def resolve(item_id: int) -> int | None:
        if item_id in cache:
            return cache[item_id]
        current, seen = item_id, set()
        while current is not None and current in items and items[current][0] != version.pk:
            if items[current][1] > version.number or current in seen:
                current = None
                break
            seen.add(current)
            if current in successor:
                current = successor[current]
            else:
                current = namesake.get(items[current][2:])
                break
        found = current if current in items and items[current][0] == version.pk else None
        cache[item_id] = found
        return found

    return resolve


def lineage(item: WorkItem) -> list[int]:
    """The items whose records count for ``item``: itself and its predecessors in earlier
    versions (by the mappings, or by number where no mapping was kept)."""
    resolve = _resolver(item.duty.version)
    ids = WorkItem.objects.filter(
        duty__version__department_id=item.duty.version.department_id,
        duty__version__number__lte=item.duty.version.number,
    ).values_list("pk", flat=True)
    return [pk for pk in ids if resolve(pk) == item.pk]


def item_records(item: WorkItem, p: Period, user: Any = None) -> QuerySet[Record]:
    """The records of ``item`` and of its predecessors in earlier versions inside ``p``; each
    keeps the item (and version) it was filed under."""
    qs = Record.objects.restrict(user, "view") if user is not None else Record.objects.all()
    return (
        qs.filter(date__gte=p.start, date__lte=p.end, work_item_id__in=lineage(item))
        .select_related("section", "staff", "work_item__duty__version")
        .order_by("-date", "-id")
    )


# Milestones come up this many days before they are due (a bureau default, not a statute).
REMINDER_DAYS = 14


def milestones_open_by(day: dt.date) -> QuerySet[Milestone]:
    """The milestones not yet done, of open plans, due on or before ``day`` (everyone's)."""
    return Milestone.objects.filter(
        done_on__isnull=True, plan__status=Plan.Status.OPEN, due_on__lte=day
    )


def milestones_due(
    user: Any, today: dt.date, *, within: int = REMINDER_DAYS
) -> QuerySet[Milestone]:
    """The open milestones ``user`` answers for (as the milestone's or, when it names nobody,
    the plan's responsible staff) that are due by ``today`` + ``within`` days, overdue ones
    included; earliest first. The notification inbox reads this; nothing is stored.

    Returns Milestone rows with ``plan__work_item__duty`` selected; ``is_overdue`` is
    annotated (due before ``today``).
    """
    if not getattr(user, "is_authenticated", False) or not user.has_perm("ledger.view_plan"):
        return Milestone.objects.none()
    return (
        milestones_open_by(today + dt.timedelta(days=within))
        .filter(Q(responsible=user) | Q(responsible__isnull=True, plan__responsible=user))
        .select_related("plan__work_item__duty", "plan__responsible", "responsible")
        .annotate(is_overdue=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()))
        .order_by("due_on", "id")
    )


def section_due(
    section: Any, today: dt.date, *, within: int = REMINDER_DAYS
) -> QuerySet[Milestone]:
    """The open milestones due by ``today`` + ``within`` days on the plans of ``section``'s
    work items (the per-section "my items due" page), earliest first."""
    return (
        Milestone.objects.filter(
            done_on__isnull=True,
            plan__status=Plan.Status.OPEN,
            plan__work_item__section=section,
            due_on__lte=today + dt.timedelta(days=within),
        )
        .select_related("plan__work_item__duty", "plan__responsible", "responsible")
        .annotate(is_overdue=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()))
        .order_by("due_on", "id")
    )


def plans_for(year: int, *, section: Any = None) -> QuerySet[Plan]:
    qs = Plan.objects.filter(year=year)
    if section is not None:
        qs = qs.filter(work_item__section=section)
    return qs.select_related("work_item__duty__version", "work_item__section", "responsible")
