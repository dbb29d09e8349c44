"""``zeren roles``: the permission table as it is in force, for auditors and reviewers."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("roles", help="列出各角色的权限（审计、评审用）")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown")
    p.set_defaults(func=show)


def matrix() -> dict[str, dict[str, list[str]]]:
    """{app label: {permission: [roles that hold it]}} for every granted permission."""
    from zeren.core.roles import ROLE_PERMISSIONS, Role

    table: dict[str, dict[str, list[str]]] = {}
    for role in Role.values:
        for perm in ROLE_PERMISSIONS.get(role, ()):
            app, codename = perm.split(".", 1)
            table.setdefault(app, {}).setdefault(codename, []).append(role)
    return {app: dict(sorted(perms.items())) for app, perms in sorted(table.items())}


def show(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    setup_django()
    from zeren.core.roles import Role

    table = matrix()
    if args.format == "json":
        print(json.dumps(table, ensure_ascii=False, indent=2))
        return
    roles = list(Role)
    print("超级管理员（superuser）拥有全部权限，但任何人都不能修改或删除变更日志和安全日志。\n")
    for app, perms in table.items():
        print(f"## {app}\n")
        print("| 权限 | " + " | ".join(r.label for r in roles) + " |")
        print("|---|" + "---|" * len(roles))
        for codename, holders in perms.items():
            marks = " | ".join("✓" if r.value in holders else "" for r in roles)
            print(f"| `{codename}` | {marks} |")
        print()
