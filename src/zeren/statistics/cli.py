"""``zeren statistics srb``, ``zeren statistics import-births`` and ``zeren statistics assess``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("statistics", help="规划统计：出生人口性别比、出生登记导入、目标管理考核")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")

    s = verbs.add_parser("srb", help="各乡镇及全县出生人口性别比和预警级别")
    s.add_argument("--period", required=True, help="2026、2026-Q1 或 2026-01")
    s.add_argument("--format", choices=["json"], default="json")
    s.set_defaults(func=srb)

    i = verbs.add_parser("import-births", help="导入出生登记（Excel），整体校验，出错不改动")
    i.add_argument("file")
    i.set_defaults(func=import_births)

    a = verbs.add_parser("assess", help="乡镇目标管理考核得分与名次")
    a.add_argument("--year", type=int, required=True)
    a.add_argument("--format", choices=["json"], default="json")
    a.set_defaults(func=assess)


def _dump(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def srb(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.statistics import rules, selectors

    try:
        rows = selectors.indicator_rows(args.period)
    except rules.InvalidPeriod as exc:
        raise CommandError(str(exc)) from exc
    _dump(
        [
            {
                "township": r.division.code,
                "boys": r.boys,
                "girls": r.girls,
                "ratio": float(r.srb) if r.srb is not None else None,
                "level": r.srb_level,
            }
            for r in rows
        ]
    )


def import_births(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.core.audit import acting_as
    from zeren.statistics.imports import ImportFailed, birth_import

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"找不到文件 {path}")
    try:
        with acting_as("命令行"):
            result = birth_import(actor=None, content=path.read_bytes())
    except ImportFailed as exc:
        for error in exc.errors:
            print(str(error), file=sys.stderr)
        raise CommandError(f"共{len(exc.errors)}处错误，未导入任何数据") from exc
    print(f"已导入出生登记 {result.rows} 条")


def assess(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.statistics import selectors

    if selectors.scheme_for(args.year) is None:
        raise CommandError(f"没有{args.year}年的考核方案")
    _dump([c.as_json() for c in selectors.scorecards(args.year)])
