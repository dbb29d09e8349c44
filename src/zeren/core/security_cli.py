"""``zeren audit`` (verify, archive), ``zeren keys`` (fingerprints, rotate), ``zeren doctor``."""

from __future__ import annotations

import argparse

from zeren.core.dates import cli_date


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="审计日志：校验防篡改链、归档过期日志")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")
    v = verbs.add_parser("verify", help="逐条校验变更日志和安全日志的校验链，指出第一条被改动的行")
    v.set_defaults(func=audit_verify)
    a = verbs.add_parser(
        "archive", help="把某日以前（须早于184天前）的日志导出为签名文件，然后从数据库移除"
    )
    a.add_argument("--before", required=True, type=cli_date, help="截止日期 YYYY-MM-DD（不含当日）")
    a.add_argument("--dir", default="", help="归档目录（默认：数据目录下的 archive/）")
    a.add_argument("--yes", action="store_true", help="不再询问，直接归档（不可撤销）")
    a.set_defaults(func=audit_archive)

    g = verbs.add_parser(
        "grants", help="打印 PostgreSQL 双角色授权语句：应用角色不拥有任何表，日志只能读和追加"
    )
    g.add_argument(
        "--app-role", default="zeren_app", help="应用连接数据库所用角色（默认 zeren_app）"
    )
    g.set_defaults(func=audit_grants)

    k = sub.add_parser("keys", help="密钥：查看指纹、轮换密钥")
    kverbs = k.add_subparsers(dest="verb", required=True, metavar="操作")
    f = kverbs.add_parser("fingerprints", help="显示本进程和数据库记录的密钥指纹")
    f.set_defaults(func=keys_fingerprints)

    r = kverbs.add_parser(
        "rotate",
        help="生成新密钥，分批重新加密全部个人信息并重算检索索引（可中断后续跑），完成后替换密钥",
    )
    r.add_argument("--batch", type=int, default=500, help="每批行数（默认 500）")
    r.add_argument("--yes", action="store_true", help="不再询问（请先停止全部网页和后台进程）")
    r.set_defaults(func=keys_rotate)

    d = sub.add_parser("doctor", help="检查密钥、日志触发器和校验链，说明发现的问题")
    d.set_defaults(func=doctor)


def audit_verify(args: argparse.Namespace) -> int:
    from zeren.cli import setup_django

    setup_django()
    from zeren.core.audit import verify_chain
    from zeren.core.models import ChangeLog, SecurityEvent

    failed = False
    for model in (ChangeLog, SecurityEvent):
        report = verify_chain(model)
        name = model._meta.verbose_name
        if report.ok:
            print(f"{name}：校验通过，共 {report.checked} 条")
        else:
            failed = True
            print(
                f"{name}：校验失败，第一条有问题的行 id={report.broken_id}"
                f"（链序号 {report.broken_seq}）：{report.reason}；此前 {report.checked} 条正常"
            )
    return 1 if failed else 0


def audit_archive(args: argparse.Namespace) -> None:
    from pathlib import Path

    from zeren.cli import CommandError, say, setup_django, system_actor

    setup_django()
    from django.conf import settings
    from django.core.exceptions import ValidationError

    from zeren.core.services import audit_archive as archive

    directory = Path(args.dir) if args.dir else settings.DATA_DIR / "archive"
    if not args.yes:
        answer = input(
            f"将把 {args.before:%Y-%m-%d} 以前的日志导出到 {directory} 并从数据库中移除，"
            "此操作不可撤销。确认请输入 yes："
        )
        if answer.strip().lower() != "yes":
            raise CommandError("已取消，未做任何改动")
    try:
        results = archive(actor=system_actor(), before=args.before, directory=directory)
    except ValidationError as exc:
        raise CommandError("；".join(exc.messages)) from exc
    for r in results:
        say(f"{r['log']}：归档 {r['rows']} 条 → {r['file']}（签名 {r['file'].name}.sig）")


LOG_TABLES = ("core_changelog", "core_securityevent")


def app_role_grants(role: str) -> list[str]:
    """SQL (run by the owner role after each ``zeren init``/migrate) giving the application's
    role what it needs and no more: it owns nothing, so it cannot drop or disable the logs'
    triggers (PostgreSQL lets only a table's owner ALTER it), and on the two logs it may only
    SELECT and INSERT (no UPDATE, DELETE or TRUNCATE, not even of archivable rows)."""
    import re

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ValueError("角色名只能包含小写字母、数字和下划线")
    logs = ", ".join(LOG_TABLES)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {logs} FROM {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE "
        f"ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]


def audit_grants(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError

    try:
        statements = app_role_grants(args.app_role)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    for statement in statements:
        print(statement + ";")


def keys_fingerprints(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    setup_django()
    from zeren.core import crypto
    from zeren.core.keys import KEY_NAMES
    from zeren.core.models import KeyFingerprint

    stored = dict(KeyFingerprint.objects.values_list("kind", "fingerprint"))
    for kind, mine in crypto.key_fingerprints().items():
        theirs = stored.get(kind, "（未记录）")
        mark = "一致" if theirs == mine else "不一致"
        print(f"{KEY_NAMES[kind]}：本进程 {mine[:16]}  数据库 {theirs[:16]}  {mark}")


def keys_rotate(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, say, setup_django, system_actor

    setup_django()
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from zeren.core.keys import check_keys, rotate_keys

    if args.batch < 1:
        raise CommandError("每批行数至少为 1")
    try:
        check_keys()
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from exc
    if not args.yes:
        answer = input(
            "轮换期间必须停止全部网页和后台进程；完成后旧密钥保存为 *.old，"
            "新密钥须复制到每台主机。确认请输入 yes："
        )
        if answer.strip().lower() != "yes":
            raise CommandError("已取消，未做任何改动")
    try:
        done = rotate_keys(
            actor=system_actor(), key_dir=settings.DATA_DIR / "keys", batch=args.batch, progress=say
        )
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from exc
    say(
        f"密钥已轮换：共重新加密 {sum(done.values())} 行。请把 keys/ 下的新密钥复制到其他主机后再启动服务。"
    )


def doctor(args: argparse.Namespace) -> int:
    """Checks that need the database; prints each finding and exits 1 if any is a problem."""
    from zeren.cli import setup_django

    setup_django()
    from django.db import connection

    from zeren.core.audit import verify_chain
    from zeren.core.keys import key_mismatches
    from zeren.core.models import ChangeLog, SecurityEvent

    problems: list[str] = []
    try:
        problems += key_mismatches()
    except Exception as exc:
        problems.append(f"密钥无法使用：{exc}")
    problems += [f"日志表 {t} 缺少只追加触发器 {n}" for t, n in missing_log_triggers(connection)]
    if not problems:
        for model in (ChangeLog, SecurityEvent):
            report = verify_chain(model)
            if not report.ok:
                problems.append(
                    f"{model._meta.verbose_name}校验链在 id={report.broken_id} 处断开："
                    f"{report.reason}（zeren audit verify）"
                )
    for problem in problems:
        print(f"问题：{problem}")
    if not problems:
        print("检查通过：密钥与数据库一致，日志触发器齐全，校验链完整")
    return 1 if problems else 0


LOG_TRIGGERS = {
    "postgresql": {
        "core_changelog": ("core_changelog_append_only", "core_changelog_no_truncate"),
        "core_securityevent": (
            "core_securityevent_append_only",
            "core_securityevent_no_truncate",
        ),
    },
    "sqlite": {
        "core_changelog": ("core_changelog_no_update", "core_changelog_no_delete"),
        "core_securityevent": ("core_securityevent_no_update", "core_securityevent_no_delete"),
    },
}


def missing_log_triggers(connection) -> list[tuple[str, str]]:
    """``[(table, trigger)]`` of the logs' guard triggers that are absent (or disabled on
    PostgreSQL)."""
    expected = LOG_TRIGGERS.get(connection.vendor, {})
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            return []
        present = {row[0] for row in cursor.fetchall()}
    return [(t, n) for t, names in expected.items() for n in names if n not in present]
