"""Every write of the joint space: open a matter, reply on a task, share, meet, link, close."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zeren.catalogue.models import Boundary, BoundaryDivision
from zeren.core import transitions
from zeren.core.permissions import acting, is_user, require
from zeren.joint.models import InformationShare, Matter, Meeting, Reply, Task
from zeren.org.models import Department

# Days a department has for its part unless the opener sets a date (the list names none).
DEFAULT_DAYS = 15
# The longest reply or shared message (characters): a page of text; longer goes as a meeting
# minute or an attachment elsewhere, not a feed entry.
TEXT_MAX = 5000


def is_office(actor: Any) -> bool:
    """The leading group's office: the bureau's staff (and the system, and superusers)."""
    if not is_user(actor):
        return True
    if actor.is_superuser:
        return True
    department = getattr(actor, "department", None)
    return department is not None and department.kind == Department.Kind.BUREAU


def _check_member(actor: Any, matter: Matter) -> None:
    if is_office(actor):
        return
    if not matter.departments.filter(pk=actor.department_id).exists():
        raise PermissionDenied("您所在部门未参与该事项")


def matter_open(
    *,
    actor: Any,
    boundary: Boundary,
    title: str,
    description: str,
    departments: list[Department],
    kind: str = Matter.Kind.CLUE,
    opened_on: dt.date | None = None,
    due_on: dt.date | None = None,
) -> Matter:
    """Open a joint clue or case under ``boundary`` with the ``departments`` taking part.

    Any participating department may open one; its own department always takes part. Each
    department gets a task with its division of duties from the boundary table, due on
    ``due_on`` (default: 15 days after opening). Raises ValidationError (Chinese, by field)
    or PermissionDenied.
    """
    require(actor, "joint.add_matter", "无权发起联合查处事项")
    opened_on = opened_on or timezone.localdate()
    divisions = {d.department_id: d for d in BoundaryDivision.objects.filter(boundary=boundary)}
    chosen = {d.pk: d for d in departments}
    opener = actor.department if is_user(actor) else None
    if opener is not None:
        chosen.setdefault(opener.pk, opener)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写标题"
    if not description.strip():
        errors["description"] = "请填写情况"
    if kind not in Matter.Kind.values:
        errors["kind"] = "类别无效"
    outside = [d.short_name for pk, d in chosen.items() if pk not in divisions]
    if outside:
        errors["departments"] = f"{'、'.join(outside)}不是“{boundary.matter}”的相关部门"
    elif len(chosen) < 2:
        errors["departments"] = "联合查处至少需要两个部门参与"
    due_on = due_on or opened_on + dt.timedelta(days=DEFAULT_DAYS)
    if due_on < opened_on:
        errors["due_on"] = "办理期限不能早于发起日期"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting(actor):
        matter = Matter.objects.create(
            boundary=boundary,
            kind=kind,
            title=title.strip(),
            description=description.strip(),
            opened_by=opener or divisions[next(iter(chosen))].department,
            opened_on=opened_on,
        )
        matter.departments.set(chosen.values())
        for pk in chosen:
            Task.objects.create(
                matter=matter, department_id=pk, duties=divisions[pk].duties, due_on=due_on
            )
    return matter


def task_reply(*, actor: Any, task: Task, kind: str, text: str, on: dt.date | None = None) -> Reply:
    """The task's department answers: hand-off, acknowledgment, or result (closing its part).

    Only staff of that department answer; the reply records who and when; ``text`` at most
    TEXT_MAX (5000) characters. Raises ValidationError or PermissionDenied.
    """
    require(actor, "joint.add_reply", "无权答复联合查处任务")
    if not is_user(actor):
        raise PermissionDenied("答复须由具体人员作出")
    if actor.department_id != task.department_id:
        raise PermissionDenied(f"该任务由{task.department}承办，只能由其工作人员答复")
    errors = {}
    if kind not in Reply.Kind.values:
        errors["kind"] = "答复类别无效"
    if not text.strip():
        errors["text"] = "请填写答复内容"
    elif len(text.strip()) > TEXT_MAX:
        errors["text"] = f"答复内容不能超过{TEXT_MAX}字"
    if task.status == Task.Status.DONE:
        errors["kind"] = "该任务已反馈结果"
    if task.matter.status == Matter.Status.CLOSED:
        errors["kind"] = "该事项已办结"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic(), acting(actor):
        # Under the task's row lock: two results sent at once give one result and a refusal
        # naming who answered first (core.transitions), never two contradictory results.
        transitions.lock(
            task,
            field="status",
            expected=[Task.Status.ASSIGNED, Task.Status.ACKNOWLEDGED],
            doing="答复",
        )
        reply = Reply.objects.create(task=task, kind=kind, text=text.strip(), by=actor, at=now)
        if kind == Reply.Kind.RESULT:
            task.status = Task.Status.DONE
            task.done_on = on or timezone.localdate(now)
        elif kind == Reply.Kind.ACKNOWLEDGE and task.status == Task.Status.ASSIGNED:
            task.status = Task.Status.ACKNOWLEDGED
        task.save()
    return reply


def share_post(
    *, actor: Any, matter: Matter, text: str, to_department: Department | None = None
) -> InformationShare:
    """InformationShare information on ``matter`` with one participating department or all of them."""
    require(actor, "joint.add_informationshare", "无权共享信息")
    if not is_user(actor) or actor.department_id is None:
        raise PermissionDenied("共享须由部门工作人员作出")
    _check_member(actor, matter)
    if not text.strip():
        raise ValidationError({"text": "请填写共享内容"})
    if len(text.strip()) > TEXT_MAX:
        raise ValidationError({"text": f"共享内容不能超过{TEXT_MAX}字"})
    if to_department is not None and not matter.departments.filter(pk=to_department.pk).exists():
        raise ValidationError({"to_department": f"{to_department}未参与该事项"})
    with transaction.atomic(), acting(actor):
        return InformationShare.objects.create(
            matter=matter,
            from_department_id=actor.department_id,
            to_department=to_department,
            text=text.strip(),
            by=actor,
        )


def meeting_record(
    *, actor: Any, matter: Matter, held_on: dt.date, minutes: str, decisions: str = ""
) -> Meeting:
    """Record a coordination meeting (the leading group's office convenes them)."""
    require(actor, "joint.add_meeting", "无权记录协调会议")
    if not is_office(actor):
        raise PermissionDenied("协调会议由领导小组办公室（县计生局）记录")
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = "会议日期不能晚于今天"
    if not minutes.strip():
        errors["minutes"] = "请填写会议纪要"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting(actor):
        return Meeting.objects.create(
            matter=matter,
            held_on=held_on,
            minutes=minutes.strip(),
            decisions=decisions.strip(),
            recorded_by=actor if is_user(actor) else None,
        )


# What a matter links to: field on Matter -> (the name users read, the field users type).
LINKS = {
    "case": ("本局执法案件", "number", "案号"),
    "inspection_task": ("监管检查任务", "pk", "任务编号"),
    "report": ("举报投诉", "reference", "受理编号"),
}


def _linked_model(field: str) -> Any:
    """The model behind a link field (read from the foreign key: this app imports none)."""
    return Matter._meta.get_field(field).related_model


def link_target(*, actor: Any, field: str, key: str) -> Any:
    """Find the object a user names by its number (案号、任务编号、受理编号) within the
    actor's own scope. Raises ValidationError (Chinese) when there is none."""
    if field not in LINKS:
        raise ValidationError({"kind": "只能关联执法案件、检查任务或举报投诉"})
    label, lookup, what = LINKS[field]
    key = (key or "").strip()
    if not key or len(key) > 40 or (lookup == "pk" and not (key.isascii() and key.isdigit())):
        raise ValidationError({"key": f"请填写{label}的{what}"})
    model = _linked_model(field)
    manager = model.objects
    qs = manager.restrict(actor, "view") if hasattr(manager, "restrict") else manager.all()
    found = qs.filter(**{lookup: int(key) if lookup == "pk" else key}).first()
    if found is None:
        raise ValidationError({"key": f"没有{what}为{key}的{label}，或不在您的查看范围内"})
    return found


def matter_link(
    *,
    actor: Any,
    matter: Matter,
    case: Any = None,
    inspection_task: Any = None,
    report: Any = None,
) -> Matter:
    """Link the matter to the bureau's enforcement case, inspection task or report (the
    bureau, as the leading group's office, only: 清单第二部分 the bureau coordinates joint
    investigation). Raises PermissionDenied."""
    require(actor, "joint.change_matter", "无权关联本局业务")
    if not is_office(actor):
        raise PermissionDenied("只有县计生局可以关联本局的案件、检查任务和举报")
    with transaction.atomic(), acting(actor):
        if case is not None:
            matter.case = case
        if inspection_task is not None:
            matter.inspection_task = inspection_task
        if report is not None:
            matter.report = report
        matter.save()
    return matter


def matter_unlink(*, actor: Any, matter: Matter, field: str) -> Matter:
    """Remove one link (``case``, ``inspection_task`` or ``report``) of the matter (office
    only). Raises ValidationError for an unknown link or PermissionDenied."""
    require(actor, "joint.change_matter", "无权关联本局业务")
    if not is_office(actor):
        raise PermissionDenied("只有县计生局可以关联本局的案件、检查任务和举报")
    if field not in LINKS:
        raise ValidationError({"kind": "只能取消关联执法案件、检查任务或举报投诉"})
    with transaction.atomic(), acting(actor):
        setattr(matter, field, None)
        matter.save()
    return matter


def matter_close(*, actor: Any, matter: Matter) -> Matter:
    """Close a matter once every department has answered with its result (office only)."""
    require(actor, "joint.change_matter", "无权办结联合查处事项")
    if not is_office(actor):
        raise PermissionDenied("联合查处事项由领导小组办公室（县计生局）办结")
    with transaction.atomic(), acting(actor):
        transitions.lock(matter, field="status", expected=[Matter.Status.OPEN], doing="办结")
        # Checked after the lock: a department's result arriving meanwhile is seen.
        waiting = [str(t.department) for t in matter.tasks.exclude(status=Task.Status.DONE)]
        if waiting:
            raise ValidationError({"status": f"{'、'.join(waiting)}尚未反馈结果，不能办结"})
        matter.status = Matter.Status.CLOSED
        matter.save()
    return matter
