"""Files the funds app hands out or takes in: the bank file, the national-platform export,
notification letters, the indicator workbook and the outcome sheet of a campaign."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from zeren.core import exports
from zeren.core.documents import render_docx
from zeren.core.facts import fact_date_problem
from zeren.core.fields import mask_id_number
from zeren.core.money import yuan
from zeren.core.spreadsheets import ImportFailed, find_header
from zeren.funds import selectors
from zeren.funds.imports import RowError, _parse_date, _text, read_sheet
from zeren.funds.models import (
    Beneficiary,
    Campaign,
    PaymentBatch,
    PaymentLine,
    RecoveryEntry,
    Verification,
)
from zeren.funds.services import OutcomeRow

LETTER_TEMPLATE = Path(__file__).with_name("doc_templates") / "notification.docx"


def _csv(rows: Iterator[list[Any]]) -> bytes:
    return exports.csv_bytes(rows)  # every cell neutralised (formula injection)


BANK_COLUMNS = [
    "序号",
    "姓名",
    "身份证号",
    "开户银行",
    "银行账号",
    "金额（元）",
    "期间",
    "乡镇",
    "村",
]


def bank_file_lines(batch: PaymentBatch, user: Any = None) -> Any:
    """The payable lines of ``batch`` the bank file holds, within ``user``'s scope (all when
    ``user`` is None: the command line)."""
    manager = PaymentLine.objects if user is None else PaymentLine.objects.restrict(user, "view")
    return manager.filter(batch=batch, entry__in=["payment", "correction"]).filter(
        reversed_by__isnull=True
    )


def bank_file(batch: PaymentBatch, user: Any = None) -> bytes:
    """The workbook (.xlsx) for the paying bank: name, account and amount per payable line.

    Every cell but the amount is a text cell (number format ``@``, written as a string, so no
    cell is ever a formula), so Excel shows a 19-digit account number as typed instead of
    rounding it to 15 significant digits (6.22202E+18); the amount is a number with two
    decimals. The bank needs the full account to pay; the identity number stays masked. Lines
    are limited to ``user``'s scope (:func:`bank_file_lines`).
    """
    lines = (
        bank_file_lines(batch, user)
        .select_related("beneficiary__person", "beneficiary__township", "beneficiary__village")
        .order_by("beneficiary__township__code", "beneficiary__village__code", "id")
    )
    out = io.BytesIO()
    book = exports.workbook(out, {"strings_to_numbers": False})
    text = book.add_format({"num_format": "@"})
    head = book.add_format({"num_format": "@", "bold": True})
    money = book.add_format({"num_format": "0.00"})
    sheet = book.add_worksheet("代发明细")
    for c, name in enumerate(BANK_COLUMNS):
        sheet.write_string(0, c, name, head)
    for c, width in enumerate([6, 10, 20, 24, 24, 12, 12, 14, 14]):
        sheet.set_column(c, c, width, money if c == 5 else text)
    for n, line in enumerate(lines.iterator(chunk_size=2000), start=1):
        b = line.beneficiary
        values = [
            str(n),
            b.person.name,
            mask_id_number(b.person.id_number),
            b.bank_name,
            b.bank_account,
            None,
            batch.period_label,
            b.township.name,
            b.village.name,
        ]
        for c, value in enumerate(values):
            if c == 5:
                sheet.write_number(n, c, float(line.amount), money)
            else:
                sheet.write_string(n, c, value, text)
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def platform_file(*, year: int, user: Any = None) -> bytes:
    """The eligible of the year for the national management platform (full identity number,
    which the platform keys on), within ``user``'s scope (all when None: the command line)."""

    def rows() -> Iterator[list[Any]]:
        yield [
            "姓名",
            "身份证号",
            "性别",
            "出生日期",
            "扶助类别",
            "城乡",
            "乡镇",
            "村",
            "享受起始日期",
        ]
        for b in selectors.platform_rows(year=year, user=user).iterator(chunk_size=2000):
            p = b.person
            yield [
                p.name,
                p.id_number,
                p.get_sex_display(),
                p.birth_date.isoformat(),
                b.get_kind_display(),
                b.get_residence_display(),
                b.township.name,
                b.village.name,
                b.start_date.isoformat(),
            ]

    return _csv(rows())


FINDINGS = {
    "death": "扶助对象已死亡",
    "child_recovered": "伤残子女已康复",
    "deception": "存在隐瞒、欺骗等手段骗取扶助金的情况",
    "changed": "扶助条件已发生变化",
    "other": "不再符合扶助条件",
}


def letter_id_number(beneficiary: Beneficiary, *, actor: Any, request: Any = None) -> str:
    """The full ID number for a letter served on the beneficiary: a logged reveal.

    Raises ``PermissionDenied`` (logged) without ``people.reveal_person``; ``actor`` None is a
    command or job, logged as such.
    """
    from zeren.core.models import SecurityEvent
    from zeren.core.permissions import is_user
    from zeren.core.security import log_event
    from zeren.people.services import person_reveal

    what = f"《扶助资格核查结果告知书》{beneficiary.person.name}"
    person = beneficiary.person
    if is_user(actor):
        return person_reveal(
            actor=actor, person=person, request=request, document=what, fields=["id_number"]
        )["id_number"]
    log_event(
        SecurityEvent.Kind.REVEAL,
        username=str(actor or "系统"),
        obj=person,
        detail={"fields": ["id_number"], "document": what},
    )
    return person.id_number


def letter_context(beneficiary: Beneficiary, year: int, *, id_number: str) -> dict[str, Any]:
    """What the letter says; ``id_number`` from :func:`letter_id_number`, amounts in yuan."""
    b = beneficiary
    owed = sum(
        (e.amount if e.entry == "owed" else -e.amount)
        for e in RecoveryEntry.objects.filter(beneficiary=b)
    )
    terminated = b.status == Beneficiary.Status.TERMINATED
    effective = b.entitled_until + dt.timedelta(days=1) if b.entitled_until else b.status_date
    return {
        "number": f"{year}-{b.township.code}-{b.pk}",
        "name": b.person.name,
        "id_number": id_number,
        "year": year,
        "township": b.township.name,
        "village": b.village.name,
        "kind": b.get_kind_display(),
        "finding": FINDINGS.get(b.status_reason, "不再符合扶助条件")
        + (f"（{b.status_note}）" if b.status_note else ""),
        "status": "已终止" if terminated else "暂停，待进一步核实",
        "effective": f"{effective:%Y年%m月%d日}" if effective else "即日",
        "consequence": "停止发放扶助金" if terminated else "暂停发放扶助金",
        "recoverable": yuan(owed).figures if owed > 0 else "",
        "recoverable_capitals": yuan(owed).capitals if owed > 0 else "",
        "date": f"{timezone.localdate():%Y年%m月%d日}",
    }


def letter_docx(beneficiary: Beneficiary, year: int, *, actor: Any, request: Any = None) -> bytes:
    """The letter as .docx (A4, GB/T 9704 layout) with the full ID number (a logged reveal)."""
    id_number = letter_id_number(beneficiary, actor=actor, request=request)
    return render_docx(LETTER_TEMPLATE, letter_context(beneficiary, year, id_number=id_number))


def letters_zip(beneficiaries: Any, year: int, *, actor: Any, request: Any = None) -> bytes:
    """One letter per ineligible beneficiary, in one zip for the township."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for b in beneficiaries:
            zf.writestr(
                f"{b.village.name}-{b.person.name}-{b.pk}.docx",
                letter_docx(b, year, actor=actor, request=request),
            )
    return out.getvalue()


def indicators_xlsx(*, year: int, user: Any = None) -> bytes:
    out = io.BytesIO()
    book = exports.workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    pct = book.add_format({"num_format": "0.0%"})

    def table(name: str, header: list[str], rows: list[list[Any]]) -> None:
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, header, bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, float):
                    ws.write_number(r, c, value, pct)
                elif isinstance(value, Decimal):
                    ws.write_number(r, c, float(value))
                elif isinstance(value, (dt.date,)):
                    ws.write_string(r, c, value.isoformat())
                elif value is None:
                    ws.write_string(r, c, "")
                else:
                    ws.write(r, c, value)
        ws.set_column(0, len(header), 14)

    progress = selectors.campaign_progress(year=year, user=user)
    table(
        "核查进度",
        ["核查活动", "乡镇", "应核查", "已核查", "核查面", "期限", "逾期"],
        [
            [
                r["title"],
                r["township"],
                r["total"],
                r["done"],
                r["coverage"],
                r["deadline"],
                "是" if r["late"] else "",
            ]
            for r in progress
        ],
    )
    table(
        "资金到位率",
        ["乡镇", "已发放笔数", "已到位笔数", "到位率"],
        [
            [r["township"], r["lines"], r["confirmed"], r["rate"]]
            for r in selectors.payment_confirmation(year=year, user=user)
        ],
    )
    table(
        "追回情况",
        ["乡镇", "人数", "应追回", "已追回", "未追回"],
        [
            [r["township"], r["people"], r["owed"], r["repaid"], r["outstanding"]]
            for r in selectors.recoveries_outstanding(user=user)
        ],
    )
    table(
        "考核扣分",
        ["乡镇", "差错数", "扣分"],
        [
            [r["township"], r["errors"], r["points"]]
            for r in selectors.deductions(year=year, user=user)
        ],
    )
    book.close()
    return out.getvalue()


OUTCOME_COLUMNS = [
    "核查编号",
    "姓名",
    "身份证号",
    "村",
    "扶助类别",
    "核查结果",
    "方式",
    "死亡/变化日期",
    "说明",
]
OUTCOME_NAMES = {label: value for value, label in Verification.Outcome.choices}
METHOD_NAMES = {label: value for value, label in Verification.Method.choices}


def outcome_sheet(*, campaign: Campaign, verifications: Any) -> bytes:
    """The township's pending checks as a sheet to fill in and upload again."""
    out = io.BytesIO()
    book = exports.workbook(out, {"in_memory": True})
    ws = book.add_worksheet("核查结果")
    bold = book.add_format({"bold": True})
    ws.write_row(0, 0, OUTCOME_COLUMNS, bold)
    outcomes = list(OUTCOME_NAMES)
    methods = list(METHOD_NAMES)
    rows = verifications.select_related("beneficiary__person", "beneficiary__village").order_by(
        "beneficiary__village__code", "id"
    )
    r = 0
    for r, v in enumerate(rows.iterator(chunk_size=2000), start=1):
        b = v.beneficiary
        ws.write_number(r, 0, v.pk)
        ws.write_string(r, 1, b.person.name)
        ws.write_string(r, 2, mask_id_number(b.person.id_number))
        ws.write_string(r, 3, b.village.name)
        ws.write_string(r, 4, b.get_kind_display())
    if r:
        ws.data_validation(1, 5, r, 5, {"validate": "list", "source": outcomes})
        ws.data_validation(1, 6, r, 6, {"validate": "list", "source": methods})
    ws.set_column(0, 8, 14)
    ws.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def parse_outcome_sheet(content: bytes) -> tuple[list[OutcomeRow], list[RowError]]:
    """Rows with an outcome filled in; rows left blank are simply not yet done."""
    rows = read_sheet(content)
    errors: list[RowError] = []
    if not rows:
        return [], [RowError(1, "文件", "文件是空的")]
    try:
        at = find_header(rows, ("核查编号", "核查结果"))
    except ImportFailed as exc:
        return [], exc.errors
    header = [_text(h) for h in rows[at]]
    col = {name: header.index(name) for name in OUTCOME_COLUMNS if name in header}
    result: list[OutcomeRow] = []
    for i, values in enumerate(rows[at + 1 :], start=at + 2):

        def cell(name: str, values: list[Any] = values) -> Any:
            pos = col.get(name)
            return values[pos] if pos is not None and pos < len(values) else None

        outcome_text = _text(cell("核查结果"))
        if not outcome_text:
            continue
        ident = _text(cell("核查编号"))
        if not (ident.isascii() and ident.isdigit() and len(ident) <= 12):
            errors.append(RowError(i, "核查编号", "应为数字"))
            continue
        outcome = OUTCOME_NAMES.get(outcome_text)
        if outcome is None:
            errors.append(RowError(i, "核查结果", f"应为：{'、'.join(OUTCOME_NAMES)}"))
            continue
        method_text = _text(cell("方式"))
        method = METHOD_NAMES.get(method_text, "")
        if method_text and not method:
            errors.append(RowError(i, "方式", f"应为：{'、'.join(METHOD_NAMES)}"))
            continue
        event_date = None
        if _text(cell("死亡/变化日期")):
            try:
                event_date = _parse_date(cell("死亡/变化日期"))
            except ValueError as exc:
                errors.append(RowError(i, "死亡/变化日期", str(exc)))
                continue
            if problem := fact_date_problem(event_date, what="死亡/变化"):
                errors.append(RowError(i, "死亡/变化日期", problem))
                continue
        result.append(
            OutcomeRow(
                verification_id=int(ident),
                outcome=outcome,
                method=method,
                event_date=event_date,
                note=_text(cell("说明")),
                where=f"第{i}行",
            )
        )
    return result, errors
