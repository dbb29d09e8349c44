"""Every write of the ledger: automatic records, manual records (form and Excel), expectations."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zeren.catalogue.models import ListVersion, WorkItem
from zeren.core.audit import log_bulk
from zeren.core.facts import fact_date_problem
from zeren.core.permissions import acting, is_user, require
from zeren.core.spreadsheets import ImportFailed, RowError, cell_date, cell_text, read_sheet_or_fail
from zeren.ledger import seed
from zeren.ledger.models import (
    EventMapping,
    Expectation,
    ItemMapping,
    Kind,
    Milestone,
    Plan,
    PublicSummary,
    Record,
)
from zeren.org.models import Department, Division
from zeren.statistics.rules import FIRST_YEAR, LAST_YEAR

# Attachments: what sections upload as evidence (documents, scans, photos), at most 10 MB.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Extension -> the file's first bytes (so a renamed executable is refused).
ATTACHMENT_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
ATTACHMENT_DIR = "ledger"
# Any ZIP starts with PK: an Office Open XML file also holds its content types and its part.
OFFICE_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


def _office_file(upload: Any, part: str) -> bool:
    """Whether the uploaded ZIP is an Office Open XML package holding ``part``."""
    import zipfile

    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and part in names


def bureau() -> Department:
    """The bureau whose list the ledger follows (the first bureau by code)."""
    found = Department.objects.filter(kind=Department.Kind.BUREAU).order_by("code").first()
    if found is None:
        raise ValidationError("尚未建立县计生局，请先运行 zeren init")
    return found


def version_in_force(on: dt.date) -> ListVersion | None:
    """The bureau's published version in force on ``on``: the latest published by that day.

    A day before the first publication falls under the first version (the list existed on
    paper before it was loaded here). None when nothing is published.
    """
    published = ListVersion.objects.filter(department=bureau(), status=ListVersion.Status.PUBLISHED)
    found = published.filter(published_at__date__lte=on).order_by("-number").first()
    return found or published.order_by("number").first()


def work_item_for(on: dt.date, duty_number: int, item_order: int) -> WorkItem | None:
    """The work item numbered ``duty_number``.``item_order`` in the version in force on ``on``."""
    version = version_in_force(on)
    if version is None:
        return None
    return (
        WorkItem.objects.filter(duty__version=version, duty__number=duty_number, order=item_order)
        .select_related("section")
        .first()
    )


def _county_id() -> int:
    return bureau().division_id


def record_automatic(
    *, event_key: str, obj: Any, date: dt.date, division_id: int | None = None, summary: str
) -> list[Record]:
    """Record the capabilities' work ``event_key`` on ``obj`` for every mapped work item.

    The one entry point of automatic records: the mapping (:class:`EventMapping`) names the
    items, the version in force on ``date`` the rows. Idempotent per (event, object, item);
    an event nobody mapped, or with no list published, records nothing. Returns the new rows.
    """
    mappings = list(EventMapping.objects.filter(event_key=event_key))
    if not mappings:
        return []
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    created = []
    for mapping in mappings:
        item = work_item_for(date, mapping.duty_number, mapping.item_order)
        if item is None:
            continue
        try:
            with transaction.atomic():
                row, new = Record.objects.get_or_create(
                    source=Record.Source.AUTOMATIC,
                    event_key=event_key,
                    content_type=content_type,
                    object_id=str(obj.pk),
                    work_item=item,
                    defaults={
                        "date": date,
                        "section_id": item.section_id,
                        "kind": mapping.kind,
                        "summary": summary[:300],
                        "division_id": division_id or _county_id(),
                    },
                )
        except IntegrityError:
            # Only a concurrent save that recorded the same (event, object, item) first is
            # expected here; anything else is a real failure and must not pass silently.
            if Record.objects.filter(
                source=Record.Source.AUTOMATIC,
                event_key=event_key,
                content_type=content_type,
                object_id=str(obj.pk),
                work_item=item,
            ).exists():
                continue
            raise
        if new:
            created.append(row)
    return created


def short_name(name: str, limit: int = 200) -> str:
    """``name`` cut to ``limit`` characters (Record.attachment_name's length) by shortening
    its stem, so the extension survives: 「…很长的说明.pdf」 stays a .pdf when downloaded."""
    if len(name) <= limit:
        return name
    path = Path(name)
    suffix = path.suffix if len(path.suffix) < limit else ""
    return path.stem[: limit - len(suffix)] + suffix


def _store_attachment(upload: Any) -> tuple[str, str]:
    """Check and store an uploaded file under the data directory; (relative path, name)."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError(
            {"attachment": "附件只接受 PDF、Word（.docx）、Excel（.xlsx）、JPG、PNG 文件"}
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"attachment": "附件不能超过 10 MB"})
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ATTACHMENT_TYPES[suffix]):
        raise ValidationError({"attachment": f"附件内容与扩展名{suffix}不符"})
    if suffix in OFFICE_PARTS and not _office_file(upload, OFFICE_PARTS[suffix]):
        raise ValidationError({"attachment": f"附件内容与扩展名{suffix}不符"})
    relative = f"{ATTACHMENT_DIR}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"
    target = Path(settings.DATA_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return relative, short_name(name)


def attachment_path(record: Record) -> Path | None:
    """Where a record's attachment lies (None without one)."""
    if not record.attachment:
        return None
    return Path(settings.DATA_DIR) / record.attachment


# The earliest day a ledger record can be of: the ledger keeps the bureau's work under its
# responsibility list (责任清单), a reform of the 2010s; an older date is a typing slip.
RECORD_FLOOR = dt.date(2000, 1, 1)


def record_date_problem(date: dt.date, *, today: dt.date) -> str | None:
    """Why ``date`` cannot be a ledger record's day (Chinese), or None: not after ``today``,
    not before RECORD_FLOOR (core.facts.fact_date_problem)."""
    return fact_date_problem(
        date, what="履职", today=today, floor=RECORD_FLOOR, floor_what="台账最早可登记的日期"
    )


def _check_manual(
    *, work_item: WorkItem, date: dt.date, kind: str, summary: str, today: dt.date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    problem = record_date_problem(date, today=today)
    if problem:
        errors["date"] = problem
    if kind not in Kind.values:
        errors["kind"] = "类别无效"
    if not summary.strip():
        errors["summary"] = "请填写摘要"
    elif len(summary) > 300:
        errors["summary"] = "摘要不能超过300字"
    version = version_in_force(date)
    if version is not None and work_item.duty.version_id != version.pk:
        errors["work_item"] = f"{date}施行的是{version}，该事项不属于此版本"
    return errors


def record_create(
    *,
    actor: Any,
    work_item: WorkItem,
    date: dt.date,
    kind: str,
    summary: str,
    attachment: Any = None,
    today: dt.date | None = None,
) -> Record:
    """A section's manual record of work on ``work_item`` on ``date``.

    The record goes to the item's section and the bureau's county; ``attachment`` (an
    uploaded file) is type-checked and at most 10 MB. Raises ValidationError (Chinese, by
    field) or PermissionDenied; nothing is stored on failure.
    """
    require(actor, "ledger.add_record", "无权登记履职记录")
    errors = _check_manual(
        work_item=work_item,
        date=date,
        kind=kind,
        summary=summary,
        today=today or timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    stored = ("", "")
    if attachment is not None:
        stored = _store_attachment(attachment)
    try:
        with transaction.atomic(), acting(actor):
            return Record.objects.create(
                work_item=work_item,
                date=date,
                section_id=work_item.section_id,
                staff=actor if is_user(actor) else None,
                kind=kind,
                summary=summary.strip(),
                source=Record.Source.MANUAL,
                division_id=_county_id(),
                attachment=stored[0],
                attachment_name=stored[1],
            )
    except Exception:
        if stored[0]:
            (Path(settings.DATA_DIR) / stored[0]).unlink(missing_ok=True)
        raise


IMPORT_COLUMNS = ["职责序号", "事项顺序", "日期", "类别", "摘要"]
_KIND_BY_LABEL = {label: value for value, label in Kind.choices}


def records_import(*, actor: Any, content: bytes, today: dt.date | None = None) -> int:
    """Import manual records from an Excel sheet whole, or raise ImportFailed and add nothing.

    Columns (header row, any order): 职责序号, 事项顺序, 日期, 类别 (the Chinese label, e.g.
    会议), 摘要. Each row goes to the item of the version in force on its date. Returns the
    number of rows added.
    """
    require(actor, "ledger.add_record", "无权导入履职记录")
    today = today or timezone.localdate()
    rows = read_sheet_or_fail(content)
    header = [cell_text(c) for c in (rows[0] if rows else [])]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        raise ImportFailed([RowError(1, c, "缺少此列") for c in missing])
    col = {name: header.index(name) for name in IMPORT_COLUMNS}
    errors: list[RowError] = []
    records: list[Record] = []
    county = _county_id()
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i] if i < len(row) else None) for name, i in col.items()}
        if not any(cell_text(v) for v in cells.values()):
            continue
        try:
            duty, order = int(cell_text(cells["职责序号"])), int(cell_text(cells["事项顺序"]))
        except ValueError:
            errors.append(RowError(number, "职责序号", "职责序号和事项顺序应为数字"))
            continue
        try:
            date = cell_date(cells["日期"])
        except ValueError as exc:
            errors.append(RowError(number, "日期", str(exc)))
            continue
        if date is None:
            errors.append(RowError(number, "日期", "不能为空"))
            continue
        item = work_item_for(date, duty, order)
        if item is None:
            errors.append(RowError(number, "事项顺序", f"清单中没有第{duty}项职责第{order}事项"))
            continue
        kind = _KIND_BY_LABEL.get(cell_text(cells["类别"]))
        if kind is None:
            errors.append(RowError(number, "类别", "应为：" + "、".join(_KIND_BY_LABEL)))
            continue
        summary = cell_text(cells["摘要"])
        for field, message in _check_manual(
            work_item=item, date=date, kind=kind, summary=summary, today=today
        ).items():
            errors.append(
                RowError(
                    number, {"date": "日期", "summary": "摘要"}.get(field, "事项顺序"), message
                )
            )
        records.append(
            Record(
                work_item=item,
                date=date,
                section_id=item.section_id,
                staff=actor if is_user(actor) else None,
                kind=kind,
                summary=summary,
                source=Record.Source.MANUAL,
                division_id=county,
            )
        )
    if errors:
        raise ImportFailed(errors)
    if not records:
        raise ImportFailed([RowError(2, "文件", "没有可导入的记录")])
    with transaction.atomic(), acting(actor):
        Record.objects.bulk_create(records)
        log_bulk(Record, f"导入履职记录 {len(records)} 条", {"rows": len(records)})
    return len(records)


def expectations_load_seed(*, actor: Any = None, version: ListVersion | None = None) -> int:
    """Give every work item of ``version`` (default: in force today) without an expectation
    the default cadence of :mod:`zeren.ledger.seed`, its source the duty's text. Returns how
    many were added."""
    require(actor, "ledger.add_expectation", "无权设置履职要求")
    version = version or version_in_force(timezone.localdate())
    if version is None:
        return 0
    items = WorkItem.objects.filter(duty__version=version, expectation__isnull=True)
    added = 0
    with transaction.atomic(), acting(actor):
        for item in items.select_related("duty"):
            Expectation.objects.create(
                work_item=item,
                cadence=seed.CADENCES.get((item.duty.number, item.order), seed.DEFAULT_CADENCE),
                source=f"责任清单第一部分第{item.duty.number}项职责：{item.duty.text}",
            )
            added += 1
    return added


def expectation_set(*, actor: Any, work_item: WorkItem, cadence: str, source: str) -> Expectation:
    """Set what ``work_item`` is expected to show. Raises ValidationError (Chinese)."""
    require(actor, "ledger.change_expectation", "无权修改履职要求")
    from zeren.ledger.models import Cadence

    if cadence not in Cadence.values:
        raise ValidationError({"cadence": "履职要求无效"})
    if not source.strip():
        raise ValidationError({"source": "请写明清单依据"})
    with transaction.atomic(), acting(actor):
        expectation, _ = Expectation.objects.update_or_create(
            work_item=work_item, defaults={"cadence": cadence, "source": source.strip()}
        )
    return expectation


def division_of_county() -> Division:
    return bureau().division


# --- yearly work plans and their milestones -------------------------------------------------


def _check_staff(user: Any, field: str) -> dict[str, str]:
    if user is None:
        return {}
    if not getattr(user, "is_active", False) or getattr(user, "department_id", None) != (
        bureau().pk
    ):
        return {field: "责任人应为本局在职工作人员"}
    return {}


def plan_create(
    *,
    actor: Any,
    work_item: WorkItem,
    year: int,
    title: str,
    responsible: Any,
    content: str = "",
) -> Plan:
    """A yearly work plan (年度工作计划) for ``work_item`` in ``year`` with its responsible staff.

    The item must belong to a published version of the bureau's list in force in that year
    (责任清单第一部分：每个具体工作事项的年度计划). Raises ValidationError (Chinese, by field)
    or PermissionDenied.
    """
    require(actor, "ledger.add_plan", "无权制定年度工作计划")
    errors: dict[str, str] = {}
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        errors["year"] = f"年度应在{FIRST_YEAR}～{LAST_YEAR}年之间"
    else:
        in_force = {
            v.pk
            for v in (
                version_in_force(dt.date(int(year), 1, 1)),
                version_in_force(dt.date(int(year), 12, 31)),
            )
            if v is not None
        }
        if work_item.duty.version_id not in in_force:
            errors["work_item"] = f"该事项不属于{year}年施行的责任清单版本"
        elif Plan.objects.filter(work_item=work_item, year=int(year)).exists():
            errors["work_item"] = f"该事项{year}年度已有工作计划，请在原计划中添加节点"
    if not title.strip():
        errors["title"] = "请填写计划名称"
    elif len(title.strip()) > 100:
        errors["title"] = "计划名称不能超过100字"
    if responsible is None:
        errors["responsible"] = "请指定责任人"
    errors.update(_check_staff(responsible, "responsible"))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic(), acting(actor):
            return Plan.objects.create(
                work_item=work_item,
                year=int(year),
                title=title.strip(),
                content=content.strip(),
                responsible=responsible,
            )
    except IntegrityError as exc:  # a second request for the same item and year at once
        raise ValidationError(
            {"work_item": f"该事项{year}年度已有工作计划，请在原计划中添加节点"}
        ) from exc


def milestone_add(
    *, actor: Any, plan: Plan, title: str, due_on: dt.date, responsible: Any = None
) -> Milestone:
    """A dated step of ``plan`` (inside the plan's year), owned by ``responsible`` or, when
    None, the plan's responsible staff. Raises ValidationError (Chinese) or PermissionDenied."""
    require(actor, "ledger.change_plan", "无权修改年度工作计划")
    errors: dict[str, str] = {}
    if plan.status != Plan.Status.OPEN:
        errors["plan"] = "计划已完成，不能再添加节点"
    if not title.strip():
        errors["title"] = "请填写节点"
    elif len(title.strip()) > 100:
        errors["title"] = "节点不能超过100字"
    if due_on is None or due_on.year != plan.year:
        errors["due_on"] = f"完成期限应在{plan.year}年内"
    errors.update(_check_staff(responsible, "responsible"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting(actor):
        return Milestone.objects.create(
            plan=plan, title=title.strip(), due_on=due_on, responsible=responsible
        )


def milestone_complete(
    *,
    actor: Any,
    milestone: Milestone,
    done_on: dt.date,
    summary: str = "",
    today: dt.date | None = None,
) -> Milestone:
    """Mark a milestone done on ``done_on``; its completion is a manual record (kind 计划) of the
    plan's item in the version in force that day, so the ledger counts it. The last milestone
    done closes the plan. Raises ValidationError (Chinese) or PermissionDenied."""
    require(actor, "ledger.change_plan", "无权修改年度工作计划")
    today = today or timezone.localdate()
    if milestone.done_on is not None:
        raise ValidationError("该节点已完成")
    if done_on is None:
        raise ValidationError({"done_on": "完成日期不能为空"})
    plan = milestone.plan
    problem = fact_date_problem(
        done_on,
        what="节点完成",
        today=today,
        floor=dt.date(plan.year, 1, 1),
        floor_what=f"计划年度为{plan.year}年",
    )
    if problem:
        raise ValidationError({"done_on": problem})
    version = version_in_force(done_on)
    item = next(
        (
            i
            for i in (plan.work_item, plan.carried_from)
            if i is not None and version is not None and i.duty.version_id == version.pk
        ),
        None,
    )
    if item is None:
        raise ValidationError({"done_on": f"{done_on}施行的清单版本中没有该计划的事项"})
    with transaction.atomic(), acting(actor):
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if locked.done_on is not None:
            raise ValidationError("该节点已完成")
        record = record_create(
            actor=actor,
            work_item=item,
            date=done_on,
            kind=Kind.PLAN,
            summary=(summary.strip() or f"{plan.title}：{locked.title}已完成")[:300],
            today=today,
        )
        locked.done_on = done_on
        locked.record = record
        locked.save()
        if not plan.milestones.filter(done_on__isnull=True).exists():
            plan.status = Plan.Status.CLOSED
            plan.save()
    return locked


# --- list versions: items carried across ----------------------------------------------------


def _norm(text: str) -> str:
    return "".join(text.split())


def _previous_version(version: ListVersion) -> ListVersion | None:
    return (
        ListVersion.objects.filter(
            department=version.department,
            status=ListVersion.Status.PUBLISHED,
            number__lt=version.number,
        )
        .order_by("-number")
        .first()
    )


def _carry_plans(old_item: WorkItem, new_item: WorkItem | None) -> int:
    """Move the open plans of ``old_item`` (or back, when ``new_item`` is None) row by row."""
    moved = 0
    if new_item is not None:
        for plan in Plan.objects.filter(work_item=old_item, status=Plan.Status.OPEN):
            plan.carried_from = old_item
            plan.work_item = new_item
            plan.save()
            moved += 1
    # Plans already carried from ``old_item`` follow a correction (or return when dropped).
    for plan in Plan.objects.filter(carried_from=old_item, status=Plan.Status.OPEN).exclude(
        work_item=new_item
    ):
        if new_item is None:
            plan.work_item, plan.carried_from = old_item, None
        else:
            plan.work_item = new_item
        plan.save()
        moved += 1
    return moved


def version_carry_over(*, version: ListVersion) -> list[ItemMapping]:
    """Match each item of the version published before ``version`` to its continuation in
    ``version`` and move the open plans there.

    Matching, in this order: same duty number, order and text; same text (renumbered); same
    duty number and order (reworded); otherwise none (the item was dropped). Each new item is
    claimed once. Records are not moved: they stay under the version in force on their date.
    Idempotent (an item already mapped keeps its mapping). Returns the mappings made.
    """
    previous = _previous_version(version) if version.number else None
    if previous is None:
        return []
    new_items = list(WorkItem.objects.filter(duty__version=version).select_related("duty"))
    old_items = list(
        WorkItem.objects.filter(duty__version=previous, successor__isnull=True).select_related(
            "duty"
        )
    )
    claimed: set[int] = set()
    matches: dict[int, tuple[WorkItem | None, str]] = {}

    def claim(test: Any, method: str) -> None:
        for old in old_items:
            if old.pk in matches:
                continue
            found = next((n for n in new_items if n.pk not in claimed and test(old, n)), None)
            if found is not None:
                claimed.add(found.pk)
                matches[old.pk] = (found, method)

    def key(i: WorkItem) -> tuple[int, int]:
        return (i.duty.number, i.order)

    claim(lambda o, n: key(o) == key(n) and _norm(o.text) == _norm(n.text), ItemMapping.Method.SAME)
    claim(lambda o, n: _norm(o.text) == _norm(n.text), ItemMapping.Method.TEXT)
    claim(lambda o, n: key(o) == key(n), ItemMapping.Method.NUMBER)
    made = []
    with transaction.atomic():
        for old in old_items:
            new, method = matches.get(old.pk, (None, ItemMapping.Method.NONE))
            made.append(ItemMapping.objects.create(old_item=old, new_item=new, method=method))
            _carry_plans(old, new)
    return made


def item_mapping_set(*, actor: Any, mapping: ItemMapping, new_item: WorkItem | None) -> ItemMapping:
    """Correct which item of the next version continues ``mapping.old_item`` (None: dropped);
    the open plans carried from it follow. Raises ValidationError (Chinese) or PermissionDenied.
    """
    require(actor, "ledger.change_itemmapping", "无权校正清单版本事项对应")
    old = mapping.old_item
    if new_item is not None:
        next_version = (
            ListVersion.objects.filter(
                department=old.duty.version.department,
                status=ListVersion.Status.PUBLISHED,
                number__gt=old.duty.version.number,
            )
            .order_by("number")
            .first()
        )
        if next_version is None or new_item.duty.version_id != next_version.pk:
            raise ValidationError({"new_item": "新版本事项应属于紧接其后发布的清单版本"})
        taken = ItemMapping.objects.filter(new_item=new_item).exclude(pk=mapping.pk)
        if taken.exists():
            raise ValidationError({"new_item": "该新版本事项已对应其他原事项，请先校正那一条"})
    with transaction.atomic(), acting(actor):
        mapping.new_item = new_item
        mapping.method = ItemMapping.Method.MANUAL
        mapping.save()
        _carry_plans(old, new_item)
    return mapping


# --- the public summary (政务公开) -----------------------------------------------------------


def public_summary_text(year: int) -> str:
    """The summary's text for ``year``: per duty its items' statuses and record counts, no
    names and no record summaries (figures only)."""
    from zeren.ledger import rules, selectors

    _period, rows = selectors.ledger_status(str(year))
    duties: dict[int, list[Any]] = {}
    for row in rows:
        duties.setdefault(row.duty, []).append(row)
    lines = [f"{year}年度履职情况（按责任清单主要职责汇总）"]
    for number, items in duties.items():
        counts = {s: sum(1 for r in items if r.status == s) for s in rules.STATUS_LABELS}
        parts = "、".join(
            f"{label}{counts[s]}项" for s, label in rules.STATUS_LABELS.items() if counts[s]
        )
        records = sum(r.records for r in items)
        automatic = sum(r.automatic for r in items)
        lines.append(
            f"第{number}项职责：{items[0].duty_text.rstrip('。')}。具体工作事项{len(items)}项，{parts}；"
            f"履职记录{records}条，其中业务系统自动记录{automatic}条。"
        )
    return "\n".join(lines)


def public_summary_publish(
    *, actor: Any, year: int, confirmed: bool, today: dt.date | None = None
) -> PublicSummary:
    """Publish (or republish) the public summary of ``year``'s ledger on the portal.

    Only the bureau head (permission ``ledger.publish_publicsummary``), and only once the
    publication is confirmed (政府信息公开条例 art. 17: the organ's review before disclosure).
    The change log records who published what. Raises PermissionDenied or ValidationError.
    """
    if not is_user(actor):
        raise PermissionDenied("须由局领导发布")
    require(actor, "ledger.publish_publicsummary", "只有局领导可以发布履职情况公开摘要")
    today = today or timezone.localdate()
    if not 2000 <= int(year) <= today.year:
        raise ValidationError({"year": "只能公开本年度及以前年度的履职情况"})
    if not confirmed:
        raise ValidationError({"confirmed": "请确认已审核公开内容"})
    text = public_summary_text(int(year))
    with transaction.atomic(), acting(actor):
        summary, _ = PublicSummary.objects.update_or_create(
            year=int(year),
            defaults={"text": text, "published_at": timezone.now(), "published_by": actor},
        )
    return summary


def milestones_notify(*, today: dt.date, within: int | None = None) -> int:
    """Send each open milestone due by ``today`` + ``within`` days (overdue ones included) to
    the inbox of the staff member who answers for it (the milestone's, else the plan's).

    Set-based: one query for the milestones, one bulk insert (``core.notifications``, kind
    ``reminder``). The dedupe key (milestone, due day, due or overdue) makes a rerun or a
    second worker add nothing, and an overdue milestone is told once more when it passes its
    day. Returns how many notifications were added; a bulk change-log row counts them.
    """
    from django.urls import reverse

    from zeren.core.models import Notification
    from zeren.core.notifications import send_from_job
    from zeren.ledger.selectors import REMINDER_DAYS, milestones_open_by

    within = REMINDER_DAYS if within is None else within
    due = (
        milestones_open_by(today + dt.timedelta(days=within))
        .select_related("plan__work_item__duty")
        .order_by("due_on", "id")
    )
    rows = []
    for milestone in due:
        owner = milestone.responsible_id or milestone.plan.responsible_id
        if owner is None:
            continue
        overdue = milestone.due_on < today
        state = "已逾期" if overdue else "即将到期"
        rows.append(
            Notification(
                kind=Notification.Kind.REMINDER,
                recipient_id=owner,
                title=f"{milestone.plan.title}：节点“{milestone.title}”{state}"
                f"（期限 {milestone.due_on:%Y-%m-%d}）"[:300],
                link=reverse("ledger-plan", args=[milestone.plan_id]),
                due_on=milestone.due_on,
                dedupe_key=f"ledger-milestone:{milestone.pk}:{milestone.due_on:%Y%m%d}:"
                f"{'overdue' if overdue else 'due'}:{owner}",
            )
        )
    return send_from_job(
        rows,
        job="ledger.milestones_notify",
        actor="计划节点提醒任务",
        summary=f"计划节点提醒 {today:%Y-%m-%d}",
    )
