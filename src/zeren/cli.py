"""The ``zeren`` command: serve, init, createadmin, demo, manage, and each app's verbs.

Apps add their own verbs with a ``cli.py`` module that defines ``register(subparsers)``,
found by ``zeren.core.registry`` (no list to edit).
"""

from __future__ import annotations

import argparse
import importlib
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# Verbs of the kernel kept outside an app's ``cli`` module; every app's ``cli`` module is
# found by ``zeren.core.registry``.
KERNEL_COMMANDS = ["zeren.core.roles_cli", "zeren.core.security_cli"]


def command_modules() -> list[str]:
    """Every module that adds verbs: each installed app's ``cli``, then the kernel's extras."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
    from zeren.core import registry

    return registry.module_names("cli") + KERNEL_COMMANDS


class CommandError(Exception):
    """A failure to report to the user in one clear line (exit status 2)."""


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
    import django

    django.setup()


def say(message: str) -> None:
    print(message, flush=True)


def system_actor() -> str:
    return "命令行"


def export_path(output: str | None, default_name: str) -> Path:
    """Where an export goes: ``output`` if given, else ``$ZEREN_DATA_DIR/exports/<name>``.

    Exports hold personal data; by default they never land in the working directory (which may
    be a source checkout). The exports folder is created mode 0700.
    """
    if output:
        return Path(output)
    from django.conf import settings

    folder = settings.DATA_DIR / "exports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / default_name


def cmd_init(args: argparse.Namespace) -> None:
    """Create or upgrade the database and load the organisation and the seed list."""
    setup_django()
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command

    from zeren.catalogue.services import list_load_seed
    from zeren.core.audit import acting_as
    from zeren.org.services import org_load_seed

    say("正在建立/升级数据库……")
    call_command("migrate", interactive=False, verbosity=0)
    from zeren.core.keys import check_keys, record_keys

    if record_keys():
        say("已在数据库中记录本套密钥的指纹（不含密钥本身）")
    try:
        check_keys()
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from exc
    with acting_as(system_actor()):
        created = org_load_seed()
        say(
            f"组织机构：新增区划 {created['divisions']} 个、部门 {created['departments']} 个、"
            f"科室 {created['sections']} 个"
        )
        version = list_load_seed()
    say("责任清单：已发布第1版" if version else "责任清单：已存在，未重复导入")
    _ensure_admin(print_existing=False)
    if getattr(args, "demo", False):
        cmd_demo(args)


def _ensure_admin(*, print_existing: bool) -> None:
    from zeren.org.models import User

    if User.objects.filter(is_superuser=True).exists():
        return
    username = os.environ.get("ZEREN_ADMIN_USERNAME", "admin")
    password = os.environ.get("ZEREN_ADMIN_PASSWORD")
    generated = password is None
    if generated:
        password = generate_password()
    _create_admin(username, password)
    if generated:
        say("=" * 60)
        say(f"已创建系统管理员  用户名：{username}  密码：{password}")
        say("此密码只显示这一次，请立即登录并修改。")
        say("=" * 60)
    else:
        say(f"已创建系统管理员 {username}（密码取自 ZEREN_ADMIN_PASSWORD）")


def _create_admin(username: str, password: str) -> None:
    from django.core.exceptions import ValidationError

    from zeren.core.audit import acting_as
    from zeren.core.roles import Role
    from zeren.org.models import Department
    from zeren.org.services import user_create

    bureau = Department.objects.filter(kind=Department.Kind.BUREAU).order_by("code").first()
    try:
        with acting_as(system_actor()):
            user_create(
                actor=None,
                username=username,
                password=password,
                name="系统管理员",
                role=Role.ADMIN,
                department=bureau,
                is_superuser=True,
            )
    except ValidationError as exc:
        raise CommandError(
            "；".join(m for msgs in exc.message_dict.values() for m in msgs)
        ) from exc


def generate_password() -> str:
    """A random password that meets the password policy (16 characters, four classes)."""
    import string

    from zeren.core.security import CharacterClassValidator

    alphabet = string.ascii_letters + string.digits + "-_.!"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        if CharacterClassValidator.classes(password) == 4:
            return password


def cmd_createadmin(args: argparse.Namespace) -> None:
    """Create an administrator (password from ZEREN_ADMIN_PASSWORD, or generated)."""
    setup_django()
    password = os.environ.get("ZEREN_ADMIN_PASSWORD") or generate_password()
    _create_admin(args.username, password)
    if "ZEREN_ADMIN_PASSWORD" not in os.environ:
        say(f"已创建系统管理员  用户名：{args.username}  密码：{password}（只显示这一次）")
    else:
        say(f"已创建系统管理员 {args.username}")


def _passphrase(args: argparse.Namespace, *, twice: bool) -> str:
    """The backup passphrase: --passphrase-file, ZEREN_BACKUP_PASSPHRASE, or typed (hidden)."""
    if getattr(args, "passphrase_file", None):
        return Path(args.passphrase_file).read_text(encoding="utf-8").strip()
    if os.environ.get("ZEREN_BACKUP_PASSPHRASE"):
        return os.environ["ZEREN_BACKUP_PASSPHRASE"]
    if not sys.stdin.isatty():
        raise CommandError("请用 ZEREN_BACKUP_PASSPHRASE 或 --passphrase-file 提供备份口令")
    import getpass

    first = getpass.getpass("备份口令：")
    if twice and getpass.getpass("再次输入备份口令：") != first:
        raise CommandError("两次输入的口令不一致")
    return first


def cmd_backup(args: argparse.Namespace) -> None:
    """Write an encrypted archive of the database and the keys."""
    setup_django()
    import datetime as dt

    from django.conf import settings

    from zeren.core.backup import BackupError, backup_create

    passphrase = _passphrase(args, twice=True)
    try:
        blob, manifest = backup_create(passphrase=passphrase)
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    if args.output:
        output = Path(args.output)
    else:
        folder = settings.DATA_DIR / "backups"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        output = folder / f"zeren-{dt.datetime.now():%Y%m%d-%H%M%S}.zbak"
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
    say(
        f"已备份数据库（{manifest['engine']}，{manifest['database']}）和密钥到 {output}"
        f"（{len(blob) // 1024} KB，已加密）。口令丢失则无法恢复，请另行妥善保管。"
    )


def cmd_restore(args: argparse.Namespace) -> None:
    """Restore the database and the keys from an archive made by ``zeren backup``."""
    setup_django()
    from django.conf import settings

    from zeren.core.backup import BackupError, backup_restore

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"找不到文件 {path}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CommandError("恢复将覆盖当前数据库和密钥，且不可撤销；确认请加 --yes")
        if input("恢复将覆盖当前数据库和密钥，且不可撤销。输入 yes 继续：").strip() != "yes":
            raise CommandError("已取消，未做任何改动")
    passphrase = _passphrase(args, twice=False)
    try:
        manifest = backup_restore(
            blob=path.read_bytes(), passphrase=passphrase, data_dir=settings.DATA_DIR
        )
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    say(
        f"已从 {path} 恢复数据库（{manifest['engine']}，备份于 {manifest['created']}）和密钥。"
        "请重新启动服务；如密钥来自环境变量，请同时更新环境变量。"
    )


def cmd_demo(args: argparse.Namespace) -> None:
    """Load deterministic demo data (idempotent)."""
    setup_django()
    from zeren.demo import load_demo

    load_demo(progress=say)


def cmd_manage(args: argparse.Namespace) -> None:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zeren manage", *args.rest])


def cmd_serve(args: argparse.Namespace) -> None:
    """Initialise if needed, then run gunicorn and the job consumer until interrupted."""
    cmd_init(args)
    from django.conf import settings
    from django.core.management import call_command

    _collect_static(call_command, settings)
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
    env["ZEREN_DATA_DIR"] = str(settings.DATA_DIR)
    consumer = subprocess.Popen(
        [sys.executable, "-m", "zeren.cli", "manage", "run_huey", "--quiet"], env=env
    )
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "zeren.wsgi:application",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ],
        env=env,
    )
    say(f"责任清单履职系统已启动：http://{args.host}:{args.port}/  （按 Ctrl+C 停止）")
    children = [web, consumer]

    def stop(*_: Any) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    if web.returncode not in (0, -signal.SIGTERM, None):
        raise CommandError(f"网页服务异常退出（{web.returncode}）")


def _collect_static(call_command: Any, settings: Any) -> None:
    """Collect (hash and compress) static files, only when their sources changed."""
    import hashlib

    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    stamp = settings.STATIC_ROOT / ".sources.sha256"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    say("正在整理静态文件……")
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest.hexdigest())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zeren", description="责任清单履职系统（Zeren）命令行")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("serve", help="初始化（如需要）并启动网页服务和后台任务")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p.add_argument("--workers", type=int, default=2, help="网页进程数（默认 2）")
    p.add_argument("--demo", action="store_true", help="同时载入演示数据")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("init", help="建立数据库，载入组织机构和责任清单")
    p.add_argument("--demo", action="store_true", help="同时载入演示数据")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("createadmin", help="创建系统管理员")
    p.add_argument("--username", default="admin")
    p.set_defaults(func=cmd_createadmin)

    p = sub.add_parser(
        "backup",
        help="备份数据库和密钥为加密文件（口令取自 ZEREN_BACKUP_PASSPHRASE、--passphrase-file 或输入）",
    )
    p.add_argument(
        "--output", "-o", help="输出文件（默认 $ZEREN_DATA_DIR/backups/zeren-时间.zbak）"
    )
    p.add_argument("--passphrase-file", help="从文件读取备份口令（至少12个字符）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="从 zeren backup 的加密文件恢复数据库和密钥（覆盖现有）")
    p.add_argument("file", help="备份文件")
    p.add_argument("--passphrase-file", help="从文件读取备份口令")
    p.add_argument("--yes", action="store_true", help="确认覆盖现有数据库和密钥")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("demo", help="载入演示数据（可重复执行）")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("manage", help="Django 管理命令", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)

    for module_name in command_modules():
        importlib.import_module(module_name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except CommandError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
