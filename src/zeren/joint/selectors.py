"""Reads of the joint space: what a user may see, the board, indicators per department."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zeren.joint.models import InformationShare, Matter, Task
from zeren.joint.services import is_office
from zeren.org.models import Department


def matters_for(user: Any) -> QuerySet[Matter]:
    """The bureau (and the system) sees every matter; a department only those it takes part in;
    anyone without the permission or a department nothing."""
    qs = Matter.objects.select_related("boundary", "opened_by").order_by("-opened_on", "-id")
    if user is None:
        return qs
    if not user.is_authenticated or not user.has_perm("joint.view_matter"):
        return qs.none()
    if is_office(user):
        return qs
    if user.department_id is None:
        return qs.none()
    return qs.filter(departments=user.department_id)


def feed_for(user: Any, matter: Matter) -> QuerySet[InformationShare]:
    """The matter's feed as ``user`` may read it: shares to all, to or from its department."""
    qs = matter.feed.select_related("from_department", "to_department", "by")
    if user is None or is_office(user):
        return qs
    return qs.filter(
        Q(to_department__isnull=True)
        | Q(to_department=user.department_id)
        | Q(from_department=user.department_id)
    )


def board(user: Any, today: dt.date | None = None) -> list[tuple[Matter, list[Task]]]:
    """Each visible matter with its tasks; ``task.overdue`` set for the red rows."""
    today = today or timezone.localdate()
    matters = list(matters_for(user).prefetch_related("tasks__department"))
    for m in matters:
        for t in m.tasks.all():
            t.overdue = t.is_overdue(today)
    return [(m, list(m.tasks.all())) for m in matters]


@dataclass
class DepartmentIndicator:
    department: str
    received: int  # tasks assigned to it
    in_time: int  # answered with a result by the due date
    overdue: int  # no result past the due date, or a result after it
    open: int  # no result yet, not overdue

    def as_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def indicators(user: Any = None, today: dt.date | None = None) -> list[DepartmentIndicator]:
    """Per department over the matters ``user`` may see: received, in time, overdue, open."""
    today = today or timezone.localdate()
    rows: dict[int, DepartmentIndicator] = {}
    departments = {d.pk: d for d in Department.objects.all()}
    tasks = Task.objects.filter(matter__in=matters_for(user)).values_list(
        "department_id", "due_on", "done_on"
    )
    for department_id, due_on, done_on in tasks:
        row = rows.setdefault(
            department_id, DepartmentIndicator(departments[department_id].short_name, 0, 0, 0, 0)
        )
        row.received += 1
        if done_on is not None and done_on <= due_on:
            row.in_time += 1
        elif (done_on is not None and done_on > due_on) or today > due_on:
            row.overdue += 1
        else:
            row.open += 1
    order = {
        d: n
        for n, d in enumerate(
            sorted(
                departments, key=lambda pk: (departments[pk].kind != "bureau", departments[pk].code)
            )
        )
    }
    return [rows[pk] for pk in sorted(rows, key=lambda pk: order[pk])]


@dataclass
class Link:
    field: str
    label: str
    text: str
    url_name: str
    pk: int


_URLS = {"case": "case-detail", "inspection_task": "task-detail", "report": "report-detail"}


def links_for(user: Any, matter: Matter) -> list[Link]:
    """The matter's links to the bureau's work that ``user`` may see (the linked object's own
    view permission and scope); the others are not shown, not even their number."""
    from zeren.joint.services import LINKS

    found = []
    for field, (label, _lookup, _what) in LINKS.items():
        pk = getattr(matter, f"{field}_id")
        if pk is None:
            continue
        model = Matter._meta.get_field(field).related_model
        perm = f"{model._meta.app_label}.view_{model._meta.model_name}"
        if user is not None and not user.has_perm(perm):
            continue
        manager = model.objects
        qs = manager.restrict(user, "view") if hasattr(manager, "restrict") else manager.all()
        obj = qs.filter(pk=pk).first()
        if obj is not None:
            found.append(Link(field, label, str(obj), _URLS[field], pk))
    return found


def matters_linked_to(user: Any, obj: Any) -> QuerySet[Matter]:
    """The joint matters ``user`` may see that link to ``obj`` (a case, task or report)."""
    from zeren.joint.services import LINKS

    for field in LINKS:
        if Matter._meta.get_field(field).related_model is type(obj):
            return matters_for(user).filter(**{field: obj.pk})
    return Matter.objects.none()
