"""``zeren joint status``."""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("joint", help="联合查处：职责边界事项的联合线索、部门任务和指标")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")
    s = verbs.add_parser("status", help="各联合查处事项的部门任务状态与各部门指标")
    s.add_argument("--format", choices=["json"], default="json")
    s.set_defaults(func=status)


def status(args: argparse.Namespace) -> None:
    from zeren.cli import setup_django

    setup_django()
    from django.utils import timezone

    from zeren.joint import selectors

    today = timezone.localdate()
    data = {
        "date": today.isoformat(),
        "matters": [
            {
                "id": m.pk,
                "boundary": m.boundary.matter,
                "kind": m.kind,
                "title": m.title,
                "opened_by": m.opened_by.short_name,
                "opened_on": m.opened_on.isoformat(),
                "status": m.status,
                "tasks": [
                    {
                        "department": t.department.short_name,
                        "due_on": t.due_on.isoformat(),
                        "status": t.status,
                        "overdue": t.overdue,
                    }
                    for t in tasks
                ],
            }
            for m, tasks in selectors.board(None, today)
        ],
        "departments": [i.as_json() for i in selectors.indicators(None, today)],
    }
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
