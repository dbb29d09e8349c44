"""``zeren list export`` and ``zeren list import``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="责任清单：导出、导入、发布")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")

    e = verbs.add_parser("export", help="导出已发布的责任清单")
    e.add_argument("--format", choices=["json", "xlsx"], default="json")
    e.add_argument("--version", type=int, help="版本号（默认最新发布版）")
    e.add_argument("--department", help="部门全称（默认本局）")
    e.add_argument("--output", "-o", help="输出文件（json 默认打印到屏幕；xlsx 必须指定）")
    e.set_defaults(func=export)

    i = verbs.add_parser(
        "import", help="把清单文件（json 或 xlsx）导入为草稿，整体校验，出错不改动"
    )
    i.add_argument("file")
    i.add_argument("--publish", action="store_true", help="导入后立即发布为新版本")
    i.add_argument("--summary", default="", help="发布时的修订说明")
    i.set_defaults(func=import_)

    c = verbs.add_parser(
        "check-law",
        help="列出已发布清单与现行法律不一致之处（清单不作改动）",
        description="对照现行法律检查已发布的责任清单：列出不一致的原文位置、法律规定、"
        "系统实际适用的规则及其依据。清单原文不作任何改动。",
    )
    c.add_argument("--version", type=int, help="版本号（默认最新发布版）")
    c.add_argument("--department", help="部门全称（默认本局）")
    c.add_argument("--format", choices=["json", "text"], default="text")
    c.set_defaults(func=check_law)


def _department(name: str | None):
    from zeren.catalogue.documents import DocumentError
    from zeren.catalogue.services import bureau_by_name
    from zeren.cli import CommandError
    from zeren.org.models import Department

    if name:
        try:
            return bureau_by_name(name)
        except DocumentError as exc:
            raise CommandError(exc.problems[0]) from exc
    department = Department.objects.filter(kind=Department.Kind.BUREAU).order_by("code").first()
    if department is None:
        raise CommandError("尚未初始化：请先运行 zeren init")
    return department


def export(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.catalogue.documents import document_to_xlsx
    from zeren.catalogue.selectors import published_versions, version_document
    from zeren.core.models import SecurityEvent
    from zeren.core.security import log_event

    department = _department(args.department)
    versions = published_versions(department.pk)
    version = versions.filter(number=args.version).first() if args.version else versions.first()
    if version is None:
        raise CommandError(f"没有第{args.version}版" if args.version else "还没有已发布的版本")
    doc = version_document(version)
    log_event(
        SecurityEvent.Kind.EXPORT,
        username="命令行",
        detail={
            "what": "责任清单",
            "version": version.number,
            "format": args.format,
            "rows": sum(len(v) for v in doc.values() if isinstance(v, list)),
        },
    )
    if args.format == "json":
        text = json.dumps(doc, ensure_ascii=False, indent=2)
        if args.output:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
            print(f"已导出第{version.number}版到 {args.output}", file=sys.stderr)
        else:
            print(text)
        return
    if not args.output:
        raise CommandError("xlsx 格式请用 --output 指定文件")
    Path(args.output).write_bytes(document_to_xlsx(doc))
    print(f"已导出第{version.number}版到 {args.output}", file=sys.stderr)


def import_(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from zeren.catalogue.documents import DocumentError, xlsx_to_document
    from zeren.catalogue.services import list_import, list_publish
    from zeren.core.audit import acting_as

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"找不到文件 {path}")
    if args.publish and not args.summary.strip():
        raise CommandError("发布时请用 --summary 填写修订说明")
    try:
        if path.suffix.lower() == ".xlsx":
            data = xlsx_to_document(path.read_bytes())
        else:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise DocumentError(
                    [f"第{exc.lineno}行第{exc.colno}列：JSON 格式错误（{exc.msg}）"]
                ) from exc
            except UnicodeDecodeError as exc:
                raise DocumentError(["文件不是 UTF-8 编码的文本"]) from exc
        with transaction.atomic(), acting_as("命令行"):
            draft = list_import(actor=None, data=data)
            if args.publish:
                draft = list_publish(actor=None, version=draft, summary=args.summary)
    except DocumentError as exc:
        raise CommandError(str(exc)) from exc
    except ValidationError as exc:
        raise CommandError("；".join(exc.messages)) from exc
    if args.publish:
        print(f"已导入并发布为第{draft.number}版")
    else:
        print("已导入为草稿（尚未发布）")


def check_law(args: argparse.Namespace) -> None:
    from zeren.cli import CommandError, setup_django

    setup_django()
    from zeren.catalogue.selectors import check_law as conflicts_of
    from zeren.catalogue.selectors import published_versions

    department = _department(args.department)
    versions = published_versions(department.pk)
    version = versions.filter(number=args.version).first() if args.version else versions.first()
    if version is None:
        raise CommandError("没有找到该版本的已发布清单")
    doc = conflicts_of(version)
    if args.format == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    print(f"责任清单第{doc['version']}版与现行法律不一致之处：{len(doc['conflicts'])}项")
    for n, conflict in enumerate(doc["conflicts"], start=1):
        print(f"{n}. {conflict['title']}")
        for place in conflict["places"]:
            print(f"   清单（{place['regime_title']} {place['heading']}）：{place['list_text']}")
            print(f"   法律：{place['law']}")
        print(f"   系统适用：{conflict['applied']}")
        print(f"   依据：{conflict['source']}")
