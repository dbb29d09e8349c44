"""Excel import of licences: every row validated first, then all written or none.

Problems name the row and the column (第5行“持证人身份证号”：……) and change nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zeren.core import crypto
from zeren.core.audit import acting_as, log_bulk
from zeren.core.facts import fact_date_problem
from zeren.core.permissions import actor_name
from zeren.core.spreadsheets import (
    ImportFailed,
    UnreadableSpreadsheet,
    find_header,
    read_sheet,
    template,
)
from zeren.core.spreadsheets import cell_date as _date
from zeren.core.spreadsheets import cell_text as _text
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.people.rules import InvalidIdNumber, normalise_id_text, parse_id_number
from zeren.permits.models import Permit, PermitEvent, PermitKind
from zeren.permits.rules import Status

COLUMNS = [
    "类别",
    "证号",
    "持证人身份证号",
    "配偶身份证号",
    "批准日期",
    "有效期起",
    "有效期止",
    "批准条件",
    "医疗机构",
]
REQUIRED = {"类别", "证号", "持证人身份证号", "批准日期", "有效期止"}
KIND_NAMES = {
    "再生育证": PermitKind.REBIRTH,
    "rebirth": PermitKind.REBIRTH,
    "终止妊娠批准": PermitKind.TERMINATION,
    "非医学需要终止妊娠手术批准": PermitKind.TERMINATION,
    "termination": PermitKind.TERMINATION,
}
MAX_ROWS = 20000


class ImportProblems(Exception):
    """The workbook cannot be imported; ``problems`` lists each with row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems[:20]))
        self.problems = problems


def template_xlsx() -> bytes:
    """An empty workbook with the expected columns and one example row."""
    example = [
        "再生育证",
        "隆再字2026001",
        "",
        "",
        "2026-01-05",
        "2026-01-05",
        "2027-01-04",
        "",
        "",
    ]
    return template("许可", COLUMNS, example)


def read_rows(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The data rows of the sheet to import, numbered as in the spreadsheet, by column name."""
    try:
        data = read_sheet(content)
    except UnreadableSpreadsheet as exc:
        raise ImportProblems([str(exc)]) from exc
    if not data:
        raise ImportProblems(["工作表为空"])
    try:
        at = find_header(data, sorted(REQUIRED, key=COLUMNS.index))
    except ImportFailed as exc:
        missing = [e.column for e in exc.errors if e.message == "缺少必填列"]
        if missing:
            where = exc.errors[0].row
            raise ImportProblems([f"第{where}行缺少列：{'、'.join(missing)}"]) from exc
        raise ImportProblems([str(e) for e in exc.errors]) from exc
    header = [_text(h) for h in data[at]]
    index = {c: header.index(c) for c in COLUMNS if c in header}
    rows = []
    for r, row in enumerate(data[at + 1 :], start=at + 2):
        cells = {c: (row[i] if i < len(row) else None) for c, i in index.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        rows.append((r, cells))
    if len(rows) > MAX_ROWS:
        raise ImportProblems([f"一次最多导入{MAX_ROWS}行，本文件有{len(rows)}行"])
    if not rows:
        raise ImportProblems(["没有数据行"])
    return rows


def _id_problem(value: str) -> str | None:
    try:
        parse_id_number(value)
    except InvalidIdNumber as exc:
        return str(exc)
    return None


def permits_import(*, actor: Any, content: bytes) -> int:
    """Import licences from the first sheet; persons must already be registered."""
    if (
        actor is not None
        and hasattr(actor, "has_perm")
        and not actor.has_perm("permits.import_permit")
    ):
        raise PermissionDenied("无权批量导入许可")
    rows = read_rows(content)
    problems: list[str] = []
    hashes: dict[str, str] = {}
    for _r, cells in rows:
        for col in ("持证人身份证号", "配偶身份证号"):
            value = normalise_id_text(_text(cells.get(col)))
            if value:
                hashes[value] = crypto.blind_index(value)
    persons = {
        p.id_number_hash: p
        for p in Person.objects.filter(id_number_hash__in=set(hashes.values())).select_related(
            "division"
        )
    }
    townships = {d.pk: d for d in Division.objects.filter(level=Division.Level.TOWNSHIP)}
    villages = {d.pk: d.parent_id for d in Division.objects.filter(level=Division.Level.VILLAGE)}
    jurisdiction = None
    if actor is not None and hasattr(actor, "jurisdiction") and not actor.is_superuser:
        jurisdiction = actor.jurisdiction
        if jurisdiction is None:
            raise PermissionDenied("您没有管辖范围，不能导入")
    numbers_in_file: dict[tuple[str, str], int] = {}
    pending: list[Permit] = []
    for r, cells in rows:

        def bad(col: str, message: str, r: int = r) -> None:
            problems.append(f"第{r}行“{col}”：{message}")

        kind = KIND_NAMES.get(_text(cells.get("类别")))
        if kind is None:
            bad("类别", "应为“再生育证”或“终止妊娠批准”")
        number = _text(cells.get("证号"))
        if not number:
            bad("证号", "不能为空")
        elif kind:
            key = (kind, number)
            if key in numbers_in_file:
                bad("证号", f"与第{numbers_in_file[key]}行重复")
            numbers_in_file[key] = r
        holder = spouse = None
        id_holder = normalise_id_text(_text(cells.get("持证人身份证号")))
        if not id_holder:
            bad("持证人身份证号", "不能为空")
        elif problem := _id_problem(id_holder):
            bad("持证人身份证号", problem)
        else:
            holder = persons.get(hashes[id_holder])
            if holder is None:
                bad("持证人身份证号", "该身份证号尚未登记为相对人，请先登记")
        id_spouse = normalise_id_text(_text(cells.get("配偶身份证号")))
        if id_spouse and (problem := _id_problem(id_spouse)):
            bad("配偶身份证号", problem)
        elif id_spouse:
            spouse = persons.get(hashes[id_spouse])
            if spouse is None:
                bad("配偶身份证号", "该身份证号尚未登记为相对人，请先登记")
            elif holder is not None and spouse.pk == holder.pk:
                bad("配偶身份证号", "不能与持证人相同")
        dates: dict[str, dt.date | None] = {}
        for col in ("批准日期", "有效期起", "有效期止"):
            try:
                dates[col] = _date(cells.get(col))
            except ValueError as exc:
                bad(col, str(exc))
                dates[col] = None
        for col in ("批准日期", "有效期止"):
            if dates[col] is None and _text(cells.get(col)) == "":
                bad(col, "不能为空")
        if dates["批准日期"] and (problem := fact_date_problem(dates["批准日期"], what="批准")):
            bad("批准日期", problem)
        valid_from = dates["有效期起"] or dates["批准日期"]
        if valid_from and dates["有效期止"] and dates["有效期止"] < valid_from:
            bad("有效期止", "不能早于有效期起")
        township = None
        if holder is not None:
            village = holder.division
            township_id = villages.get(village.pk) or (
                village.pk if village.pk in townships else None
            )
            township = townships.get(township_id) if township_id else None
            if township is None:
                bad("持证人身份证号", "持证人所在区划不在任何乡镇之内")
            elif jurisdiction is not None and not township.is_within(jurisdiction):
                bad("持证人身份证号", "持证人所在乡镇不在您的管辖范围内")
        if not problems and kind and holder and township and valid_from and dates["有效期止"]:
            pending.append(
                Permit(
                    kind=kind,
                    number=number,
                    holder=holder,
                    spouse=spouse,
                    township=township,
                    village=holder.division if holder.division_id in villages else None,
                    approval_date=dates["批准日期"],
                    valid_from=valid_from,
                    valid_to=dates["有效期止"],
                    conditions=_text(cells.get("批准条件")),
                    hospital=_text(cells.get("医疗机构")),
                    status=Status.GRANTED,
                )
            )
    existing = set()
    for kind in PermitKind.values:
        wanted = [n for (k, n) in numbers_in_file if k == kind]
        existing |= {
            (kind, n)
            for n in Permit.objects.filter(kind=kind, number__in=wanted).values_list(
                "number", flat=True
            )
        }
    for key in sorted(existing, key=lambda k: numbers_in_file[k]):
        problems.append(f"第{numbers_in_file[key]}行“证号”：证号“{key[1]}”已存在")
    if problems:
        raise ImportProblems(problems)
    name = actor_name(actor)
    with transaction.atomic(), acting_as(actor):
        created = Permit.objects.bulk_create(pending, batch_size=1000)
        PermitEvent.objects.bulk_create(
            [
                PermitEvent(
                    permit=p,
                    kind=PermitEvent.Kind.IMPORT,
                    to_status=Status.GRANTED,
                    effective_date=p.approval_date,
                    note="Excel 批量导入",
                    actor=actor if hasattr(actor, "has_perm") else None,
                    actor_name=name,
                )
                for p in created
            ],
            batch_size=1000,
        )
        log_bulk(Permit, f"Excel 导入许可 {len(created)} 件", {"count": len(created)})
    return len(created)
