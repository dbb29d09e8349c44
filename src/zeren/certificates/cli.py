"""``zeren certificates verify NUMBER --name NAME`` and ``zeren certificates expire``."""

from __future__ import annotations

import argparse

from zeren.core.dates import cli_date


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("certificates", help="免费证件：核验、过期处理")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")

    v = verbs.add_parser("verify", help="按证号和持证人姓名核验证件状态（与公众核验页相同）")
    v.add_argument("number", help="证号，如 隆婚育〔2026〕00001")
    v.add_argument("--name", required=True, help="持证人姓名（夫妻持证的，任一方）")
    v.add_argument("--on", type=cli_date, help="按哪一天核验（YYYY-MM-DD，默认今天）")
    v.set_defaults(func=verify)

    e = verbs.add_parser("expire", help="把有效期已届满的流动人口婚育证明标为已过期")
    e.add_argument("--on", type=cli_date, help="以哪一天为准（YYYY-MM-DD，默认今天）")
    e.set_defaults(func=expire)


def verify(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.certificates.rules import PUBLIC_ANSWERS
    from zeren.certificates.services import certificate_verify

    if not args.number.strip() or not args.name.strip():
        raise CommandError("请提供证号和持证人姓名")
    code = certificate_verify(number=args.number, name=args.name, on=args.on)
    print(f"证号：{args.number.strip()}")
    print(f"{code} {PUBLIC_ANSWERS[code]}")


def expire(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    setup_django()
    from django.utils import timezone

    from zeren.certificates.services import certificates_expire

    on = args.on or timezone.localdate()
    count = certificates_expire(actor="命令行", on=on)
    print(f"已过期：{count} 份")
