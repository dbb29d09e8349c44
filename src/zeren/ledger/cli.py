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
