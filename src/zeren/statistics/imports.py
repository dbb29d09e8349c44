"""Birth registers from townships (出生登记): every row checked, all errors at once, whole or
nothing.

The first sheet's first row holds the column names (any order). The mother must already be a
registered person (相对人) the importer may see; her identity number is checked (GB 11643) and
looked up through its keyed hash, the same lookup as ``person_find_by_id_number`` done for a
whole chunk of rows at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from zeren.core import crypto
from zeren.core.audit import log_bulk
from zeren.core.facts import fact_date_problem
from zeren.core.spreadsheets import (
    ImportFailed,
    RowError,
    cell_date,
    find_header,
    read_sheet_or_fail,
)
from zeren.core.spreadsheets import cell_text as _text
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.people.rules import InvalidIdNumber, parse_id_number
from zeren.statistics.models import Birth, Sex
from zeren.statistics.services import acting, check_division, require

REQUIRED = ["母亲身份证号", "母亲姓名", "婴儿性别", "出生日期", "孩次", "乡镇", "村"]
OPTIONAL = ["来源"]
COLUMNS = REQUIRED + OPTIONAL
SEX_NAMES = {"男": Sex.MALE, "女": Sex.FEMALE}
MAX_ROWS = 200_000
MAX_ORDER = 20
CHUNK = 900


@dataclass
class ImportResult:
    rows: int
    by_township: dict[str, int] = field(default_factory=dict)


@dataclass
class _Row:
    number: int
    id_hash: str
    name: str
    sex: str
    birth_date: dt.date
    birth_order: int
    village: Division
    source: str
    mother_id: int | None = None


def _parse_date(value: Any) -> dt.date:
    day = cell_date(value)
    if day is None:
        raise ValueError("日期格式应为 2026-01-31")
    return day


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def validate(
    rows: list[list[Any]], *, actor: Any, today: dt.date
) -> tuple[list[_Row], list[RowError]]:
    """Check every row, then the mothers and duplicates against the database."""
    if not rows:
        return [], [RowError(1, "文件", "文件是空的")]
    try:
        at = find_header(rows, REQUIRED)
    except ImportFailed as exc:
        return [], exc.errors
    header = [_text(h) for h in rows[at]]
    index = {name: header.index(name) for name in COLUMNS if name in header}
    if len(rows) - 1 - at > MAX_ROWS:
        return [], [RowError(1, "文件", f"一次最多导入{MAX_ROWS}行")]
    tw = list(Division.objects.filter(level=Division.Level.TOWNSHIP))
    townships = {d.name: d for d in tw} | {d.code: d for d in tw}
    villages: dict[tuple[int, str], Division] = {}
    for v in Division.objects.filter(level=Division.Level.VILLAGE):
        villages[(v.parent_id, v.name)] = v
        villages[(v.parent_id, v.code)] = v

    errors: list[RowError] = []
    parsed: list[_Row] = []
    seen: dict[tuple[str, int], int] = {}
    for i, values in enumerate(rows[at + 1 :], start=at + 2):
        if not any(_text(v) for v in values):
            continue

        def cell(name: str, values: list[Any] = values) -> Any:
            pos = index.get(name)
            return values[pos] if pos is not None and pos < len(values) else None

        row_errors: list[RowError] = []

        def err(column: str, message: str, row: int = i, bucket: list = row_errors) -> None:
            bucket.append(RowError(row, column, message))

        for name in REQUIRED:
            if not _text(cell(name)):
                err(name, "不能为空")
        raw_id = cell("母亲身份证号")
        mother = None
        if isinstance(raw_id, float) and _text(raw_id):
            err("母亲身份证号", "请以文本格式填写（数字格式会丢失末几位）")
        elif _text(raw_id):
            try:
                mother = parse_id_number(_text(raw_id), today=today)
            except InvalidIdNumber as exc:
                err("母亲身份证号", str(exc))
            else:
                if mother.sex != "F":
                    err("母亲身份证号", "身份证号显示为男性，不能登记为母亲")
        sex_text = _text(cell("婴儿性别"))
        sex = SEX_NAMES.get(sex_text)
        if sex_text and sex is None:
            err("婴儿性别", "应为 男 或 女")
        birth_date = None
        if _text(cell("出生日期")):
            try:
                birth_date = _parse_date(cell("出生日期"))
            except ValueError as exc:
                err("出生日期", str(exc))
            else:
                if problem := fact_date_problem(birth_date, what="出生", today=today):
                    err("出生日期", problem)
                elif mother is not None and birth_date <= mother.birth_date:
                    err("出生日期", "不能早于母亲的出生日期")
        order = None
        order_text = _text(cell("孩次"))
        if order_text:
            if order_text.isdecimal() and 1 <= int(order_text) <= MAX_ORDER:
                order = int(order_text)
            else:
                err("孩次", f"应为1～{MAX_ORDER}的整数")
        township = townships.get(_text(cell("乡镇")))
        village = None
        if _text(cell("乡镇")) and township is None:
            err("乡镇", f"没有名为“{_text(cell('乡镇'))}”的乡镇")
        elif township is not None:
            try:
                check_division(actor, township)
            except PermissionDenied as exc:
                err("乡镇", str(exc))
            village = villages.get((township.pk, _text(cell("村"))))
            if _text(cell("村")) and village is None:
                err("村", f"{township.name}没有名为“{_text(cell('村'))}”的村")
        if mother is not None and order is not None:
            key = (mother.value, order)
            if key in seen:
                err("孩次", f"与第{seen[key]}行重复（同一母亲同一孩次）")
            else:
                seen[key] = i
        errors.extend(row_errors)
        if not row_errors:
            parsed.append(
                _Row(
                    number=i,
                    id_hash=crypto.blind_index(mother.value),
                    name=_text(cell("母亲姓名")),
                    sex=sex,
                    birth_date=birth_date,
                    birth_order=order,
                    village=village,
                    source=_text(cell("来源"))[:100],
                )
            )
    if not parsed and not errors:
        errors.append(RowError(at + 2, "文件", "没有数据行"))
    errors.extend(_check_against_database(parsed, actor))
    errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99))
    return parsed, errors


def _mothers(actor: Any):
    """Persons the importer may see (the system sees all)."""
    if getattr(actor, "is_authenticated", False):
        return Person.objects.restrict(actor, "view")
    return Person.objects.all()


def _check_against_database(parsed: list[_Row], actor: Any) -> list[RowError]:
    errors: list[RowError] = []
    for chunk in _chunks(parsed):
        found = {
            p.id_number_hash: (p.pk, p.name, p.sex)  # names are encrypted: read via the model
            for p in _mothers(actor)
            .filter(id_number_hash__in=[r.id_hash for r in chunk])
            .only("id_number_hash", "pk", "row_key", "name", "sex")
        }
        for r in chunk:
            if r.id_hash not in found:
                errors.append(RowError(r.number, "母亲身份证号", "母亲不是已登记的相对人"))
                continue
            pk, name, _sex = found[r.id_hash]
            r.mother_id = pk
            if name != r.name:
                errors.append(
                    RowError(r.number, "母亲姓名", f"与已登记人员的姓名不一致（已登记为{name}）")
                )
        known = [r for r in chunk if r.mother_id is not None]
        existing = set(
            Birth.objects.filter(mother_id__in=[r.mother_id for r in known]).values_list(
                "mother_id", "birth_order"
            )
        )
        for r in known:
            if (r.mother_id, r.birth_order) in existing:
                errors.append(RowError(r.number, "孩次", "该母亲的这一孩次已经登记"))
    return errors


def birth_import(*, actor: Any, content: bytes, today: dt.date | None = None) -> ImportResult:
    """Import a birth register whole, or raise :class:`ImportFailed` and change nothing."""
    require(actor, "statistics.import_birth", "无权导入出生登记")
    today = today or timezone.localdate()
    rows = read_sheet_or_fail(content)
    parsed, errors = validate(rows, actor=actor, today=today)
    if errors:
        raise ImportFailed(errors)
    by_township: dict[str, int] = {}
    births = []
    for r in parsed:
        code = r.village.path.rstrip("/").split("/")[-2]
        by_township[code] = by_township.get(code, 0) + 1
        births.append(
            Birth(
                mother_id=r.mother_id,
                sex=r.sex,
                birth_date=r.birth_date,
                birth_order=r.birth_order,
                township_id=r.village.parent_id,
                village=r.village,
                source=r.source or "导入",
            )
        )
    try:
        with transaction.atomic(), acting(actor):
            for chunk in _chunks(births, 2000):
                Birth.objects.bulk_create(chunk)
            log_bulk(
                Birth,
                f"导入出生登记 {len(births)} 条",
                {"rows": len(births), "by_township": by_township},
            )
    except IntegrityError as exc:  # another import of the same births committed meanwhile
        raise ImportFailed([RowError(1, "文件", "有出生登记刚被他人导入，请重新导入")]) from exc
    return ImportResult(len(births), by_township)
