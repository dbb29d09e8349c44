"""``zeren funds import``, ``zeren funds campaign open|status``, ``zeren funds export-platform``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("funds", help="扶助资金：导入扶助对象、核查活动、国家平台导出")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")

    i = verbs.add_parser("import", help="导入乡镇扶助对象电子表格（整体校验，出错不改动）")
    i.add_argument("file")
    i.add_argument("--errors", help="出错时把带“错误”列的表格副本写到此文件")
    i.set_defaults(func=import_)

    c = verbs.add_parser("campaign", help="核查活动")
    cverbs = c.add_subparsers(dest="campaign_verb", required=True, metavar="操作")
    o = cverbs.add_parser("open", help="发起（或补充）年度核查，可重复执行")
    o.add_argument("--year", type=int, required=True)
    o.add_argument("--kind", choices=["full", "new", "payment"], required=True)
    o.set_defaults(func=campaign_open)
    s = cverbs.add_parser("status", help="各乡镇核查进度")
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--format", choices=["json", "text"], default="text")
    s.set_defaults(func=campaign_status)
    cl = cverbs.add_parser(
        "close", help="结束核查活动（全部登记结果后或完成期限过后；此后不能再登记结果）"
    )
    cl.add_argument("--id", type=int, required=True, help="核查活动编号（见 campaign status）")
    cl.set_defaults(func=campaign_close)

    e = verbs.add_parser("export-platform", help="标记并导出录入国家平台的符合条件人员")
    e.add_argument("--year", type=int, required=True)
    e.add_argument(
        "--output", "-o", help="输出文件（默认 $ZEREN_DATA_DIR/exports/platform-YYYY.csv）"
    )
    e.set_defaults(func=export_platform)


def _messages(exc) -> str:
    return "；".join(exc.messages)


def import_(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.core.audit import acting_as
    from zeren.funds.imports import ImportFailed, beneficiary_import

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"找不到文件 {path}")
    try:
        with acting_as("命令行"):
            result = beneficiary_import(actor=None, content=path.read_bytes())
    except ImportFailed as exc:
        for error in exc.errors:
            print(str(error), file=sys.stderr)
        if args.errors and exc.error_sheet:
            Path(args.errors).write_bytes(exc.error_sheet)
            print(f"带错误列的表格已写到 {args.errors}", file=sys.stderr)
        raise CommandError(f"共{len(exc.errors)}处错误，未导入任何数据") from exc
    parts = "、".join(f"{k} {v} 人" for k, v in result.by_township.items())
    print(
        f"已导入扶助对象 {result.beneficiaries} 人（新登记相对人 {result.persons_created} 人）：{parts}"
    )


def campaign_open(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from zeren.core.audit import acting_as
    from zeren.funds.services import campaign_open as open_

    try:
        with acting_as("命令行"):
            campaign, added = open_(actor=None, year=args.year, kind=args.kind)
    except ValidationError as exc:
        raise CommandError(_messages(exc)) from exc
    print(
        f"{campaign.title}：本次新增核查对象 {added} 人，共 {campaign.total} 人，"
        f"期限 {campaign.deadline}"
    )


def campaign_status(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    setup_django()
    from zeren.funds.selectors import campaign_status as status

    rows = status(year=args.year)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        print(f"{args.year}年尚未发起核查")
    for r in rows:
        cov = "—" if r["coverage"] is None else f"{r['coverage'] * 100:.1f}%"
        print(f"{r['township']}\t{r['kind']}\t{r['done']}/{r['total']}\t{cov}")


def export_platform(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, export_path, setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from zeren.core.audit import acting_as
    from zeren.core.models import SecurityEvent
    from zeren.core.security import log_event
    from zeren.funds.documents import platform_file
    from zeren.funds.selectors import platform_rows
    from zeren.funds.services import platform_mark

    try:
        with acting_as("命令行"):
            marked = platform_mark(actor=None, year=args.year)
    except ValidationError as exc:
        raise CommandError(_messages(exc)) from exc
    output = export_path(args.output, f"platform-{args.year}.csv")
    output.write_bytes(platform_file(year=args.year))
    log_event(
        SecurityEvent.Kind.EXPORT,
        username="命令行",
        detail={
            "what": "国家平台扶助对象",
            "year": args.year,
            "count": marked,
            "rows": platform_rows(year=args.year).count(),
        },
    )
    print(f"已标记并导出录入国家平台的扶助对象 {marked} 人到 {output}")


def campaign_close(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from zeren.core.audit import acting_as
    from zeren.funds import services
    from zeren.funds.models import Campaign

    campaign = Campaign.objects.filter(pk=args.id).first()
    if campaign is None:
        raise CommandError(f"没有编号为 {args.id} 的核查活动")
    try:
        with acting_as("命令行"):
            services.campaign_close(actor=None, campaign=campaign)
    except ValidationError as exc:
        raise CommandError(_messages(exc)) from exc
    print(f"“{campaign.title}”已结束")
