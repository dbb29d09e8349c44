"""Township spreadsheets of beneficiaries: every row checked, all errors at once, whole or
nothing.

The first sheet's first row holds the column names (any order). Every problem is reported
with its row (as numbered in the spreadsheet) and column; a copy of the sheet with an added
error column can be downloaded. Nothing is written unless every row is valid.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zeren.core import crypto, exports
from zeren.core.audit import log_bulk
from zeren.core.facts import fact_date_problem
from zeren.core.spreadsheets import (
    ImportFailed,
    RowError,
    cell_date,
    error_copy,
    find_header,
    read_sheet_or_fail,
)
from zeren.core.spreadsheets import cell_text as _text
from zeren.funds import rules
from zeren.funds.models import Beneficiary, Kind, Residence
from zeren.funds.services import _chunks, acting, check_division, load_rates, require
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.people.rules import InvalidIdNumber, parse_id_number

REQUIRED = [
    "姓名",
    "身份证号",
    "扶助类别",
    "城乡",
    "乡镇",
    "村",
    "享受起始日期",
    "开户银行",
    "银行账号",
    "标准金额",
]
OPTIONAL = ["联系电话", "资格条件"]
COLUMNS = REQUIRED + OPTIONAL

KIND_NAMES = {
    "奖励扶助": Kind.REWARD,
    "特别扶助（子女死亡）": Kind.SPECIAL_DEATH,
    "特别扶助（子女伤残）": Kind.SPECIAL_DISABILITY,
    "特扶死亡": Kind.SPECIAL_DEATH,
    "特扶伤残": Kind.SPECIAL_DISABILITY,
}
RESIDENCE_NAMES = {"城镇": Residence.URBAN, "农村": Residence.RURAL}
MAX_ROWS = 200_000


@dataclass
class ImportResult:
    rows: int
    persons_created: int
    beneficiaries: int
    by_township: dict[str, int] = field(default_factory=dict)


def _normalise_kind(text: str) -> str:
    return text.replace("(", "（").replace(")", "）").replace(" ", "")


def _parse_date(value: Any) -> dt.date:
    day = cell_date(value, month_only=True)
    if day is None:
        raise ValueError("日期格式应为 2026-01-01 或 2026年1月")
    return day


def read_sheet(content: bytes) -> list[list[Any]]:
    """All rows of the sheet to import (the active visible one), title rows included."""
    return read_sheet_or_fail(content)


def error_sheet(rows: list[list[Any]], errors: list[RowError]) -> bytes:
    """The sheet as uploaded, with an error column saying what is wrong in each row."""
    return error_copy(rows, errors)


@dataclass
class _Row:
    number: int
    name: str
    id_number: str
    id_hash: str
    birth_date: dt.date
    sex: str
    kind: str
    residence: str
    village: Division
    start_date: dt.date
    bank_name: str
    bank_account: str
    phone: str
    facts: str


def validate(
    rows: list[list[Any]], *, actor: Any, today: dt.date
) -> tuple[list[_Row], list[RowError]]:
    """Check every row; return the parsed rows and every error found."""
    errors: list[RowError] = []
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

    townships = {d.name: d for d in Division.objects.filter(level=Division.Level.TOWNSHIP)} | {
        d.code: d for d in Division.objects.filter(level=Division.Level.TOWNSHIP)
    }
    villages: dict[tuple[int, str], Division] = {}
    for v in Division.objects.filter(level=Division.Level.VILLAGE).select_related("parent"):
        villages[(v.parent_id, v.name)] = v
        villages[(v.parent_id, v.code)] = v
    rates = load_rates()
    standard_cache: dict[tuple[str, str], Decimal | None] = {}

    parsed: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    for i, values in enumerate(rows[at + 1 :], start=at + 2):
        if not any(_text(v) for v in values):
            continue  # blank lines are ignored

        def cell(name: str, values: list[Any] = values) -> Any:
            pos = index.get(name)
            return values[pos] if pos is not None and pos < len(values) else None

        row_errors: list[RowError] = []

        def err(column: str, message: str, row: int = i, bucket: list = row_errors) -> None:
            bucket.append(RowError(row, column, message))

        for name in REQUIRED:
            if not _text(cell(name)):
                err(name, "不能为空")
        name = _text(cell("姓名"))
        raw_id = cell("身份证号")
        id_parsed = None
        if isinstance(raw_id, float) and _text(raw_id):
            err("身份证号", "请以文本格式填写（数字格式会丢失末几位）")
        elif _text(raw_id):
            try:
                id_parsed = parse_id_number(_text(raw_id), today=today)
            except InvalidIdNumber as exc:
                err("身份证号", str(exc))
        kind_text = _normalise_kind(_text(cell("扶助类别")))
        kind = KIND_NAMES.get(kind_text)
        if kind_text and kind is None:
            err("扶助类别", "应为 奖励扶助、特别扶助（子女死亡）或 特别扶助（子女伤残）")
        residence_text = _text(cell("城乡"))
        residence = RESIDENCE_NAMES.get(residence_text)
        if residence_text and residence is None:
            err("城乡", "应为 城镇 或 农村")
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
        start_date = None
        if _text(cell("享受起始日期")):
            try:
                start_date = _parse_date(cell("享受起始日期"))
            except ValueError as exc:
                err("享受起始日期", str(exc))
            else:
                if problem := fact_date_problem(start_date, what="享受起始", today=today):
                    err("享受起始日期", problem)
                elif start_date.year < 2004:
                    err("享受起始日期", "不能早于2004年")
        raw_account = cell("银行账号")
        account = _text(raw_account).replace(" ", "")
        if isinstance(raw_account, float) and account:
            err("银行账号", "请以文本格式填写（数字格式会丢失末几位）")
        elif account and not (account.isdigit() and 8 <= len(account) <= 30):
            err("银行账号", "应为8-30位数字")
        amount_text = _text(cell("标准金额"))
        if amount_text:
            try:
                amount = Decimal(amount_text)
            except InvalidOperation:
                err("标准金额", "应为数字")
            else:
                if amount <= 0 or amount != amount.quantize(rules.CENT):
                    err("标准金额", "应为大于0、最多两位小数的金额")
                elif kind and residence:
                    key = (kind, residence)
                    if key not in standard_cache:
                        try:
                            per_month = rules.monthly_rate(
                                rates, kind, residence, rules.first_of_month(today)
                            )
                            standard_cache[key] = rules.money(
                                per_month * 12 if kind == Kind.REWARD else per_month
                            )
                        except rules.NoRate:
                            standard_cache[key] = None
                    expected = standard_cache[key]
                    unit = "年" if kind == Kind.REWARD else "月"
                    if expected is None:
                        err("标准金额", "没有适用的扶助标准")
                    elif amount != expected:
                        err("标准金额", f"与现行标准不符（应为{expected}元/{unit}）")
        phone = _text(cell("联系电话"))
        if phone and not re.fullmatch(r"[0-9\-]{7,20}", phone):
            err("联系电话", "格式不正确")
        if id_parsed is not None and kind is not None:
            key = (id_parsed.value, kind)
            if key in seen:
                err("身份证号", f"与第{seen[key]}行重复（同一人同一扶助类别）")
            else:
                seen[key] = i
        errors.extend(row_errors)
        if not row_errors:
            parsed.append(
                _Row(
                    number=i,
                    name=name,
                    id_number=id_parsed.value,
                    id_hash=crypto.blind_index(id_parsed.value),
                    birth_date=id_parsed.birth_date,
                    sex=id_parsed.sex,
                    kind=kind,
                    residence=residence,
                    village=village,
                    start_date=start_date,
                    bank_name=_text(cell("开户银行")),
                    bank_account=account,
                    phone=phone,
                    facts=_text(cell("资格条件")),
                )
            )
    if not parsed and not errors:
        errors.append(RowError(at + 2, "文件", "没有数据行"))
    errors.extend(_check_against_database(parsed))
    errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99))
    return parsed, errors


def _check_against_database(parsed: list[_Row]) -> list[RowError]:
    """Duplicates of registered beneficiaries, and names that differ from the registered person."""
    errors: list[RowError] = []
    for chunk in _chunks(parsed, 900):
        hashes = [r.id_hash for r in chunk]
        existing = set(
            Beneficiary.objects.filter(person__id_number_hash__in=hashes).values_list(
                "person__id_number_hash", "kind"
            )
        )
        names = {
            p.id_number_hash: p.name  # names are encrypted: read through the model
            for p in Person.objects.filter(id_number_hash__in=hashes).only(
                "id_number_hash", "row_key", "name"
            )
        }
        for r in chunk:
            if (r.id_hash, r.kind) in existing:
                errors.append(RowError(r.number, "身份证号", "该人员已登记为同类扶助对象"))
            registered = names.get(r.id_hash)
            if registered is not None and registered != r.name:
                errors.append(
                    RowError(r.number, "姓名", f"与已登记人员的姓名不一致（已登记为{registered}）")
                )
    return errors


def beneficiary_import(*, actor: Any, content: bytes, today: dt.date | None = None) -> ImportResult:
    """Import a township spreadsheet whole, or raise :class:`ImportFailed` and change nothing."""
    from django.utils import timezone

    require(actor, "funds.import_beneficiary", "无权导入扶助对象")
    today = today or timezone.localdate()
    rows = read_sheet(content)
    parsed, errors = validate(rows, actor=actor, today=today)
    if errors:
        raise ImportFailed(errors, error_sheet(rows, errors))
    with transaction.atomic(), acting(actor):
        person_ids: dict[str, int] = {}
        for chunk in _chunks([r.id_hash for r in parsed], 900):
            person_ids.update(
                Person.objects.filter(id_number_hash__in=chunk).values_list("id_number_hash", "pk")
            )
        new_people = []
        queued: set[str] = set()
        for r in parsed:
            if r.id_hash in person_ids or r.id_hash in queued:
                continue
            queued.add(r.id_hash)
            new_people.append(
                Person(
                    name=r.name,
                    id_number=r.id_number,
                    birth_date=r.birth_date,
                    sex=r.sex,
                    phone=r.phone,
                    address=f"{r.village.parent.name}{r.village.name}",
                    division=r.village,
                )
            )
        for chunk in _chunks(new_people):
            Person.objects.bulk_create(chunk)
        for p in new_people:
            person_ids[p.id_number_hash] = p.pk
        by_township: dict[str, int] = {}
        beneficiaries = []
        for r in parsed:
            by_township[r.village.parent.name] = by_township.get(r.village.parent.name, 0) + 1
            beneficiaries.append(
                Beneficiary(
                    person_id=person_ids[r.id_hash],
                    kind=r.kind,
                    residence=r.residence,
                    facts={"资格条件": r.facts} if r.facts else {},
                    start_date=r.start_date,
                    township_id=r.village.parent_id,
                    village=r.village,
                    bank_name=r.bank_name,
                    bank_account=r.bank_account,
                )
            )
        for chunk in _chunks(beneficiaries):
            Beneficiary.objects.bulk_create(chunk)
        log_bulk(
            Beneficiary,
            f"导入扶助对象 {len(beneficiaries)} 人（新登记相对人 {len(new_people)} 人）",
            {"rows": len(parsed), "persons": len(new_people), "by_township": by_township},
        )
    return ImportResult(len(parsed), len(new_people), len(beneficiaries), by_township)


def template_sheet() -> bytes:
    """An empty spreadsheet with the expected columns (text-formatted where it matters)."""
    out = io.BytesIO()
    book = exports.workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("扶助对象")
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    for c, name in enumerate(COLUMNS):
        sheet.write_string(0, c, name, bold)
        sheet.set_column(c, c, 16, text)
    book.close()
    return out.getvalue()
