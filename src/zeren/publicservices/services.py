"""Every write of the public services: applications, their completion, ratings, follow-ups."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from zeren.cases.models import Case
from zeren.catalogue.models import PublicService
from zeren.catalogue.selectors import latest_published
from zeren.core import crypto, sequences, transitions, workdays
from zeren.core.audit import acting_as
from zeren.core.models import SecurityEvent
from zeren.core.permissions import is_user, require
from zeren.core.security import log_event
from zeren.core.spreadsheets import (
    ImportFailed,
    RowError,
    cell_text,
    error_copy,
    read_sheet_or_fail,
)
from zeren.people.models import Person
from zeren.people.rules import InvalidIdNumber, parse_id_number
from zeren.permits.models import Permit
from zeren.publicservices import rules
from zeren.publicservices.models import (
    Application,
    ApplicationEvent,
    ContraceptiveItem,
    FollowUpTask,
    Rating,
    ReviewPerson,
    ServiceGuide,
    StockBatch,
    StockMovement,
)
from zeren.publicservices.selectors import receipt_digest
from zeren.supervision.rules import receipt_code_new, receipt_code_normalize

# Receipt numbers: one core.sequences counter per day (kind “FW20261201”).
REFERENCE_AUTHORITY = "publicservices"

PHONE = re.compile(r"1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8}")


def _actor_name(actor: Any) -> str:
    if is_user(actor):
        return actor.get_full_name() or getattr(actor, "name", "") or actor.username
    return "申请人（网上）"


def _event(application: Application, from_status: str, actor: Any, note: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=application.status,
        note=note[:500],
        actor_name=_actor_name(actor),
    )


def _check_section(actor: Any, application: Application) -> None:
    """Section staff handle only their own section's applications; the head any."""
    if not is_user(actor) or actor.is_superuser or actor.role == "head":
        return
    if actor.section_id != application.section_id:
        raise PermissionDenied("该办件不属于您的科室")


def application_submit(
    *,
    actor: Any,
    service_number: int,
    applicant_name: str,
    content: str,
    applicant_phone: str = "",
    channel: str = Application.Channel.ONLINE,
    agency: Any = None,
) -> Application:
    """Receive a request for public service ``service_number``; returns it with ``receipt_code``.

    Online (``actor`` None, the public) or at the counter (``actor`` a user with
    ``publicservices.add_application``). Only services whose guide takes online applications
    (3, 5, 6, 7 and 2) are accepted here; 10-12 keep their own flow in the certificates app.
    The due day is the guide's time limit in working days after receipt (``core.workdays``).
    ``receipt_code`` (``XXXX-XXXX-XXXX-XXXX``) is shown once and never stored; only its keyed
    hash is. Raises ``ValidationError`` (field → Chinese message) on bad input and
    ``PermissionDenied`` for a user without the permission; nothing is written then.
    """
    if channel == Application.Channel.COUNTER:
        require(actor, "publicservices.add_application", "无权登记公共服务申请")
    elif channel != Application.Channel.ONLINE:
        raise ValidationError({"channel": "受理渠道应为网上申请或窗口受理"})
    errors: dict[str, str] = {}
    guide = ServiceGuide.objects.filter(number=service_number).first()
    version = latest_published()
    service = (
        PublicService.objects.filter(version=version, number=service_number)
        .select_related("section")
        .first()
        if version
        else None
    )
    if guide is None or service is None or not guide.takes_online_applications:
        errors["service_number"] = f"公共服务事项{service_number}不受理网上或窗口申请"
    applicant_name = (applicant_name or "").strip()
    if not 2 <= len(applicant_name) <= 100:
        errors["applicant_name"] = "请填写申请人姓名或单位名称（2至100个字）"
    content = (content or "").strip()
    if len(content) < 5:
        errors["content"] = "请写明申请或咨询的事项（至少5个字）"
    elif len(content) > 2000:
        errors["content"] = "申请事项不能超过2000个字"
    applicant_phone = re.sub(r"\s", "", applicant_phone or "")
    if applicant_phone and not PHONE.fullmatch(applicant_phone):
        errors["applicant_phone"] = f"联系电话“{applicant_phone}”格式不对"
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    due = rules.due_on(today, guide.time_limit_days, workdays.add_working_days)
    code = receipt_code_new()
    with transaction.atomic(), acting_as(actor if is_user(actor) else "公众"):
        application = Application.objects.create(
            agency=agency,
            reference=rules.reference_new(
                today,
                sequences.next_value(
                    authority=REFERENCE_AUTHORITY, kind=f"FW{today:%Y%m%d}", year=today.year
                ),
            ),
            receipt_hash=receipt_digest(receipt_code_normalize(code)),
            service_number=service_number,
            service_name=service.name,
            section=service.section,
            channel=channel,
            applicant_name=applicant_name,
            applicant_phone=applicant_phone,
            content=content,
            received_on=today,
            due_on=due,
            handler=actor if channel == Application.Channel.COUNTER else None,
        )
        _event(application, "", actor, f"受理，办理期限{due:%Y年%m月%d日}" if due else "受理")
    application.receipt_code = code
    return application


def _finish(
    *, actor: Any, application: Application, status: str, result: str, what: str
) -> Application:
    require(actor, "publicservices.handle_application", "无权办理公共服务办件")
    _check_section(actor, application)
    result = (result or "").strip()
    if len(result) < 2:
        raise ValidationError({"result": f"请填写{what}"})
    with transaction.atomic(), acting_as(actor):
        # Check and change under the row lock: of two clerks finishing it at once, the second
        # is told who finished it and when (core.transitions).
        locked = transitions.lock(
            Application(pk=application.pk),
            field="status",
            expected=[Application.Status.RECEIVED],
            doing="再次办理",
        )
        before = locked.status
        locked.status = status
        locked.result = result
        locked.finished_on = timezone.localdate()
        locked.handler = actor if is_user(actor) else locked.handler
        locked.save()
        _event(locked, before, actor, result)
    return locked


def application_complete(*, actor: Any, application: Application, result: str) -> Application:
    """Complete (办结) an open application with its written result (the result letter's text).

    Raises ``PermissionDenied`` (no permission, another section's application) or
    ``ValidationError`` (no result, already finished).
    """
    return _finish(
        actor=actor,
        application=application,
        status=Application.Status.COMPLETED,
        result=result,
        what="办理结果",
    )


def application_refuse(*, actor: Any, application: Application, reason: str) -> Application:
    """Refuse (不予办理) an open application, with the reason told to the applicant."""
    return _finish(
        actor=actor,
        application=application,
        status=Application.Status.REFUSED,
        result=reason,
        what="不予办理的理由",
    )


def rating_submit(*, application: Application, level: int, reason: str = "") -> Rating:
    """The applicant rates a finished application once (好差评, 国办发〔2019〕51号).

    ``level`` 5 非常满意 … 1 非常不满意; a bad rating (1, 2) needs a reason and opens a
    ``FollowUpTask`` for the handling section, due ``rules.FOLLOW_UP_WORKING_DAYS`` working
    days later. Raises ``ValidationError`` when the application is not finished, is already
    rated, the level is not 1-5, or a bad rating has no reason.
    """
    try:
        level = int(level)
        bad = rules.rating_is_bad(level)
    except (TypeError, ValueError):
        raise ValidationError({"level": "请选择评价等级"}) from None
    reason = (reason or "").strip()
    if bad and len(reason) < 2:
        raise ValidationError({"reason": "选择“不满意”或“非常不满意”时，请写明理由"})
    if application.is_open:
        raise ValidationError("办件办结后才能评价")
    today = timezone.localdate()
    try:
        with transaction.atomic(), acting_as("申请人"):
            rating = Rating.objects.create(application=application, level=level, reason=reason)
            if bad:
                FollowUpTask.objects.create(
                    rating=rating,
                    section=application.section,
                    due_on=workdays.add_working_days(today, rules.FOLLOW_UP_WORKING_DAYS),
                )
    except IntegrityError:
        raise ValidationError("该办件已评价过，每件只能评价一次") from None
    return rating


def follow_up_close(*, actor: Any, task: FollowUpTask, outcome: str) -> FollowUpTask:
    """Record how a bad rating was verified, fixed and answered, and close its task."""
    require(actor, "publicservices.change_followuptask", "无权处理差评整改任务")
    _check_section(actor, task.rating.application)
    outcome = (outcome or "").strip()
    if len(outcome) < 5:
        raise ValidationError({"outcome": "请写明核实、整改和反馈情况（至少5个字）"})
    with transaction.atomic(), acting_as(actor):
        locked = transitions.lock(
            FollowUpTask(pk=task.pk),
            field="status",
            expected=[FollowUpTask.Status.OPEN],
            doing="再次办结",
        )
        locked.status = FollowUpTask.Status.DONE
        locked.outcome = outcome
        locked.closed_on = timezone.localdate()
        locked.save()
    return locked


# --- agency reviews (计生审查, service 3) -------------------------------------------------

REVIEW_SERVICE = 3
REVIEW_COLUMNS = ("姓名", "身份证号", "审查事由")


def _review_rows(content: bytes) -> list[dict[str, Any]]:
    """The staff list's rows, or ``ImportFailed`` naming every bad row and column."""
    rows = read_sheet_or_fail(content)
    if not rows:
        raise ImportFailed([RowError(1, "文件", "表格是空的")])
    header = [cell_text(v) for v in rows[0]]
    missing = [c for c in REVIEW_COLUMNS if c not in header]
    if missing:
        raise ImportFailed([RowError(1, c, "缺少此列") for c in missing])
    at = {c: header.index(c) for c in REVIEW_COLUMNS}
    errors: list[RowError] = []
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(rows[1:], start=2):
        cells = {c: cell_text(values[i]) if i < len(values) else "" for c, i in at.items()}
        if not any(cells.values()):
            continue
        if not cells["姓名"]:
            errors.append(RowError(number, "姓名", "不能为空"))
        try:
            id_number = parse_id_number(cells["身份证号"]).value
        except InvalidIdNumber as exc:
            errors.append(RowError(number, "身份证号", str(exc)))
            id_number = ""
        if id_number and id_number in seen:
            errors.append(RowError(number, "身份证号", f"与第{seen[id_number]}行重复"))
        elif id_number:
            seen[id_number] = number
        if not cells["审查事由"]:
            errors.append(RowError(number, "审查事由", "请写明审查事由（如晋升、评优、招录）"))
        out.append(
            {
                "row": number,
                "name": cells["姓名"],
                "id_number": id_number,
                "purpose": cells["审查事由"][:100],
            }
        )
    if not out and not errors:
        errors.append(RowError(2, "姓名", "名单中没有人员"))
    if errors:
        raise ImportFailed(errors, error_copy(rows, errors))
    return out


def agency_review_submit(*, actor: Any, content: bytes, note: str = "") -> Application:
    """A county agency's account submits its staff list (Excel) for review (service 3).

    Columns 姓名, 身份证号 (checked per GB 11643), 审查事由, in any order. The list is taken
    whole or not at all: ``ImportFailed`` lists every bad row and column (the header is row 1)
    and carries an annotated copy. Returns the application (with ``receipt_code``), due
    in the guide's time limit in working days; one ``ReviewPerson`` a row.
    """
    require(actor, "publicservices.add_reviewperson", "无权提交计生审查")
    if not is_user(actor) or actor.department_id is None:
        raise PermissionDenied("请使用本单位的账号提交计生审查")
    people = _review_rows(content)
    text = f"计生审查名单，共{len(people)}人" + (f"；{note.strip()}" if note.strip() else "")
    with transaction.atomic(), acting_as(actor):
        application = application_submit(
            actor=actor,
            service_number=REVIEW_SERVICE,
            applicant_name=actor.department.name,
            content=text,
            agency=actor.department,
        )
        for p in people:
            ReviewPerson.objects.create(application=application, **p)
    return application


def review_person_check(*, actor: Any, person: ReviewPerson, request: Any = None) -> ReviewPerson:
    """Check one listed person against the bureau's records; logged in the security log.

    Looks the identity number up among the registered persons (相对人); a registered person's
    enforcement cases (cases.Case) and re-birth permits (permits.Permit) are read. Finding:
    有案件记录 when any case names the person, else 未发现违法记录; 本局无此人登记信息 when the
    person is not registered. Raises ``PermissionDenied`` for another section's review.
    """
    require(actor, "publicservices.handle_application", "无权办理计生审查")
    _check_section(actor, person.application)
    if not person.application.is_open:
        raise ValidationError("该审查申请已办结")
    found = Person.objects.filter(id_number_hash=crypto.blind_index(person.id_number)).first()
    if found is None:
        finding, details = ReviewPerson.Finding.NO_RECORD, "本局人口信息中无此人登记信息。"
    else:
        cases = list(Case.objects.filter(person=found).order_by("number"))
        permits = Permit.objects.filter(models.Q(holder=found) | models.Q(spouse=found)).count()
        parts = [f"再生育审批记录{permits}件"]
        if cases:
            finding = ReviewPerson.Finding.RECORDS
            parts.append(
                "计划生育违法案件："
                + "，".join(f"{c.number}（{c.get_step_display()}）" for c in cases)
            )
        else:
            finding = ReviewPerson.Finding.CLEAR
            parts.append("无计划生育违法案件记录")
        details = "；".join(parts) + "。"
    with transaction.atomic(), acting_as(actor):
        person.finding = finding
        person.details = details
        person.checked_at = timezone.now()
        person.checked_by = actor if is_user(actor) else None
        person.save()
        log_event(
            SecurityEvent.Kind.REVEAL,
            request=request,
            actor=actor if is_user(actor) else None,
            obj=person,
            detail={
                "what": "计生审查核查",
                "reference": person.application.reference,
                "row": person.row,
                "finding": finding,
            },
        )
    return person


def agency_review_answer(*, actor: Any, application: Application) -> Application:
    """Complete a review once every listed person is checked; one letter per person follows.

    Raises ``ValidationError`` while a person is still unchecked.
    """
    pending = application.persons.filter(finding=ReviewPerson.Finding.PENDING)
    if pending.exists():
        rows = "、".join(str(r) for r in pending.values_list("row", flat=True)[:20])
        raise ValidationError(f"名单第{rows}行尚未核查，不能办结")
    counts = {
        label: application.persons.filter(finding=value).count()
        for value, label in ReviewPerson.Finding.choices
        if value != "pending"
    }
    summary = "；".join(f"{label}{n}人" for label, n in counts.items() if n)
    return application_complete(
        actor=actor,
        application=application,
        result=f"已逐人核查，结果见每人的审查结果告知书。{summary}。",
    )


# --- free contraceptives (计划生育药具) ----------------------------------------------------


def _stock_quantity(quantity: Any) -> int:
    try:
        n = int(quantity)
    except (TypeError, ValueError):
        raise ValidationError({"quantity": "数量应为正整数"}) from None
    if n <= 0:
        raise ValidationError({"quantity": "数量应为正整数"})
    return n


def stock_receive(
    *,
    actor: Any,
    item: ContraceptiveItem,
    batch_number: str,
    expires_on: dt.date,
    quantity: int,
    holder: Any,
    day: dt.date | None = None,
) -> StockBatch:
    """Stock received from above into ``holder``'s store (normally the county)."""
    require(actor, "publicservices.add_stockmovement", "无权登记药具入库")
    n = _stock_quantity(quantity)
    batch_number = (batch_number or "").strip()
    if not batch_number:
        raise ValidationError({"batch_number": "请填写批号"})
    day = day or timezone.localdate()
    if expires_on < day:
        raise ValidationError({"expires_on": "该批药具已过有效期，不能入库"})
    with transaction.atomic(), acting_as(actor):
        batch, created = StockBatch.objects.select_for_update().get_or_create(
            item=item,
            batch_number=batch_number,
            holder=holder,
            defaults={"expires_on": expires_on, "quantity": 0},
        )
        if not created and batch.expires_on != expires_on:
            raise ValidationError(
                {"expires_on": f"批号{batch_number}已登记的有效期是{batch.expires_on}"}
            )
        batch.quantity += n
        batch.save()
        StockMovement.objects.create(
            kind=StockMovement.Kind.RECEIVE,
            item=item,
            batch_number=batch_number,
            target=holder,
            quantity=n,
            day=day,
            actor_name=_actor_name(actor),
        )
    return batch


def _take(batch: StockBatch, n: int) -> None:
    """Take ``n`` from a batch by a conditional UPDATE: never below zero, even concurrently."""
    taken = StockBatch.objects.filter(pk=batch.pk, quantity__gte=n).update(
        quantity=models.F("quantity") - n
    )
    if not taken:
        batch.refresh_from_db()
        raise ValidationError(
            {
                "quantity": f"库存不足：{batch.holder}的{batch.item}（批号{batch.batch_number}）"
                f"现有{batch.quantity}{batch.item.unit}，不能发出{n}{batch.item.unit}"
            }
        )


def stock_distribute(
    *, actor: Any, batch: StockBatch, target: Any, quantity: int, day: dt.date | None = None
) -> StockBatch:
    """Send part of a batch down to a township or village; refuses more than is held."""
    require(actor, "publicservices.add_stockmovement", "无权登记药具下发")
    n = _stock_quantity(quantity)
    day = day or timezone.localdate()
    if target.parent_id != batch.holder_id:
        raise ValidationError({"target": f"{target}不是{batch.holder}的下级"})
    if rules.expiry_state(batch.expires_on, day) == "expired":
        raise ValidationError({"batch": f"批号{batch.batch_number}已过有效期，不能下发"})
    with transaction.atomic(), acting_as(actor):
        _take(batch, n)
        received, _ = StockBatch.objects.get_or_create(
            item=batch.item,
            batch_number=batch.batch_number,
            holder=target,
            defaults={"expires_on": batch.expires_on, "quantity": 0},
        )
        StockBatch.objects.filter(pk=received.pk).update(quantity=models.F("quantity") + n)
        StockMovement.objects.create(
            kind=StockMovement.Kind.DISTRIBUTE,
            item=batch.item,
            batch_number=batch.batch_number,
            source=batch.holder,
            target=target,
            quantity=n,
            day=day,
            actor_name=_actor_name(actor),
        )
    received.refresh_from_db()
    return received


def stock_issue(
    *, actor: Any, batch: StockBatch, quantity: int, day: dt.date | None = None, note: str = ""
) -> StockBatch:
    """Record what was given out to the public (anonymous counts); never an expired batch."""
    require(actor, "publicservices.add_stockmovement", "无权登记药具发放")
    n = _stock_quantity(quantity)
    day = day or timezone.localdate()
    if rules.expiry_state(batch.expires_on, day) == "expired":
        raise ValidationError({"batch": f"批号{batch.batch_number}已过有效期，不能发放"})
    with transaction.atomic(), acting_as(actor):
        _take(batch, n)
        StockMovement.objects.create(
            kind=StockMovement.Kind.ISSUE,
            item=batch.item,
            batch_number=batch.batch_number,
            source=batch.holder,
            quantity=n,
            day=day,
            note=note[:200],
            actor_name=_actor_name(actor),
        )
    batch.refresh_from_db()
    return batch
