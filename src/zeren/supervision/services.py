"""Writes for supervision: commit and draw plans, assign and record inspections, dispose of
findings, declare conflicts, receive reports.

Every function is atomic, takes an ``actor`` and refuses with a ValidationError that says why.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from zeren.core import crypto, sequences, transitions
from zeren.core.audit import acting_as, log_bulk
from zeren.core.facts import check_fact_date
from zeren.core.models import SecurityEvent
from zeren.core.notifications import Kind, notify
from zeren.core.permissions import actor_name, require
from zeren.core.permissions import is_user as _is_user
from zeren.core.security import log_event
from zeren.org.models import Division, Officer
from zeren.people.models import Person
from zeren.permits import services as permit_services
from zeren.permits.models import Permit
from zeren.supervision import rules, selectors
from zeren.supervision.models import (
    ConflictDeclaration,
    Disposition,
    InspectionTask,
    Report,
    Result,
    SamplingPlan,
    SupervisionRegime,
    TaskOfficer,
)

MIN_OFFICERS = 2  # 行政处罚法 Art. 42; list 四（二）四（一）：两名以上
REPORT_TASK_DAYS = int(getattr(settings, "ZEREN_REPORT_TASK_DAYS", 15))


# --- the list's regimes -------------------------------------------------------------------
def regimes_link_list(*, version: Any = None) -> int:
    """Link every ``SupervisionRegime`` to its ``catalogue.Regime`` in the newest published
    list (``version``: only that just-published ``ListVersion``); returns the links changed.

    Called when a list version is published (``supervision.apps``) and by the data migration
    that added the link; the matching rule is ``seed.link_list_regimes``.
    """
    from zeren.catalogue.models import Regime
    from zeren.supervision.seed import link_list_regimes

    with transaction.atomic():
        return link_list_regimes(SupervisionRegime, Regime, version)


# --- sampling plans ---------------------------------------------------------------------


def sampling_plan_commit(
    *,
    actor: Any,
    regime: SupervisionRegime,
    period: str,
    division: Division | None = None,
    round: int = 1,
    seed: str | None = None,
    seed_source: str = "",
    inspection_date: dt.date | None = None,
) -> SamplingPlan:
    """Step 1 of a draw: fix the scope and commit to a seed by recording its SHA-256.

    The commitment is written (and logged) in its own transaction before the population is
    frozen, so the seed cannot be chosen after seeing who would be drawn. A plan exists once
    per regime, period, scope and round: there is no redraw.
    """
    try:
        start, end = rules.parse_period(period)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if not regime.draws_permits:
        raise ValidationError(f"“{regime.name}”的检查对象由扶助金模块提供，本模块不能抽取")
    if division is None:
        if regime.performed_by == SupervisionRegime.Level.TOWNSHIP:
            raise ValidationError(f"“{regime.name}”由乡镇实施，请指定乡镇")
        division = selectors.county()
        if division is None:
            raise ValidationError("尚未建立县级区划")
    elif division.level not in (Division.Level.TOWNSHIP, Division.Level.COUNTY):
        raise ValidationError("抽查范围应为全县或一个乡镇")
    require(actor, "supervision.draw_samplingplan", "无权抽取抽查计划", division=division)
    if round < 1 or round > regime.rounds_per_year:
        raise ValidationError(f"轮次应在1到{regime.rounds_per_year}之间")
    existing = SamplingPlan.objects.filter(
        regime__code=regime.code, period=period, division=division, round=round
    ).first()
    if existing is not None:
        return existing
    external = seed is not None
    seed = seed if external else secrets.token_hex(32)
    if not seed.strip():
        raise ValidationError("种子不能为空")
    with transaction.atomic(), acting_as(actor):
        try:
            with transaction.atomic():
                return SamplingPlan.objects.create(
                    regime=regime,
                    period=period,
                    period_start=start,
                    period_end=end,
                    round=round,
                    division=division,
                    seed=seed,
                    seed_hash=rules.seed_hash(seed),
                    seed_source=seed_source or ("外部提供" if external else "系统随机"),
                    algorithm=rules.ALGORITHM,
                    inspection_date=inspection_date or end,
                    due_date=end,
                    coverage_ratio=regime.coverage_ratio,
                    minimum_count=regime.minimum_count,
                    officers_per_task=regime.officers_per_task,
                )
        except IntegrityError:
            # Another worker committed the same plan a moment ago: use theirs.
            return SamplingPlan.objects.get(
                regime=regime, period=period, division=division, round=round
            )


class DrawRefused(ValidationError):
    """The draw cannot go ahead (e.g. not enough eligible officers); nothing was written."""


def _officer_draw(
    plan: SamplingPlan, sample: list[int]
) -> tuple[list[int], dict[str, list[int]], dict[str, list[int]], dict[int, int]]:
    """Pick officers for each sampled licence; refuse if any would have fewer than required."""
    need = plan.officers_per_task
    certified = selectors.certified_officers(plan.inspection_date)
    pool = sorted(certified)
    if len(pool) < need:
        raise DrawRefused(
            f"可抽派的执法人员不足：每项检查需要{need}名在{plan.inspection_date:%Y-%m-%d}"
            f"持有效执法证的执法人员，目前只有{len(pool)}名"
        )
    conflicted = selectors.conflicts(pool, sample)
    exclusions: dict[str, list[int]] = {}
    for officer_id, permit_id in conflicted:
        exclusions.setdefault(str(permit_id), []).append(officer_id)
    for ids in exclusions.values():
        ids.sort()
    assignments: dict[str, list[int]] = {}
    for subject in sample:
        picked = rules.pick_officers(
            plan.seed, subject, pool, exclusions.get(str(subject), []), need
        )
        if len(picked) < need:
            number = Permit.objects.filter(pk=subject).values_list("number", flat=True).first()
            raise DrawRefused(
                f"许可{number}：排除有回避情形的执法人员后，可抽派的执法人员只有{len(picked)}名，"
                f"不足{need}名"
            )
        assignments[str(subject)] = picked
    return pool, exclusions, assignments, certified


def sampling_plan_draw(*, actor: Any, plan: SamplingPlan) -> SamplingPlan:
    """Step 2: freeze the population, draw the sample (and officers), create the tasks."""
    require(actor, "supervision.draw_samplingplan", "无权抽取抽查计划", division=plan.division)
    with transaction.atomic(), acting_as(actor):
        plan = SamplingPlan.objects.select_for_update().select_related("regime").get(pk=plan.pk)
        if plan.status == SamplingPlan.Status.DRAWN:
            raise ValidationError(
                f"该抽查计划已于{timezone.localtime(plan.drawn_at):%Y-%m-%d %H:%M}抽取，不能重抽"
            )
        regime = plan.regime
        ids = list(
            selectors.population(regime, plan.period_end, plan.division)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        k = rules.sample_size(len(ids), plan.coverage_ratio, plan.minimum_count)
        sample = rules.draw(plan.seed, ids, k)
        pool: list[int] = []
        exclusions: dict[str, list[int]] = {}
        assignments: dict[str, list[int]] = {}
        certified: dict[int, int] = {}
        if plan.officers_per_task and sample:
            pool, exclusions, assignments, certified = _officer_draw(plan, sample)
        townships = dict(Permit.objects.filter(pk__in=sample).values_list("pk", "township_id"))
        checklist = [{"item": item, "ok": None} for item in regime.check_items]
        tasks = InspectionTask.objects.bulk_create(
            [
                InspectionTask(
                    plan=plan,
                    regime=regime,
                    permit_id=subject,
                    township_id=townships[subject],
                    checklist=checklist,
                    inspection_date=plan.inspection_date,
                    due_date=plan.due_date,
                )
                for subject in sample
            ],
            batch_size=2000,
        )
        if assignments:
            TaskOfficer.objects.bulk_create(
                [
                    TaskOfficer(task=task, officer_id=o, certificate_id=certified[o])
                    for task in tasks
                    for o in assignments[str(task.permit_id)]
                ],
                batch_size=2000,
            )
        plan.population = ids
        plan.population_count = len(ids)
        plan.population_digest = rules.population_digest(ids)
        plan.required_count = k
        plan.sample = sample
        plan.officer_pool = pool
        plan.officer_exclusions = exclusions
        plan.assignments = assignments
        plan.status = SamplingPlan.Status.DRAWN
        plan.drawn_at = timezone.now()
        plan.drawn_by = actor_name(actor)
        plan.save()
        log_bulk(
            InspectionTask,
            f"{plan}：抽取 {k}/{len(ids)} 件，生成检查任务",
            {"plan": plan.pk, "population": len(ids), "sample": k, "seed_hash": plan.seed_hash},
        )
    return plan


@dataclass
class Verification:
    plan: SamplingPlan
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def sampling_plan_verify(*, plan: SamplingPlan) -> Verification:
    """Re-run a recorded draw from its seed and population and compare with what is stored."""
    plan = SamplingPlan.objects.get(pk=plan.pk)
    result = Verification(plan)
    p = result.problems
    if plan.status != SamplingPlan.Status.DRAWN:
        p.append("该计划尚未抽取")
        return result
    if rules.seed_hash(plan.seed) != plan.seed_hash:
        p.append("种子与事先承诺的哈希不符")
    if plan.algorithm != rules.ALGORITHM:
        p.append(f"未知的抽取算法“{plan.algorithm}”")
        return result
    population = [int(i) for i in plan.population]
    if population != sorted(set(population)):
        p.append("冻结的对象名单不是升序且不重复的编号")
    if len(population) != plan.population_count:
        p.append(f"对象数记录为{plan.population_count}，名单中有{len(population)}个")
    if rules.population_digest(population) != plan.population_digest:
        p.append("冻结的对象名单与抽取时的摘要不符（名单被改动）")
    k = rules.sample_size(len(population), plan.coverage_ratio, plan.minimum_count)
    if k != plan.required_count:
        p.append(f"应抽查数应为{k}，记录为{plan.required_count}")
    expected = rules.draw(plan.seed, population, k)
    if [int(i) for i in plan.sample] != expected:
        p.append("记录的抽中对象与按种子重算的结果不符")
    task_subjects = sorted(plan.tasks.values_list("permit_id", flat=True))
    if task_subjects != sorted(expected):
        p.append("检查任务所涉许可与按种子重算的抽中对象不符")
    if plan.officers_per_task and expected:
        crews: dict[int, list[int]] = {}
        for permit_id, officer_id in TaskOfficer.objects.filter(task__plan=plan).values_list(
            "task__permit_id", "officer_id"
        ):
            crews.setdefault(permit_id, []).append(officer_id)
        reassigned = dict(
            plan.tasks.exclude(reassigned_reason="").values_list("permit_id", "reassigned_reason")
        )
        for subject in expected:
            picked = rules.pick_officers(
                plan.seed,
                subject,
                plan.officer_pool,
                plan.officer_exclusions.get(str(subject), []),
                plan.officers_per_task,
            )
            if plan.assignments.get(str(subject)) != picked:
                p.append(f"许可#{subject}：记录的抽派人员与按种子重算的结果不符")
            elif sorted(crews.get(subject, [])) != picked:
                if subject in reassigned:
                    result.notes.append(f"许可#{subject}：已改派（{reassigned[subject]}）")
                else:
                    p.append(f"许可#{subject}：任务上的检查人员与抽派结果不符")
    return result


# --- inspection tasks -------------------------------------------------------------------


def check_crew(*, task: InspectionTask, officers: list[Officer], on: dt.date) -> dict[int, int]:
    """Refuse a crew that is too small, uncertified on ``on``, or conflicted with the subject.

    Returns officer id → the certificate valid on that day.
    """
    need = max(MIN_OFFICERS, task.regime.officers_per_task)
    ids = sorted({o.pk for o in officers})
    if len(ids) < need:
        raise ValidationError(
            f"检查人员不得少于{need}名（行政处罚法第四十二条；清单 四（二）四（一））"
        )
    certified = selectors.certified_officers(on)
    names = {o.pk: str(o) for o in officers}
    lapsed = [names[i] for i in ids if i not in certified]
    if lapsed:
        raise ValidationError(f"{'、'.join(lapsed)}在{on:%Y-%m-%d}没有有效的行政执法证")
    conflicted = selectors.conflicts(ids, [task.permit_id])
    if conflicted:
        (officer_id, _), reason = next(iter(sorted(conflicted.items())))
        raise ValidationError(f"{names[officer_id]}{reason}，应当回避")
    return {i: certified[i] for i in ids}


def inspection_task_assign(
    *,
    actor: Any,
    task: InspectionTask,
    officers: list[Officer],
    reason: str = "",
    inspection_date: dt.date | None = None,
) -> InspectionTask:
    """Put officers on a task (ad-hoc tasks, or a change of a drawn crew with its reason)."""
    require(actor, "supervision.assign_inspectiontask", "无权抽派检查人员", division=task.township)
    if task.result != Result.PENDING:
        raise ValidationError("任务已完成，不能改派")
    drawn = task.plan_id is not None and task.crew.exists()
    if drawn and not reason.strip():
        raise ValidationError("改派随机抽派的检查人员须填写事由")
    on = inspection_date or task.inspection_date
    certificates = check_crew(task=task, officers=officers, on=on)
    with transaction.atomic(), acting_as(actor):
        transitions.lock(task, field="result", expected=[Result.PENDING], doing="抽派检查人员")
        before = sorted(task.crew.values_list("officer_id", flat=True))
        removed, _ = TaskOfficer.objects.filter(task=task).delete()
        TaskOfficer.objects.bulk_create(
            TaskOfficer(task=task, officer_id=o, certificate_id=c) for o, c in certificates.items()
        )
        # The crew rows are written set-based: one bulk row says who was put on the task.
        log_bulk(
            TaskOfficer,
            f"检查任务{task.pk}抽派检查人员",
            {
                "task": task.pk,
                "removed": removed,
                "before": before,
                "officers": sorted(certificates),
                "reason": reason.strip()[:200],
            },
        )
        task.inspection_date = on
        if drawn:
            task.reassigned_reason = reason.strip()[:200]
        task.save()
    return task


def inspection_task_draw_officers(*, actor: Any, task: InspectionTask) -> InspectionTask:
    """Draw officers at random for an ad-hoc task (seeded by the system, recorded in the log)."""
    need = max(MIN_OFFICERS, task.regime.officers_per_task)
    certified = selectors.certified_officers(task.inspection_date)
    excluded = {o for (o, _) in selectors.conflicts(sorted(certified), [task.permit_id])}
    seed = secrets.token_hex(16)
    picked = rules.pick_officers(seed, task.permit_id, sorted(certified), excluded, need)
    if len(picked) < need:
        raise ValidationError(
            f"可抽派的执法人员不足：需要{need}名持有效执法证且无回避情形的执法人员，"
            f"目前只有{len(picked)}名"
        )
    return inspection_task_assign(
        actor=actor, task=task, officers=list(Officer.objects.filter(pk__in=picked))
    )


def inspection_task_record(
    *,
    actor: Any,
    task: InspectionTask,
    visit_date: dt.date,
    result: str,
    evidence: str,
    checklist: list[dict] | None = None,
) -> InspectionTask:
    """Record the visit: conforming or a finding, with evidence notes."""
    require(actor, "supervision.change_inspectiontask", "无权登记检查结果", division=task.township)
    if result not in (Result.CONFORMING, Result.FINDING):
        raise ValidationError("检查结果应为“符合规定”或“发现问题”")
    if task.result != Result.PENDING:
        raise ValidationError("该任务已登记结果")
    check_fact_date(visit_date, what="检查")
    if result == Result.FINDING and not evidence.strip():
        raise ValidationError("发现问题时须记录证据和情况")
    if task.regime.officers_per_task:
        crew = list(task.crew.select_related("officer__user"))
        if len(crew) < MIN_OFFICERS:
            raise ValidationError("须先抽派不少于2名执法人员")
        check_crew(task=task, officers=[c.officer for c in crew], on=visit_date)
    with transaction.atomic(), acting_as(actor):
        transitions.lock(task, field="result", expected=[Result.PENDING], doing="登记检查结果")
        task.visit_date = visit_date
        task.result = result
        task.evidence = evidence.strip()
        if checklist is not None:
            task.checklist = checklist
        if task.assignee_id is None and _is_user(actor):
            task.assignee = actor
        task.save()
        report = Report.objects.select_for_update().filter(task=task).first()
        if report is not None and report.status == Report.Status.RECEIVED:
            report.status = Report.Status.INVESTIGATING
            report.save()
    return task


def disposition_record(
    *,
    actor: Any,
    task: InspectionTask,
    kind: str,
    ground: str = "",
    documents: str = "",
    note: str = "",
    case_reference: str = "",
    on: dt.date | None = None,
) -> Disposition:
    """Follow a finding up: revoke/cancel through the permits service, or refer, notify, link."""
    require(actor, "supervision.add_disposition", "无权作出处理", division=task.township)
    if task.result != Result.FINDING:
        raise ValidationError("只有“发现问题”的任务才需要处理")
    if kind not in Disposition.Kind.values:
        raise ValidationError(f"未知的处理方式“{kind}”")
    if kind not in task.regime.outcomes:
        raise ValidationError(f"“{task.regime.name}”不适用“{Disposition.Kind(kind).label}”")
    if kind in (Disposition.Kind.REFER_HEALTH, Disposition.Kind.NOTIFY_DISCIPLINE) and not (
        note.strip()
    ):
        raise ValidationError("请写明移送或通报的事实")
    with transaction.atomic(), acting_as(actor):
        transitions.lock(task, field="result", expected=[Result.FINDING], doing="作出处理")
        event = None
        if kind == Disposition.Kind.REVOKE:
            permit_services.permit_revoke(
                actor=actor,
                permit=task.permit,
                ground=ground,
                on=on,
                documents=documents,
                note=note,
            )
            event = task.permit.events.order_by("-id").first()
        elif kind == Disposition.Kind.CANCEL:
            permit_services.permit_cancel(
                actor=actor,
                permit=task.permit,
                ground=ground,
                on=on,
                documents=documents,
                note=note,
            )
            event = task.permit.events.order_by("-id").first()
        return Disposition.objects.create(
            task=task,
            kind=kind,
            ground=ground,
            documents=documents.strip(),
            note=note.strip(),
            permit_event=event,
            case_reference=case_reference.strip(),
            decided_by=actor_name(actor),
        )


# --- conflicts --------------------------------------------------------------------------


def conflict_declare(
    *,
    actor: Any,
    officer: Officer,
    kind: str,
    person: Person | None = None,
    village: Division | None = None,
    note: str = "",
) -> ConflictDeclaration:
    """An officer declares a relative, an interest or a village to be kept away from."""
    if _is_user(actor) and not (
        actor.has_perm("supervision.add_conflictdeclaration") or officer.user_id == actor.pk
    ):
        raise PermissionDenied("只能申报本人的回避情形")
    if kind not in ConflictDeclaration.Kind.values:
        raise ValidationError(f"未知的回避类型“{kind}”")
    if person is None and village is None:
        raise ValidationError("请指明回避的相对人或村")
    with transaction.atomic(), acting_as(actor):
        return ConflictDeclaration.objects.create(
            officer=officer, kind=kind, person=person, village=village, note=note.strip()
        )


# --- reports and complaints -------------------------------------------------------------


# Report receipt numbers: one core.sequences counter per day (kind “JB20261201”).
REFERENCE_AUTHORITY = "supervision-report"


def _reference(today: dt.date) -> str:
    """“JB20261201000007”: the day's next report number (core.sequences; in a transaction).

    Not a secret: following a report needs its receipt code as well.
    """
    n = sequences.next_value(
        authority=REFERENCE_AUTHORITY, kind=f"JB{today:%Y%m%d}", year=today.year
    )
    if n > 999_999:
        raise ValidationError("当日受理编号已用完，请明日再登记")
    return f"JB{today:%Y%m%d}{n:06d}"


def receipt_digest(code: str) -> str:
    """Keyed hash of a normalised receipt code (the code itself is never stored)."""
    return crypto.blind_index(f"receipt:{code}")


def report_submit(
    *,
    actor: Any,
    kind: str,
    township: Division,
    content: str,
    permit_number: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    channel: str = Report.Channel.PUBLIC,
) -> Report:
    """Receive a report or complaint; one about a known licence opens an ad-hoc task at once.

    The returned report carries ``receipt_code`` (not stored; only its keyed hash is): show it
    once to the reporter, who can follow the report with it on the public status page.
    """
    if channel == Report.Channel.STAFF:
        require(actor, "supervision.add_report", "无权登记举报投诉", division=township)
    if kind not in Report.Kind.values:
        raise ValidationError({"kind": "请选择举报或投诉"})
    if township.level != Division.Level.TOWNSHIP:
        raise ValidationError({"township": "请选择乡镇"})
    content = content.strip()
    if len(content) < 5:
        raise ValidationError({"content": "请写明举报或投诉的内容（至少5个字）"})
    permit_number = permit_number.strip()
    today = timezone.localdate()
    permit = None
    if permit_number:
        permit = Permit.objects.filter(number=permit_number, township=township).first()
    code = rules.receipt_code_new()
    with transaction.atomic(), acting_as(actor if _is_user(actor) else "公众"):
        task = None
        if permit is not None:
            task = _adhoc_task(permit, today)
        report = Report.objects.create(
            reference=_reference(today),
            kind=kind,
            channel=channel,
            township=township,
            permit_number=permit_number,
            permit=permit,
            content=content,
            reporter_name=reporter_name.strip(),
            reporter_phone=reporter_phone.strip(),
            handler=actor if channel == Report.Channel.STAFF and _is_user(actor) else None,
            task=task,
            receipt_hash=receipt_digest(rules.receipt_code_normalize(code)),
        )
    report.receipt_code = code
    return report


def _adhoc_task(permit: Permit, today: dt.date) -> InspectionTask | None:
    """A county check of the licence, due in REPORT_TASK_DAYS days (清单 四（一）三（三））."""
    regime = next(
        (
            r
            for r in selectors.regimes_in_force(today)
            if r.subject_kind == permit.kind and r.performed_by == SupervisionRegime.Level.COUNTY
        ),
        None,
    )
    if regime is None:
        return None
    due = today + dt.timedelta(days=REPORT_TASK_DAYS)
    task = InspectionTask.objects.create(
        regime=regime,
        permit=permit,
        township=permit.township,
        checklist=[{"item": item, "ok": None} for item in regime.check_items],
        inspection_date=due,
        due_date=due,
    )
    notify(
        kind=Kind.REMINDER,
        division=permit.township,
        title=f"举报核查任务：{permit}",
        body=f"收到涉及{permit}的举报投诉，已生成核查任务，期限{due:%Y-%m-%d}。",
        link=reverse("task-detail", args=[task.pk]),
        due_on=due,
        dedupe_key=f"task:{task.pk}",
    )
    return task


def report_take(*, actor: Any, report: Report) -> Report:
    """A staff member takes a report on as its handler."""
    require(actor, "supervision.handle_report", "无权办理举报投诉", division=report.township)
    if report.handler_id not in (None, getattr(actor, "pk", None)):
        raise ValidationError(f"该件已由{report.handler}承办")
    if report.status == Report.Status.CLOSED:
        raise ValidationError("该件已办结")
    with transaction.atomic(), acting_as(actor):
        transitions.lock(
            report,
            field="status",
            expected=[Report.Status.RECEIVED, Report.Status.INVESTIGATING],
            doing="承办",
        )
        if report.handler_id not in (None, getattr(actor, "pk", None)):
            raise transitions.conflict(report, doing="承办", field="handler")
        report.handler = actor
        if report.status == Report.Status.RECEIVED:
            report.status = Report.Status.INVESTIGATING
        report.save()
    return report


def report_close(*, actor: Any, report: Report, outcome: str, reply: str = "") -> Report:
    """办结: the internal result, and optionally the answer the reporter can read."""
    if not _is_user(actor) or report.handler_id != actor.pk:
        raise PermissionDenied("只有承办人可以办结")
    if report.status == Report.Status.CLOSED:
        raise ValidationError("该件已办结")
    if not outcome.strip():
        raise ValidationError("请填写办理结果")
    with transaction.atomic(), acting_as(actor):
        transitions.lock(
            report,
            field="status",
            expected=[Report.Status.RECEIVED, Report.Status.INVESTIGATING],
            doing="办结",
        )
        report.status = Report.Status.CLOSED
        report.outcome = outcome.strip()
        report.reply = reply.strip()
        report.closed_at = timezone.now()
        report.save()
    return report


def reporter_identity(*, actor: Any, report: Report, request: Any = None) -> dict[str, str]:
    """The reporter's name and phone, for the handler only; every look is logged."""
    if not _is_user(actor) or report.handler_id != actor.pk:
        log_event(
            SecurityEvent.Kind.DENIED,
            request=request,
            actor=actor if _is_user(actor) else None,
            obj=report,
            detail={"action": "reporter_identity"},
        )
        raise PermissionDenied("举报人身份信息仅承办人可见")
    log_event(
        SecurityEvent.Kind.REVEAL,
        request=request,
        actor=actor,
        obj=report,
        detail={"fields": ["reporter_name", "reporter_phone"]},
    )
    return {"name": report.reporter_name, "phone": report.reporter_phone}
