"""Reads of the public services: guides joined to the list, queues, lookup, figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from zeren.catalogue.models import ListVersion, PublicService
from zeren.catalogue.selectors import latest_published
from zeren.certificates.models import Certificate
from zeren.core import crypto
from zeren.publicservices.models import Application, FollowUpTask, Rating, ServiceGuide
from zeren.publicservices.rules import RATING_LEVELS
from zeren.supervision.rules import receipt_code_normalize


@dataclass(frozen=True)
class Guide:
    """A service of the list with its guide (``guide`` is None when none is kept yet)."""

    service: PublicService
    guide: ServiceGuide | None

    @property
    def number(self) -> int:
        return self.service.number


def guides(version: ListVersion | None = None) -> list[Guide]:
    """Every service of ``version`` (default: the latest published list) with its guide."""
    version = version or latest_published()
    if version is None:
        return []
    by_number = {g.number: g for g in ServiceGuide.objects.all()}
    services = PublicService.objects.filter(version=version).select_related("section")
    return [Guide(s, by_number.get(s.number)) for s in services]


def guide_for(number: int, version: ListVersion | None = None) -> Guide | None:
    """Service ``number`` of the list with its guide, or None if the list has no such service."""
    return next((g for g in guides(version) if g.number == number), None)


def guide_document(guide: ServiceGuide | None) -> dict[str, Any] | None:
    """The guide in the list export's shape (all text; time limit in working days or null)."""
    if guide is None:
        return None
    return {
        "kind": guide.get_kind_display(),
        "applicants": guide.applicants,
        "materials": list(guide.materials),
        "steps": list(guide.steps),
        "time_limit_working_days": guide.time_limit_days,
        "time_limit": guide.time_limit_text,
        "fee": guide.fee,
        "place": guide.place,
        "hours": guide.hours,
        "legal_basis": guide.legal_basis,
        "online": guide.get_online_display(),
    }


def document_with_guides(doc: dict[str, Any]) -> dict[str, Any]:
    """The list's export document with each service's ``guide`` added (a new dict)."""
    by_number = {g.number: g for g in ServiceGuide.objects.all()}
    services = [{**s, "guide": guide_document(by_number.get(s["number"]))} for s in doc["services"]]
    return {**doc, "services": services}


GUIDE_SHEET = "办事指南"
GUIDE_COLUMNS = [
    ("序号", 6),
    ("服务事项", 24),
    ("服务对象", 30),
    ("申请材料", 36),
    ("办理流程", 50),
    ("办理时限", 30),
    ("收费标准", 10),
    ("办理地点", 30),
    ("办理时间", 30),
    ("联系电话", 12),
    ("设定依据", 40),
    ("网上办理", 16),
]


def guides_sheet(doc: dict[str, Any]) -> tuple[str, list[tuple[str, int]], list[list]]:
    """The 办事指南 sheet of the list's workbook: (title, [(column, width)], one row a service)."""
    rows = []
    for s in doc["services"]:
        g = s.get("guide") or {}
        rows.append(
            [
                s["number"],
                s["name"],
                g.get("applicants", ""),
                "\n".join(g.get("materials", [])) or "无需材料",
                "\n".join(f"{i}. {step}" for i, step in enumerate(g.get("steps", []), start=1)),
                g.get("time_limit", ""),
                g.get("fee", ""),
                g.get("place", ""),
                g.get("hours", ""),
                s["phone"],
                g.get("legal_basis", ""),
                g.get("online", ""),
            ]
        )
    return GUIDE_SHEET, GUIDE_COLUMNS, rows


# --- applications ----------------------------------------------------------------------


def applications_for(user: Any) -> QuerySet[Application]:
    """The applications ``user`` may see: all for the head and auditors, else its section's."""
    qs = Application.objects.select_related("section", "handler")
    if not user.has_perm("publicservices.view_application"):
        return qs.none()
    if user.is_superuser or user.role in ("head", "auditor"):
        return qs
    if user.role == "partner":  # a county agency: its own review requests only
        return qs.filter(agency_id=user.department_id) if user.department_id else qs.none()
    if user.section_id is None:
        return qs.none()
    return qs.filter(section_id=user.section_id)


def follow_ups_for(user: Any) -> QuerySet[FollowUpTask]:
    """The bad-rating follow-ups ``user`` may see, by the same rule as the applications."""
    qs = FollowUpTask.objects.select_related("rating__application", "section")
    if not user.has_perm("publicservices.view_followuptask"):
        return qs.none()
    if user.is_superuser or user.role in ("head", "auditor"):
        return qs
    return qs.filter(section_id=user.section_id) if user.section_id else qs.none()


def receipt_digest(code: str) -> str:
    """Keyed hash of a normalised lookup code (the code itself is never stored)."""
    return crypto.blind_index(f"service-receipt:{code}")


def application_by_receipt(reference: str, code: str) -> Application | None:
    """The application with this receipt number *and* lookup code, else None.

    Both must match; a malformed code and a wrong one get the same None.
    """
    normal = receipt_code_normalize(code)
    if normal is None:
        return None
    return (
        Application.objects.select_related("section")
        .filter(reference=(reference or "").strip().upper(), receipt_hash=receipt_digest(normal))
        .first()
    )


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """``YYYY-MM`` → (first day, last day); ValueError with a Chinese message if malformed."""
    try:
        first = dt.datetime.strptime(period, "%Y-%m").date()
    except (TypeError, ValueError):
        raise ValueError(f"期间“{period}”格式不对，应为 YYYY-MM，如 2026-11") from None
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def services_status(period: str, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per service of the list, the applications received in ``period`` (``YYYY-MM``).

    Services 10-12 count their certificates (``certificates`` app) applied for in the period.

    ``[{"number": int, "name": str, "applications": int, "completed": int, "overdue": int,
    "rating": float | None}]``: completed counts those finished (办结) so far; overdue those
    finished after their due day or still open past it on ``today``; rating is the mean level
    (1-5, 5 = 非常满意) of their ratings, rounded to two places, None when none was rated.
    """
    first, last = period_bounds(period)
    today = today or timezone.localdate()
    rows = (
        Application.objects.filter(received_on__range=(first, last))
        .values("service_number")
        .annotate(
            applications=Count("id"),
            completed=Count("id", filter=Q(status=Application.Status.COMPLETED)),
            overdue=Count(
                "id",
                filter=Q(due_on__isnull=False)
                & (
                    Q(finished_on__isnull=False, finished_on__gt=F("due_on"))
                    | Q(finished_on__isnull=True, due_on__lt=today)
                ),
            ),
            rating=Avg("rating__level"),
        )
    )
    by_number = {r["service_number"]: r for r in rows}
    by_number.update(_certificate_status(first, last, today))
    out = []
    for g in guides():
        r = by_number.get(g.number, {})
        rating = r.get("rating")
        out.append(
            {
                "number": g.number,
                "name": g.service.name,
                "applications": r.get("applications", 0),
                "completed": r.get("completed", 0),
                "overdue": r.get("overdue", 0),
                "rating": round(float(rating), 2) if rating is not None else None,
            }
        )
    return out


def _certificate_status(first: dt.date, last: dt.date, today: dt.date) -> dict[int, dict]:
    """Services 10-12 keep their own flow: their certificates applied for in the period.

    Completed = issued; overdue = issued after, or still unissued past, the guide's time limit
    in working days after the application; not rated here (ratings stay with applications).
    """
    from zeren.core import workdays
    from zeren.publicservices.rules import due_on, is_overdue

    limits = dict(ServiceGuide.objects.values_list("number", "time_limit_days"))
    out: dict[int, dict] = {}
    certificates = Certificate.objects.filter(applied_on__range=(first, last)).values_list(
        "type__service_number", "applied_on", "issued_on"
    )
    for number, applied_on, issued_on in certificates:
        row = out.setdefault(
            number, {"applications": 0, "completed": 0, "overdue": 0, "rating": None}
        )
        row["applications"] += 1
        row["completed"] += issued_on is not None
        due = due_on(applied_on, limits.get(number), workdays.add_working_days)
        row["overdue"] += is_overdue(due, issued_on, today)
    return out


def rating_statistics() -> dict[str, list[dict[str, Any]]]:
    """Rating counts per level, per service and per section (``{"services": [...], ...}``).

    Each row: ``{"key": number or section name, "name": str, "count": int, "average": float,
    "bad": int, "levels": {level label: count}}``.
    """
    ratings = Rating.objects.select_related("application__section")

    def summarise(groups: dict[Any, list[Rating]], names: dict[Any, str]) -> list[dict]:
        rows = []
        for key in sorted(groups):
            levels = [r.level for r in groups[key]]
            rows.append(
                {
                    "key": key,
                    "name": names[key],
                    "count": len(levels),
                    "average": round(sum(levels) / len(levels), 2),
                    "bad": sum(1 for v in levels if v <= 2),
                    "levels": {
                        label: levels.count(level) for level, label in RATING_LEVELS.items()
                    },
                }
            )
        return rows

    by_service: dict[int, list[Rating]] = {}
    by_section: dict[str, list[Rating]] = {}
    service_names: dict[int, str] = {}
    for r in ratings:
        a = r.application
        by_service.setdefault(a.service_number, []).append(r)
        service_names[a.service_number] = a.service_name
        by_section.setdefault(a.section.name, []).append(r)
    return {
        "services": summarise(by_service, service_names),
        "sections": summarise(by_section, {k: k for k in by_section}),
    }


def expiry_alerts(today: dt.date | None = None) -> list[dict[str, Any]]:
    """Batches still in stock that have expired or expire within ``rules.NEAR_EXPIRY_DAYS``.

    ``[{"batch": StockBatch, "state": "expired" | "near", "days_left": int}]``, soonest first.
    """
    from zeren.publicservices.models import StockBatch
    from zeren.publicservices.rules import NEAR_EXPIRY_DAYS, expiry_state

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=NEAR_EXPIRY_DAYS)
    batches = StockBatch.objects.filter(quantity__gt=0, expires_on__lte=horizon).select_related(
        "item", "holder"
    )
    return [
        {
            "batch": b,
            "state": expiry_state(b.expires_on, today),
            "days_left": (b.expires_on - today).days,
        }
        for b in batches.order_by("expires_on", "id")
    ]
