"""``zeren cases``: late fees, a case's deadlines, documents and the case file."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from zeren.core.dates import cli_date


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise argparse.ArgumentTypeError(f"金额“{text}”不是数字") from exc
    if value <= 0 or not value.is_finite():
        raise argparse.ArgumentTypeError("金额应大于零")
    return value


SERVICE_CHOICES = ("direct", "left", "post", "entrusted", "publication")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cases", help="案件查处：滞纳金、期限、文书")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")

    f = verbs.add_parser("late-fee", help="计算滞纳金（社会抚养费）或加处罚款（罚款）")
    f.add_argument("--kind", choices=["fee", "fine"], required=True)
    f.add_argument("--principal", type=_amount, required=True, help="本金（元）")
    f.add_argument("--due", type=cli_date, required=True, help="缴纳期限 YYYY-MM-DD")
    f.add_argument("--on", type=cli_date, required=True, help="计算到哪一天 YYYY-MM-DD")
    f.set_defaults(func=late_fee)

    d = verbs.add_parser("deadlines", help="列出案件的各项期限及其依据")
    d.add_argument("case", help="案号或案件编号")
    d.add_argument("--format", choices=["json", "text"], default="text")
    d.add_argument("--today", type=cli_date, help="以哪一天判断红黄绿（默认今天）")
    d.set_defaults(func=deadlines)

    c = verbs.add_parser(
        "clock",
        help="期限计算器：按输入的日期推算各项期限（与 deadlines 输出相同）",
        description="不建案件，按输入的日期推算时效、决定、听证、送达、缴纳、复议、诉讼和申请法院"
        "强制执行的期限；每项期限按其起算日选用当时有效的规则版本，逢节假日顺延；"
        "涉及未录入节假日安排的年份时显示“待定”。",
    )
    c.add_argument("--kind", choices=["penalty", "fee"], required=True, help="行政处罚或社会抚养费")
    c.add_argument("--filed-on", type=cli_date, required=True, help="立案日期 YYYY-MM-DD")
    c.add_argument(
        "--act-ended-on", type=cli_date, help="违法行为发生（或终了）日期，默认同立案日期"
    )
    c.add_argument(
        "--serious", action="store_true", help="涉及公民生命健康安全、金融安全且有危害后果"
    )
    c.add_argument("--notice-served-on", type=cli_date, help="告知书送达日期")
    c.add_argument("--hearing-on", type=cli_date, help="听证日期")
    c.add_argument("--decided-on", type=cli_date, help="决定日期")
    c.add_argument(
        "--served-on", type=cli_date, help="决定书送达日期（邮寄：回执日期；公告：发出公告日期）"
    )
    c.add_argument(
        "--service",
        choices=SERVICE_CHOICES,
        default="direct",
        help="送达方式：direct 直接、left 留置、post 邮寄、entrusted 委托、publication 公告",
    )
    c.add_argument("--reminder-served-on", type=cli_date, help="催告书送达日期")
    c.add_argument("--paid-off-on", type=cli_date, help="缴清日期")
    c.add_argument("--closed-on", type=cli_date, help="结案日期")
    c.add_argument("--today", type=cli_date, help="以哪一天判断红黄绿（默认今天）")
    c.add_argument("--format", choices=["json", "text"], default="text")
    c.set_defaults(func=clock)
    from zeren.cases.doc_templates.spec import FORMS

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
    if case is None and key.isdecimal():
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
    _print_deadlines(doc)


def _print_deadlines(doc: dict) -> None:
    marks = {"green": "绿", "amber": "黄", "red": "红"}
    for d in doc["deadlines"]:
        due = d["due"] or d.get("pending") or "无法推算"
        legal = f"（法定届满日{d['legal_due']}）" if d.get("legal_due") else ""
        earliest = f"（最早{d['earliest']}）" if d.get("earliest") else ""
        done = f"（已于{d['done_on']}完成）" if d["done_on"] else ""
        print(f"[{marks[d['status']]}] {d['label']}：{due}{legal}{earliest}{done}")
        print(f"    {d['arithmetic'] or d.get('error', '')}")
        if d.get("choice"):
            print(f"    选择：{d['choice']}")
        version = f"（{d['version']}）" if d.get("version") else ""
        print(f"    依据：{d['rule']}{version}；{d['source']}")


def clock(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from zeren.cases import selectors

    try:
        facts = selectors.clock_facts(
            kind=args.kind,
            filed_on=args.filed_on,
            act_ended_on=args.act_ended_on,
            serious=args.serious,
            notice_served_on=args.notice_served_on,
            hearing_on=args.hearing_on,
            decided_on=args.decided_on,
            served_on=args.served_on,
            service=args.service,
            reminder_served_on=args.reminder_served_on,
            paid_off_on=args.paid_off_on,
            closed_on=args.closed_on,
        )
    except ValidationError as exc:
        raise CommandError(exc.messages[0]) from exc
    try:
        doc = selectors.clock_document(facts, args.today or dt.date.today())
    except ValidationError as exc:
        raise CommandError(exc.messages[0]) from exc
    if args.format == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    print(f"期限计算 · {doc['rule_set']['name']}")
    _print_deadlines(doc)


def case_document(args: argparse.Namespace) -> None:
    from django.core.exceptions import ValidationError

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
    from zeren.core.models import SecurityEvent
    from zeren.core.security import log_event

    try:
        body = documents.document_file(doc, args.format, actor=None)
    except ValidationError as exc:
        raise CommandError("；".join(exc.messages)) from exc
    Path(args.output).write_bytes(body)
    log_event(
        SecurityEvent.Kind.EXPORT,
        username="命令行",
        obj=doc,
        detail={"what": "案件文书", "format": args.format, "rows": 1},
    )
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
        detail={"what": "案卷PDF", "rows": case.documents.count()},
    )
    print(f"已导出{case.number}案卷到 {args.output}")
