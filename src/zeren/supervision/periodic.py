"""The periodic work behind the jobs, as plain functions (the huey tasks only call these).

Each is safe with several workers: plans are unique per regime, period, scope and round, and
every notice has a unique ``dedupe_key``, so a second worker doing the same work finds it
done and skips it.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from zeren.core.audit import acting_as, log_bulk
from zeren.core.models import Notification
from zeren.core.notifications import Kind, notify
from zeren.org.models import Division
from zeren.permits.models import Permit, PermitKind
from zeren.supervision import rules, selectors
from zeren.supervision.models import InspectionTask, Result, SamplingPlan
from zeren.supervision.models import SupervisionRegime as Regime
from zeren.supervision.services import sampling_plan_commit, sampling_plan_draw

JOB_ACTOR = "定时任务"


def draw_due_plans(on: dt.date) -> dict[str, int]:
    """Draw this month's plans of every monthly regime marked for automatic drawing."""
    period = rules.period_of(on)
    county = selectors.county()
    townships = list(Division.objects.filter(level=Division.Level.TOWNSHIP).order_by("code"))
    counts = {"drawn": 0, "skipped": 0, "failed": 0}
    for regime in selectors.regimes_in_force(on):
        if not (
            regime.auto_draw and regime.draws_permits and regime.frequency == Regime.Frequency.MONTH
        ):
            continue
        scopes = townships if regime.performed_by == Regime.Level.TOWNSHIP else [county]
        for division in scopes:
            try:
                plan = sampling_plan_commit(
                    actor=JOB_ACTOR, regime=regime, period=period, division=division
                )
                if plan.status == SamplingPlan.Status.DRAWN:
                    counts["skipped"] += 1
                    continue
                sampling_plan_draw(actor=JOB_ACTOR, plan=plan)
                counts["drawn"] += 1
            except ValidationError as exc:
                if "不能重抽" in " ".join(exc.messages):
                    counts["skipped"] += 1
                    continue
                counts["failed"] += 1
                notify(
                    kind=Kind.ALERT,
                    link=reverse("plan-list"),
                    division=county or division,
                    title=f"自动抽取失败：{regime.name} {division.name} {period}",
                    body="；".join(exc.messages),
                    dedupe_key=f"draw_failed:{regime.code}:{division.code}:{period}",
                )
    return counts


def send_reminders(on: dt.date, days: int = 3) -> int:
    """One notice per township whose open tasks fall due within ``days`` days."""
    due = InspectionTask.objects.filter(
        result=Result.PENDING,
        reminded_at__isnull=True,
        due_date__gte=on,
        due_date__lte=on + dt.timedelta(days=days),
    )
    by_township = dict(
        due.values("township_id")
        .order_by("township_id")
        .annotate(n=Count("id"))
        .values_list("township_id", "n")
    )
    sent = 0
    for township in Division.objects.filter(pk__in=by_township):
        notice = notify(
            kind=Kind.REMINDER,
            link=reverse("task-list"),
            division=township,
            title=f"{township.name}：{by_township[township.pk]}项检查任务将于{days}日内到期",
            body="请在期限前完成检查并登记结果。",
            dedupe_key=f"reminder:{township.code}:{on.isoformat()}",
        )
        sent += notice is not None
    with transaction.atomic(), acting_as(JOB_ACTOR):
        # Conditional (reminded_at still empty): a second worker stamps, and logs, nothing.
        stamped = due.update(reminded_at=timezone.now())
        if stamped:
            log_bulk(
                InspectionTask,
                f"到期提醒：标记检查任务 {stamped} 项",
                {"on": on.isoformat(), "count": stamped, "notices": sent},
            )
    return sent


def raise_alerts(on: dt.date) -> int:
    """Warn each scope that is below target with only a few days of the period left."""
    period = rules.period_of(on)
    raised = 0
    for row in selectors.status_rows(period, today=on):
        if not row.alert:
            continue
        notice = notify(
            kind=Kind.ALERT,
            link=reverse("supervision-dashboard"),
            division=row.division,
            title=f"未达标预警：{row.regime.name} {row.division.name}",
            body=(
                f"{period} 应检查{row.required}件，已完成{row.done}件，"
                f"距期末还有{row.days_left}天。"
            ),
            dedupe_key=f"alert:{row.regime.code}:{row.division.code}:{period}",
        )
        raised += notice is not None
    return raised


def bulletin_xlsx(township: Division, period: str, permits: list[Permit]) -> bytes:
    """The monthly re-birth bulletin for one township (identity numbers masked)."""
    from zeren.core import exports

    buffer = io.BytesIO()
    book = exports.workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("再生育审批通报")
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, f"{township.name} {period} 再生育审批情况通报", bold)
    header = ["证号", "持证人", "身份证号", "村", "批准日期", "有效期止", "状态"]
    for c, name in enumerate(header):
        sheet.write(2, c, name, bold)
        sheet.set_column(c, c, 16)
    for r, p in enumerate(permits, start=3):
        values = [
            p.number,
            p.holder.name,
            p.holder.id_number_masked,
            p.village.name if p.village else "",
            f"{p.approval_date:%Y-%m-%d}",
            f"{p.valid_to:%Y-%m-%d}",
            p.status_label,
        ]
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    sheet.write(len(permits) + 4, 0, f"合计 {len(permits)} 件")
    book.close()
    return buffer.getvalue()


def publish_rebirth_bulletins(on: dt.date) -> int:
    """Bulletin of last month's re-birth approvals to every township (清单 四（二）四（二））."""
    period = rules.previous_period(on)
    start, end = rules.parse_period(period)
    townships = list(Division.objects.filter(level=Division.Level.TOWNSHIP).order_by("code"))
    todo = [
        t
        for t in townships
        if not Notification.objects.filter(dedupe_key=f"bulletin:{t.code}:{period}").exists()
    ]
    if not todo:
        return 0
    grouped: dict[int, list[Permit]] = {t.pk: [] for t in todo}
    for permit in (
        Permit.objects.filter(
            kind=PermitKind.REBIRTH,
            approval_date__gte=start,
            approval_date__lte=end,
            township__in=todo,
        )
        .select_related("holder", "village")
        .order_by("approval_date", "number")
    ):
        grouped[permit.township_id].append(permit)
    sent = 0
    for township in todo:
        permits = grouped[township.pk]
        notice = notify(
            kind=Kind.BULLETIN,
            division=township,
            title=f"{period} 再生育审批情况通报（{township.name}，{len(permits)}件）",
            body=(
                f"{period} 县局共批准{township.name}再生育证{len(permits)}件，详见附件。"
                "请按月随访并将结果报县局。"
                if permits
                else f"{period} 县局未批准{township.name}的再生育证。"
            ),
            document=bulletin_xlsx(township, period, permits),
            document_name=f"再生育审批通报-{township.name}-{period}.xlsx",
            dedupe_key=f"bulletin:{township.code}:{period}",
        )
        sent += notice is not None
    return sent
