"""``zeren services status --period YYYY-MM [--format json|table]``."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("services", help="公共服务：办件与评价情况")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")
    s = verbs.add_parser(
        "status",
        help="按服务事项统计某月受理的办件：件数、已办结、逾期、平均评价（5=非常满意）",
    )
    s.add_argument("--period", required=True, help="受理月份，YYYY-MM，如 2026-11")
    s.add_argument("--format", choices=["json", "table"], default="table", help="输出格式")
    s.set_defaults(func=status)


def status(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.publicservices.selectors import services_status

    try:
        rows = services_status(args.period)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print("序号\t服务事项\t受理\t办结\t逾期\t评价")
    for r in rows:
        rating = "—" if r["rating"] is None else f"{r['rating']:.2f}"
        print(
            f"{r['number']}\t{r['name']}\t{r['applications']}\t{r['completed']}\t"
            f"{r['overdue']}\t{rating}"
        )
