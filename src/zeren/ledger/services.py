"""Every write of the ledger: automatic records, manual records (form and Excel), expectations."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zeren.catalogue.models import ListVersion, WorkItem
from zeren.core.audit import log_bulk
from zeren.core.permissions import acting, is_user, require
from zeren.core.spreadsheets import ImportFailed, RowError, cell_date, cell_text, read_sheet_or_fail
from zeren.ledger import seed
from zeren.ledger.models import EventMapping, Expectation, Kind, Record
from zeren.org.models import Department, Division

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
    relative = f"{ATTACHMENT_DIR}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"
    target = Path(settings.DATA_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return relative, name[:200]


def attachment_path(record: Record) -> Path | None:
    """Where a record's attachment lies (None without one)."""
    if not record.attachment:
        return None
    return Path(settings.DATA_DIR) / record.attachment


def _check_manual(
    *, work_item: WorkItem, date: dt.date, kind: str, summary: str, today: dt.date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if date > today:
        errors["date"] = "履职日期不能晚于今天"
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
