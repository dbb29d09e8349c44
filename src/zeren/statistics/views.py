"""Staff pages: the warning dashboard (with birth import) and the township assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zeren.core import charts
from zeren.core.models import SecurityEvent
from zeren.core.scope import townships_for
from zeren.core.security import log_event
from zeren.org.models import Division
from zeren.statistics import exports, rules, selectors
from zeren.statistics.imports import ImportFailed, birth_import
from zeren.statistics.models import Alert, AssessmentItem
from zeren.statistics.services import manual_score_set

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export(request: HttpRequest, what: str, detail: dict, fmt: str, rows: int) -> None:
    """The export in the security log with its row count (issue 10, point 3)."""
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        detail={"what": what, **detail, "format": fmt, "rows": rows},
    )


@login_required
@permission_required("statistics.view_birth", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period") or str(timezone.localdate().year)
    try:
        rows = selectors.indicator_rows(period, user=request.user)
    except rules.InvalidPeriod as exc:
        messages.error(request, str(exc))
        return redirect("statistics-dashboard")
    fmt = request.GET.get("format")
    if fmt in ("json", "xlsx"):
        _export(request, "出生统计与预警", {"period": period}, fmt, len(rows))
        if fmt == "json":
            return JsonResponse(
                [r.as_json() for r in rows], safe=False, json_dumps_params={"ensure_ascii": False}
            )
        response = HttpResponse(exports.indicators_xlsx(period, rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="births-{period}.xlsx"'
        return response
    alerts = Alert.objects.restrict(request.user, "view").select_related("division")[:20]
    srb = selectors.threshold_in_force("srb", rules.parse_period(period).end)
    return render(
        request,
        "statistics/dashboard.html",
        {
            "period": period,
            "rows": rows,
            "alerts": alerts,
            "labels": rules.LEVEL_LABELS,
            "srb": srb,
            "srb_chart": _srb_chart(rows, srb),
            "high": selectors.threshold_in_force("high_order", rules.parse_period(period).end),
            "can_import": request.user.has_perm("statistics.import_birth"),
        },
    )


def _srb_chart(rows, srb) -> dict:
    """The sex ratio at birth by division, with the normal and warning bands behind it."""
    levels = {"green": "正常", "amber": "预警", "red": "警报"}
    return charts.bar(
        "srb-chart",
        "出生人口性别比（女孩=100）",
        [r.division.name for r in rows],
        [r.srb for r in rows],
        levels=[r.srb_level if r.reliable else "grey" for r in rows],
        band=(srb.green_low, srb.green_high, "正常范围") if srb else None,
        warn=(srb.amber_low, srb.amber_high, "预警范围") if srb else None,
        minimum=80,
        headers=["区划", "性别比", "评级"],
        table=[
            [
                r.division.name,
                r.srb if r.srb is not None else "—",
                levels.get(r.srb_level or "", "不评级" if not r.reliable else "—"),
            ]
            for r in rows
        ],
    )


@login_required
@require_POST
@permission_required("statistics.import_birth", raise_exception=True)
def birth_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    # Oversized bodies never get here (core.middleware.RequestSizeMiddleware).
    if upload is None:
        messages.error(request, "请选择要导入的Excel文件")
        return redirect("statistics-dashboard")
    try:
        result = birth_import(actor=request.user, content=upload.read())
    except ImportFailed as exc:
        shown = exc.errors[:50]
        more = f"（另有{len(exc.errors) - 50}处）" if len(exc.errors) > 50 else ""
        messages.error(
            request,
            f"未导入任何数据，共{len(exc.errors)}处错误{more}：" + "；".join(map(str, shown)),
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "无权导入")
    else:
        messages.success(request, f"已导入出生登记 {result.rows} 条")
    return redirect("statistics-dashboard")


@login_required
@permission_required("statistics.view_manualscore", raise_exception=True)
def assessment(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    cards = selectors.scorecards(year, user=request.user)
    fmt = request.GET.get("format")
    if fmt in ("json", "xlsx"):
        _export(request, "目标管理考核", {"year": year}, fmt, len(cards))
        if fmt == "json":
            return JsonResponse(
                [c.as_json() for c in cards], safe=False, json_dumps_params={"ensure_ascii": False}
            )
        response = HttpResponse(exports.scorecards_xlsx(year, cards), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="assessment-{year}.xlsx"'
        return response
    scheme = selectors.scheme_for(year)
    can_score = request.user.has_perm("statistics.add_manualscore") and (
        request.user.is_superuser or request.user.township_id is None
    )
    manual_items = (
        list(scheme.items.filter(kind=AssessmentItem.Kind.MANUAL)) if scheme and can_score else []
    )
    return render(
        request,
        "statistics/assessment.html",
        {
            "year": year,
            "scheme": scheme,
            "cards": cards,
            "items": cards[0].items if cards else [],
            "manual_items": manual_items,
            "townships": list(townships_for(request.user)) if manual_items else [],
        },
    )


@login_required
@require_POST
@permission_required("statistics.add_manualscore", raise_exception=True)
def manual_score(request: HttpRequest) -> HttpResponse:
    item = get_object_or_404(AssessmentItem, pk=request.POST.get("item") or 0)
    township = get_object_or_404(
        Division, pk=request.POST.get("township") or 0, level=Division.Level.TOWNSHIP
    )
    try:
        manual_score_set(
            actor=request.user,
            item=item,
            township=township,
            points=request.POST.get("points", ""),
            reason=request.POST.get("reason", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        messages.success(request, f"已录入{township.name}“{item.name}”得分")
    return redirect(f"{reverse('statistics-assessment')}?year={item.scheme.year}")
