"""Writes: alerts from the daily job, manual assessment scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from zeren.core import transitions
from zeren.core.audit import log_bulk
from zeren.core.models import Notification
from zeren.core.notifications import notify_many
from zeren.core.permissions import acting, check_division, require
from zeren.core.permissions import is_user as _is_user
from zeren.org.models import Division
from zeren.statistics import rules, selectors
from zeren.statistics.models import Alert, AssessmentItem, Indicator, ManualScore


def alerts_record(*, today: dt.date) -> int:
    """Record a warning for every graded amber/red indicator of the periods containing yesterday.

    One unique constraint per indicator × division × period makes a rerun, or a second worker
    running at the same time, add nothing (``ignore_conflicts``). Returns the rows new to the
    table as far as this run can tell.
    """
    day = today - dt.timedelta(days=1)
    candidates: list[Alert] = []
    for period in rules.periods_containing(day):
        for row in selectors.indicator_rows(period):
            graded = [
                (Indicator.SRB, row.srb_level, row.srb),
                (Indicator.HIGH_ORDER, row.high_order_level, row.high_order_share),
            ]
            for indicator, level, value in graded:
                if level in (rules.AMBER, rules.RED):
                    candidates.append(
                        Alert(
                            indicator=indicator,
                            division=row.division,
                            period=period,
                            level=level,
                            value=value,
                            births=row.births,
                        )
                    )
    if not candidates:
        return 0
    keys = {(a.indicator, a.division_id, a.period) for a in candidates}
    with transaction.atomic():
        # One worker at a time, so the count logged is what this run added (issue 17, 6).
        transitions.exclusive("statistics.alerts_raise")
        existing = set(
            Alert.objects.filter(period__in={k[2] for k in keys}).values_list(
                "indicator", "division_id", "period"
            )
        )
        new = [a for a in candidates if (a.indicator, a.division_id, a.period) not in existing]
        if not new:
            return 0
        Alert.objects.bulk_create(new, ignore_conflicts=True)
        notify_many([_alert_notification(a) for a in new])
        log_bulk(
            Alert,
            f"统计预警 {len(new)} 条",
            {"periods": rules.periods_containing(day), "count": len(new)},
        )
    return len(new)


def _alert_notification(alert: Alert) -> Notification:
    """The inbox message of a new early warning, sent to the division's staff."""
    value = f"{alert.value}" if alert.indicator == Indicator.SRB else f"{alert.value}%"
    return Notification(
        kind=Notification.Kind.ALERT,
        division=alert.division,
        title=(
            f"{alert.get_level_display()}：{alert.division.name} {alert.period} "
            f"{alert.get_indicator_display()} {value}"
        ),
        body=f"出生{alert.births}人。",
        link=reverse("statistics-dashboard"),
        dedupe_key=f"alert:{alert.indicator}:{alert.division.code}:{alert.period}",
    )


def manual_score_set(
    *,
    actor: Any,
    item: AssessmentItem,
    township: Division,
    points: Decimal | str,
    reason: str,
    today: dt.date | None = None,
) -> ManualScore:
    """County staff score a manual assessment item for a township, saying why."""
    require(actor, "statistics.add_manualscore", "无权录入考核评分")
    if _is_user(actor) and not actor.is_superuser and actor.township_id is not None:
        raise PermissionDenied("考核评分由县局工作人员录入")
    if item.kind != AssessmentItem.Kind.MANUAL:
        raise ValidationError(f"“{item.name}”由系统根据业务数据自动计分，不能人工评分")
    if township.level != Division.Level.TOWNSHIP:
        raise ValidationError("只能给乡镇评分")
    check_division(actor, township)
    try:
        value = Decimal(str(points))
    except InvalidOperation as exc:
        raise ValidationError("得分应为数字") from exc
    if not value.is_finite() or value != rules.points(value):
        raise ValidationError("得分最多两位小数")
    if not Decimal(0) <= value <= item.max_points:
        raise ValidationError(f"“{item.name}”得分应在0～{item.max_points}之间")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写评分理由")
    with transaction.atomic(), acting(actor):
        score, _ = ManualScore.objects.select_for_update().update_or_create(
            item=item,
            township=township,
            defaults={
                "points": value,
                "reason": reason[:300],
                **({"scored_on": today} if today else {}),
            },
        )
    return score
