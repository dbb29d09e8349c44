"""``zeren ledger status`` and ``zeren ledger report``."""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ledger", help="履职台账：各具体工作事项的履职状态、年度履职情况报告")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")

    s = verbs.add_parser("status", help="某期间各具体工作事项的履职记录数与状态")
    s.add_argument("--period", required=True, help="2026、2026-Q1 或 2026-01")
    s.add_argument("--section", help="只看某科室，如 规划统计股")
    s.add_argument("--format", choices=["json"], default="json")
    s.set_defaults(func=status)

    r = verbs.add_parser("report", help="生成年度履职情况报告（.docx 或 .pdf，按文件扩展名）")
    r.add_argument("--year", type=int, required=True)
    r.add_argument("--output", required=True, help="输出文件，如 report-2026.docx 或 .pdf")
    r.set_defaults(func=report)

    x = verbs.add_parser("export", help="导出某年度履职台账（Excel）")
    x.add_argument("--year", type=int, required=True)
    x.add_argument("--output", required=True, help="输出文件，如 ledger-2026.xlsx")
    x.set_defaults(func=export)


def status(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.ledger import selectors

    try:
        period, rows = selectors.ledger_status(args.period, section=args.section)
    except selectors.InvalidPeriod as exc:
        raise CommandError(str(exc)) from exc
    if args.section and not rows:
        raise CommandError(f"清单中没有科室“{args.section}”负责的事项")
    json.dump(
        {"period": period.text, "items": [r.as_json() for r in rows]},
        sys.stdout,
        ensure_ascii=False,
        indent=2,
    )
    sys.stdout.write("\n")


def _write(path_text: str, suffixes: tuple[str, ...], make) -> None:
    from pathlib import Path

    from zeren.cli import CommandError, say

    path = Path(path_text)
    if path.suffix.lower() not in suffixes:
        raise CommandError("输出文件的扩展名应为 " + " 或 ".join(suffixes))
    if not path.parent.is_dir():
        raise CommandError(f"目录不存在：{path.parent}")
    path.write_bytes(make(path.suffix.lower()))
    say(f"已写入 {path}")


def _log_export(what: str, year: int, fmt: str) -> None:
    """The command line's export in the security log with its row count (items of the year)."""
    from zeren.core.models import SecurityEvent
    from zeren.core.security import log_event
    from zeren.ledger import selectors

    rows = len(selectors.ledger_status(str(year))[1])
    log_event(
        SecurityEvent.Kind.EXPORT,
        username="命令行",
        detail={"what": what, "year": year, "format": fmt, "rows": rows},
    )


def _year(year: int) -> None:
    from zeren.cli import CommandError
    from zeren.statistics.rules import FIRST_YEAR, LAST_YEAR

    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CommandError("年度应为四位数字，如 2026")


def report(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    _year(args.year)
    setup_django()
    from zeren.ledger import documents

    _write(
        args.output,
        (".docx", ".pdf"),
        lambda suffix: (
            documents.report_docx(args.year)
            if suffix == ".docx"
            else documents.report_pdf(args.year)
        ),
    )
    _log_export("履职台账", args.year, args.output.rsplit(".", 1)[-1].lower())


def export(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    _year(args.year)
    setup_django()
    from zeren.ledger import documents

    _write(args.output, (".xlsx",), lambda _suffix: documents.ledger_xlsx(args.year))
    _log_export("履职台账", args.year, "xlsx")
