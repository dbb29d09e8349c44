"""``zeren calendar``: working-day arithmetic on the holiday table."""

from __future__ import annotations

import argparse

from zeren.core.dates import cli_date


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calendar", help="工作日历：期限推算、已录入年度")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")

    a = verbs.add_parser("add", help="从某日起算（当日不计）加若干日、工作日或月")
    a.add_argument("--from", dest="start", required=True, type=cli_date, help="起算日 YYYY-MM-DD")
    amount = a.add_mutually_exclusive_group(required=True)
    amount.add_argument("--days", type=int, help="天数")
    amount.add_argument("--months", type=int, help="月数")
    a.add_argument("--working", action="store_true", help="按工作日计算（节假日不计）")
    a.add_argument(
        "--roll-forward", action="store_true", help="期满日为休息日的，顺延至下一个工作日"
    )
    a.set_defaults(func=add)

    y = verbs.add_parser("years", help="列出已录入节假日安排的年度")
    y.set_defaults(func=years)


def add(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from zeren.core import workdays

    if args.working and args.months is not None:
        raise CommandError("--working 只能与 --days 一起使用")
    n = args.days if args.days is not None else args.months
    if n < 0:
        raise CommandError("天数或月数不能为负")
    if args.months is not None:
        unit = workdays.MONTHS
    else:
        unit = workdays.WORKING_DAYS if args.working else workdays.DAYS
    try:
        result = workdays.within_after(args.start, n, unit, roll_forward=args.roll_forward)
    except ValidationError as exc:
        raise CommandError(exc.messages[0]) from exc
    print(result.arithmetic)
    print(f"{result.date:%Y-%m-%d}")


def years(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    setup_django()
    from zeren.core.models import CalendarYear

    for row in CalendarYear.objects.order_by("year"):
        print(f"{row.year}\t{row.source}")
