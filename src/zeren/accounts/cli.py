"""``zeren token issue|list|revoke`` (API tokens) and ``zeren otp-reset`` from the command line."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("token", help="API 令牌：为用户签发、列出、吊销")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")

    i = verbs.add_parser("issue", help="为用户签发 API 令牌（只显示一次）")
    i.add_argument("--user", required=True, help="用户名")
    i.add_argument("--name", required=True, help="用途，例如“统计科月报脚本”")
    i.add_argument("--days", type=int, default=90, help="有效天数（1–365，默认 90）")
    i.add_argument("--read-only", action="store_true", help="只读令牌：只能查询")
    i.set_defaults(func=issue)

    ls = verbs.add_parser("list", help="列出用户的令牌（只显示开头）")
    ls.add_argument("--user", required=True, help="用户名")
    ls.set_defaults(func=list_)

    r = verbs.add_parser("revoke", help="吊销令牌")
    r.add_argument("key", help="令牌开头（见 zeren token list）")
    r.set_defaults(func=revoke)

    a = sub.add_parser(
        "otp-reset", help="为丢失手机和恢复码的用户重置双因素认证（下次登录重新绑定）"
    )
    a.add_argument("--user", required=True, help="用户名")
    a.set_defaults(func=otp_reset)


def _user(username: str):
    from zeren.cli import CommandError
    from zeren.org.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"没有用户“{username}”")
    return user


def issue(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from zeren.accounts.services import api_token_issue

    try:
        token, text = api_token_issue(
            actor=None,
            user=_user(args.user),
            name=args.name,
            days=args.days,
            read_only=args.read_only,
        )
    except ValidationError as exc:
        raise CommandError("；".join(exc.messages)) from exc
    kind = "只读" if token.read_only else "读写"
    print(f"已为 {args.user} 签发{kind}令牌“{token.name}”，到期 {token.expiry:%Y-%m-%d %H:%M}。")
    print("令牌（只显示这一次，服务器只保存摘要）：")
    print(text)


def list_(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    setup_django()
    from zeren.accounts.models import ApiToken

    for t in ApiToken.objects.filter(user=_user(args.user)):
        state = "已过期" if t.expired else f"到期 {t.expiry:%Y-%m-%d}"
        print(f"{t.token_key}\t{t.name}\t{'只读' if t.read_only else '读写'}\t{state}")


def revoke(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.accounts.models import ApiToken
    from zeren.accounts.services import api_token_revoke

    tokens = list(ApiToken.objects.filter(token_key=args.key))
    if len(tokens) != 1:
        raise CommandError(f"没有开头为“{args.key}”的令牌" if not tokens else "开头不唯一")
    api_token_revoke(actor=None, token=tokens[0])
    print(f"已吊销令牌 {args.key}（{tokens[0].name}）")


def otp_reset(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    setup_django()
    from zeren.accounts.services import second_factor_reset

    second_factor_reset(actor=None, user=_user(args.user))
    print(f"已重置 {args.user} 的双因素认证，该用户下次登录时重新绑定手机验证器。")
