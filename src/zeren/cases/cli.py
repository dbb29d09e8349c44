"""``zeren cases``: late fees, a case's deadlines, documents and the case file."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式应为 YYYY-MM-DD") from exc


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise argparse.ArgumentTypeError(f"金额“{text}”不是数字") from exc
    if value <= 0 or not value.is_finite():
        raise argparse.ArgumentTypeError("金额应大于零")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cases", help="案件查处：滞纳金、期限、文书")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")

    f = verbs.add_parser("late-fee", help="计算滞纳金（社会抚养费）或加处罚款（罚款）")
    f.add_argument("--kind", choices=["fee", "fine"], required=True)
    f.add_argument("--principal", type=_amount, required=True, help="本金（元）")
    f.add_argument("--due", type=_date, required=True, help="缴纳期限 YYYY-MM-DD")
    f.add_argument("--on", type=_date, required=True, help="计算到哪一天 YYYY-MM-DD")
    f.set_defaults(func=late_fee)

    d = verbs.add_parser("deadlines", help="列出案件的各项期限及其依据")
    d.add_argument("case", help="案号或案件编号")
    d.add_argument("--format", choices=["json", "text"], default="text")
    d.add_argument("--today", type=_date, help="以哪一天判断红黄绿（默认今天）")
    d.set_defaults(func=deadlines)

    from zeren.cases.forms.spec import FORMS

    listing = "\n".join(f"  {code:<18}{form['title']}" for code, form in FORMS.items())
    w = verbs.add_parser(
        "document",
        help="导出案件的一份文书（.docx 或 PDF）",
        description="导出案件的一份文书。文书载有当事人完整身份证号，导出记入安全日志。",
        epilog=f"文书（--form）：\n{listing}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    w.add_argument("case", help="案号或案件编号")
    w.add_argument(
        "--form", required=True, choices=list(FORMS), metavar="FORM", help="文书代码，见下表"
    )
    w.add_argument("--format", choices=["docx", "pdf"], default="docx", help="格式（默认 docx）")
    w.add_argument("--sequence", type=int, help="卷内序号（同一种文书有多份时指定，默认最新一份）")
    w.add_argument("--output", "-o", required=True, help="输出文件")
    w.set_defaults(func=case_document)

    x = verbs.add_parser("file", help="导出整本案卷 PDF（目录、页码）")
    x.add_argument("case", help="案号或案件编号")
    x.add_argument("--output", "-o", required=True)
    x.set_defaults(func=case_file_pdf)


def late_fee(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from zeren.cases import rules, selectors

    try:
        book = selectors.rulebook(selectors.rule_set_in_force(args.due))
        result = rules.late_fee(
            kind=args.kind, principal=args.principal, due=args.due, on=args.on, book=book
        )
    except ValidationError as exc:
        raise CommandError(exc.messages[0]) from exc
    print(f"规则集：{book.name}")
    print(f"依据：{result.source}")
    print(f"计算：{result.arithmetic}")
    print(f"{result.amount:.2f}")


def _case(key: str):
    from zeren.cases.models import Case
    from zeren.cli import CommandError

    case = Case.objects.filter(number=key).first()
    if case is None and key.isdigit():
        case = Case.objects.filter(pk=int(key)).first()
    if case is None:
        raise CommandError(f"找不到案件“{key}”")
    return case


def deadlines(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    setup_django()
    from zeren.cases import selectors

    case = _case(args.case)
    doc = selectors.case_deadlines_document(case, args.today or dt.date.today())
    if args.format == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    print(f"{doc['case']} {doc['party']} · {doc['step_label']} · {doc['rule_set']['name']}")
    marks = {"green": "绿", "amber": "黄", "red": "红"}
    for d in doc["deadlines"]:
        due = d["due"] or "无法推算"
        done = f"（已于{d['done_on']}完成）" if d["done_on"] else ""
        print(f"[{marks[d['status']]}] {d['label']}：{due}{done}")
        print(f"    {d['arithmetic'] or d.get('error', '')}")
        print(f"    依据：{d['rule']}；{d['source']}")


def case_document(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.cases import documents

    case = _case(args.case)
    found = case.documents.filter(form=args.form)
    if args.sequence is not None:
        found = found.filter(sequence=args.sequence)
    doc = found.order_by("-sequence").first()
    if doc is None:
        title = documents.FORMS[args.form]["title"]
        raise CommandError(
            f"案件{case.number}没有{title}"
            + (f"（卷内序号{args.sequence}）" if args.sequence else "")
        )
    body = documents.document_file(doc, args.format, actor=None)
    Path(args.output).write_bytes(body)
    print(f"已导出{documents.document_name(doc)}到 {args.output}")


def case_file_pdf(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    setup_django()
    from zeren.cases import documents
    from zeren.core.models import SecurityEvent
    from zeren.core.security import log_event

    case = _case(args.case)
    Path(args.output).write_bytes(documents.case_file_pdf(case, actor=None))
    log_event(
        SecurityEvent.Kind.EXPORT,
        username="命令行",
        obj=case,
        detail={"what": "案卷PDF"},
    )
    print(f"已导出{case.number}案卷到 {args.output}")
