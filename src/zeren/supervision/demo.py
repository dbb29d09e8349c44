"""Demo supervision: officers' conflicts, this month's plans with some tasks done, a report,
and last month's re-birth bulletins."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone

from zeren.org.models import Officer
from zeren.permits.models import Permit
from zeren.supervision import periodic
from zeren.supervision.models import ConflictDeclaration, InspectionTask, Result, SamplingPlan
from zeren.supervision.services import conflict_declare, inspection_task_record, report_submit

ACTOR = "演示数据"


def load(rng: random.Random, progress: Callable[[str], None]) -> None:
    if SamplingPlan.objects.exists():
        progress("演示监管：已存在")
        return
    officers = list(Officer.objects.select_related("user").order_by("user__username"))
    permits = list(Permit.objects.select_related("holder").order_by("pk")[:50])
    if not officers or not permits:
        progress("演示监管：缺少执法人员或许可，跳过")
        return
    for officer, permit in zip(officers[:3], rng.sample(permits, 3), strict=False):
        conflict_declare(
            actor=ACTOR,
            officer=officer,
            kind=ConflictDeclaration.Kind.RELATIVE,
            person=permit.holder,
            note="近亲属",
        )
    conflict_declare(
        actor=ACTOR,
        officer=officers[-1],
        kind=ConflictDeclaration.Kind.INTEREST,
        village=permits[0].village,
        note="在该村有经营往来",
    )
    today = timezone.localdate()
    counts = periodic.draw_due_plans(today)
    # Some follow-ups done, some with findings, to give the dashboard life.
    pending = list(
        InspectionTask.objects.filter(plan__period=f"{today:%Y-%m}", result=Result.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = [pk for pk in pending if rng.random() < 0.55]
    findings = set(rng.sample(done, min(5, len(done))))
    visit = max(today - dt.timedelta(days=1), today.replace(day=1))
    # Through the service, task by task, as an officer would: each result is logged (and so
    # seen by whatever watches the log, e.g. the duty ledger), with the crew checks applied.
    recorded = 0
    for task in InspectionTask.objects.filter(pk__in=done).order_by("pk"):
        finding = task.pk in findings
        try:
            inspection_task_record(
                actor=ACTOR,
                task=task,
                visit_date=visit,
                result=Result.FINDING if finding else Result.CONFORMING,
                evidence="已离婚且未怀孕，待依法处理" if finding else "入户随访，情况属实",
            )
        except ValidationError:  # a crew the checks refuse on that day stays pending
            continue
        recorded += 1
    target = rng.choice(permits)
    try:
        report_submit(
            actor=None,
            kind="report",
            township=target.township,
            permit_number=target.number,
            content="举报该持证人以虚假材料骗取证件",
            reporter_name="匿名群众",
        )
    except ValidationError:
        pass
    sent = periodic.publish_rebirth_bulletins(today)
    progress(
        f"演示监管：自动抽取 {counts['drawn']} 个计划（失败 {counts['failed']}），"
        f"完成 {recorded} 项检查，通报 {sent} 个乡镇"
    )
