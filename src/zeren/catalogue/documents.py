"""The list as a plain document (the stable JSON shape), its validation and Excel form.

A document is validated whole before anything is written; every problem is reported with
its place (``services[3].phone`` or ``工作表“公共服务事项”第5行“联系电话”列``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from zeren.core.spreadsheets import cell_text as _cell_text

PART_NAMES = {
    "duties": "主要职责",
    "boundaries": "职责边界",
    "services": "公共服务事项",
    "regimes": "监管制度",
}

_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def clean_text(value: str) -> str:
    """Drop line breaks (and the blanks around them) left over from PDF or Excel cells."""
    return _BREAKS.sub("", value).strip()


@dataclass
class DocumentError(Exception):
    """A list document that cannot be imported; ``problems`` lists each place and why."""

    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "清单文件有误，未导入任何内容：\n" + "\n".join(f"- {p}" for p in self.problems)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def text(self, data: dict, key: str, place: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.problems.append(f"{place}.{key}：应为文本")
            return ""
        value = clean_text(value)
        if required and not value:
            self.problems.append(f"{place}.{key}：不能为空")
        return value

    def number(self, data: dict, key: str, place: str, seen: set[int]) -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problems.append(f"{place}.{key}：应为正整数")
            return 0
        if value in seen:
            self.problems.append(f"{place}.{key}：序号{value}重复")
        seen.add(value)
        return value

    def items(self, data: dict, key: str, place: str) -> list[dict]:
        value = data.get(key)
        if not isinstance(value, list):
            self.problems.append(f"{place}{key}：应为列表")
            return []
        good = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                good.append(item)
            else:
                self.problems.append(f"{place}{key}[{i}]：应为对象")
                good.append({})
        return good


def validate_document(data: Any, *, sections: set[str], departments: set[str]) -> dict[str, Any]:
    """Check a list document; return it cleaned, or raise DocumentError naming every problem.

    ``sections`` are the names of the owning department's sections, ``departments`` the short
    names of the departments a boundary may name.
    """
    c = _Checker()
    if not isinstance(data, dict):
        raise DocumentError(["文件顶层应为对象"])
    out: dict[str, Any] = {"department": c.text(data, "department", "")}
    out["department"] = out["department"]

    def section(item: dict, place: str) -> str:
        name = c.text(item, "section", place)
        if name and name not in sections:
            c.problems.append(f"{place}.section：未知科室“{name}”")
        return name

    seen: set[int] = set()
    out["duties"] = []
    for i, duty in enumerate(c.items(data, "duties", "")):
        place = f"duties[{i}]"
        work_items = []
        for j, item in enumerate(c.items(duty, "work_items", place + ".")):
            wplace = f"{place}.work_items[{j}]"
            work_items.append(
                {"text": c.text(item, "text", wplace), "section": section(item, wplace)}
            )
        if not work_items:
            c.problems.append(f"{place}.work_items：至少应有一项具体工作事项")
        out["duties"].append(
            {
                "number": c.number(duty, "number", place, seen),
                "text": c.text(duty, "text", place),
                "work_items": work_items,
            }
        )

    out["boundaries"] = []
    seen = set()
    for i, boundary in enumerate(c.items(data, "boundaries", "")):
        place = f"boundaries[{i}]"
        divisions = []
        for j, div in enumerate(c.items(boundary, "divisions", place + ".")):
            dplace = f"{place}.divisions[{j}]"
            dept = c.text(div, "department", dplace)
            if dept and dept not in departments:
                c.problems.append(f"{dplace}.department：未知部门“{dept}”")
            divisions.append({"department": dept, "duties": c.text(div, "duties", dplace)})
        if "number" in boundary:  # optional: boundaries are numbered by their order
            c.number(boundary, "number", place, seen)
        out["boundaries"].append(
            {
                "matter": c.text(boundary, "matter", place),
                "divisions": divisions,
                "basis": c.text(boundary, "basis", place, required=False),
                "cases": c.text(boundary, "cases", place, required=False),
            }
        )

    out["services"] = []
    seen = set()
    for i, service in enumerate(c.items(data, "services", "")):
        place = f"services[{i}]"
        phone = c.text(service, "phone", place)
        if phone and not re.fullmatch(r"[0-9()（）\-－、， ,]{5,40}", phone):
            c.problems.append(f"{place}.phone：电话号码“{phone}”格式不对")
        out["services"].append(
            {
                "number": c.number(service, "number", place, seen),
                "name": c.text(service, "name", place),
                "content": c.text(service, "content", place),
                "section": section(service, place),
                "phone": phone,
            }
        )

    out["regimes"] = []
    seen = set()
    for i, regime in enumerate(c.items(data, "regimes", "")):
        place = f"regimes[{i}]"
        parts = []
        for j, part in enumerate(c.items(regime, "sections", place + ".")):
            pplace = f"{place}.sections[{j}]"
            parts.append(
                {
                    "heading": c.text(part, "heading", pplace, required=False),
                    "text": c.text(part, "text", pplace),
                }
            )
        out["regimes"].append(
            {
                "number": c.number(regime, "number", place, seen),
                "title": c.text(regime, "title", place),
                "sections": parts,
            }
        )
    if c.problems:
        raise DocumentError(c.problems)
    return out


# --- Excel -------------------------------------------------------------------------------

SHEETS = {
    "duties": ("主要职责", ["序号", "主要职责", "具体工作事项", "责任科室"]),
    "boundaries": ("职责边界", ["序号", "管理事项", "相关部门", "职责分工", "相关依据", "案例"]),
    "services": ("公共服务事项", ["序号", "服务事项", "主要内容", "承办科室", "联系电话"]),
    "regimes": ("监管制度", ["序号", "名称", "条款标题", "内容"]),
}
INFO_SHEET = "说明"


def document_to_xlsx(
    doc: dict[str, Any], extra_sheets: Sequence[tuple[str, list[tuple[str, int]], list[list]]] = ()
) -> bytes:
    """One sheet per part, one row per work item / division / service / regime part.

    ``extra_sheets`` (title, [(column, width)], rows) are appended after the list's sheets,
    e.g. the services' guides; reading the workbook back ignores them.
    """
    from zeren.core import exports

    buffer = io.BytesIO()
    book = exports.workbook(buffer, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    info = book.add_worksheet(INFO_SHEET)
    info.set_column(0, 0, 12)
    info.set_column(1, 1, 60)
    for r, (k, v) in enumerate(
        [
            ("部门", doc["department"]),
            ("版本", doc.get("version", "")),
            ("发布时间", doc.get("published_at", "")),
        ]
    ):
        info.write(r, 0, k, head)
        info.write(r, 1, v, wrap)

    rows: dict[str, list[list[Any]]] = {
        "duties": [
            [d["number"], d["text"], w["text"], w["section"]]
            for d in doc["duties"]
            for w in d["work_items"]
        ],
        "boundaries": [
            [n, b["matter"], v["department"], v["duties"], b["basis"], b["cases"]]
            for n, b in enumerate(doc["boundaries"], start=1)
            for v in b["divisions"]
        ],
        "services": [
            [s["number"], s["name"], s["content"], s["section"], s["phone"]]
            for s in doc["services"]
        ],
        "regimes": [
            [r["number"], r["title"], p["heading"], p["text"]]
            for r in doc["regimes"]
            for p in r["sections"]
        ],
    }
    widths = {
        "duties": [6, 50, 40, 14],
        "boundaries": [6, 20, 14, 50, 40, 20],
        "services": [6, 28, 50, 14, 12],
        "regimes": [6, 28, 24, 80],
    }
    for key, (title, columns) in SHEETS.items():
        sheet = book.add_worksheet(title)
        sheet.freeze_panes(1, 0)
        for col, (name, width) in enumerate(zip(columns, widths[key], strict=True)):
            sheet.write(0, col, name, head)
            sheet.set_column(col, col, width)
        for r, row in enumerate(rows[key], start=1):
            for col, value in enumerate(row):
                sheet.write(r, col, value, wrap)
    for title, columns, extra_rows in extra_sheets:
        sheet = book.add_worksheet(title)
        sheet.freeze_panes(1, 0)
        for col, (name, width) in enumerate(columns):
            sheet.write(0, col, name, head)
            sheet.set_column(col, col, width)
        for r, row in enumerate(extra_rows, start=1):
            for col, value in enumerate(row):
                sheet.write(r, col, value, wrap)
    book.close()
    return buffer.getvalue()


def xlsx_to_document(content: bytes) -> dict[str, Any]:
    """Read a workbook made by :func:`document_to_xlsx` back into a document.

    Structural problems (missing sheet or column, bad number) raise DocumentError with the
    sheet, row and column; content rules are then checked by :func:`validate_document`.
    """
    from python_calamine import CalamineWorkbook

    from zeren.core.spreadsheets import UnreadableSpreadsheet, check_workbook

    try:
        check_workbook(content)
    except UnreadableSpreadsheet as exc:
        raise DocumentError([str(exc)]) from exc
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise DocumentError([f"无法读取Excel文件：{exc}"]) from exc
    problems: list[str] = []
    names = set(book.sheet_names)
    doc: dict[str, Any] = {"department": ""}
    if INFO_SHEET in names:
        for row in book.get_sheet_by_name(INFO_SHEET).to_python():
            if len(row) >= 2 and _cell_text(row[0]) == "部门":
                doc["department"] = _cell_text(row[1])
    else:
        problems.append(f"缺少工作表“{INFO_SHEET}”")

    def table(key: str) -> list[tuple[int, dict[str, str]]]:
        title, columns = SHEETS[key]
        if title not in names:
            problems.append(f"缺少工作表“{title}”")
            return []
        data = book.get_sheet_by_name(title).to_python()
        if not data:
            problems.append(f"工作表“{title}”为空")
            return []
        header = [_cell_text(h).strip() for h in data[0]]
        missing = [c for c in columns if c not in header]
        if missing:
            problems.append(f"工作表“{title}”缺少列：{'、'.join(missing)}")
            return []
        index = {c: header.index(c) for c in columns}
        out = []
        for r, row in enumerate(data[1:], start=2):
            cells = {c: _cell_text(row[i]) if i < len(row) else "" for c, i in index.items()}
            if not any(v.strip() for v in cells.values()):
                continue
            out.append((r, cells))
        return out

    def number(title: str, r: int, raw: str) -> int:
        try:
            value = int(raw)
            if value < 1:
                raise ValueError
            return value
        except ValueError:
            problems.append(f"工作表“{title}”第{r}行“序号”列：应为正整数，实际为“{raw}”")
            return 0

    duties: dict[int, dict[str, Any]] = {}
    for r, row in table("duties"):
        n = number("主要职责", r, row["序号"])
        duty = duties.setdefault(n, {"number": n, "text": row["主要职责"], "work_items": []})
        if row["主要职责"] and row["主要职责"] != duty["text"]:
            problems.append(f"工作表“主要职责”第{r}行“主要职责”列：同一序号的职责内容不一致")
        duty["work_items"].append({"text": row["具体工作事项"], "section": row["责任科室"]})
    doc["duties"] = list(duties.values())

    boundaries: dict[int, dict[str, Any]] = {}
    for r, row in table("boundaries"):
        n = number("职责边界", r, row["序号"])
        b = boundaries.setdefault(
            n,
            {
                "matter": row["管理事项"],
                "divisions": [],
                "basis": row["相关依据"],
                "cases": row["案例"],
            },
        )
        b["divisions"].append({"department": row["相关部门"], "duties": row["职责分工"]})
    doc["boundaries"] = list(boundaries.values())

    doc["services"] = [
        {
            "number": number("公共服务事项", r, row["序号"]),
            "name": row["服务事项"],
            "content": row["主要内容"],
            "section": row["承办科室"],
            "phone": row["联系电话"],
        }
        for r, row in table("services")
    ]
    regimes: dict[int, dict[str, Any]] = {}
    for r, row in table("regimes"):
        n = number("监管制度", r, row["序号"])
        reg = regimes.setdefault(n, {"number": n, "title": row["名称"], "sections": []})
        reg["sections"].append({"heading": row["条款标题"], "text": row["内容"]})
    doc["regimes"] = list(regimes.values())
    if problems:
        raise DocumentError(problems)
    return doc


def compare_documents(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed between two documents, part by part, keyed by each entry's number."""
    changes: list[dict[str, Any]] = []
    for part, label in PART_NAMES.items():
        before = {e.get("number", i + 1): e for i, e in enumerate(old.get(part, []))}
        after = {e.get("number", i + 1): e for i, e in enumerate(new.get(part, []))}
        for number in sorted(set(before) | set(after)):
            a, b = before.get(number), after.get(number)
            if a == b:
                continue
            kind = "added" if a is None else "removed" if b is None else "changed"
            fields = (
                sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
                if a is not None and b is not None
                else []
            )
            changes.append(
                {
                    "part": part,
                    "part_name": label,
                    "number": number,
                    "change": kind,
                    "fields": fields,
                    "before": a,
                    "after": b,
                }
            )
    return changes


def _entry_fields(part: str, entry: dict[str, Any] | None) -> dict[str, str]:
    """One entry of a part as ordered ``{Chinese label: text}`` (empty for a missing entry)."""
    if entry is None:
        return {}
    out: dict[str, str] = {}
    if part == "duties":
        out["主要职责"] = entry.get("text", "")
        for i, item in enumerate(entry.get("work_items", []), start=1):
            out[f"具体工作事项{i}"] = item.get("text", "")
            out[f"具体工作事项{i}的责任科室"] = item.get("section", "")
    elif part == "boundaries":
        out["管理事项"] = entry.get("matter", "")
        for div in entry.get("divisions", []):
            out[f"{div.get('department', '')}的职责分工"] = div.get("duties", "")
        out["相关依据"] = entry.get("basis", "")
        out["案例"] = entry.get("cases", "")
    elif part == "services":
        for key, label in (
            ("name", "服务事项"),
            ("content", "主要内容"),
            ("section", "承办科室"),
            ("phone", "联系电话"),
        ):
            out[label] = entry.get(key, "")
    elif part == "regimes":
        out["名称"] = entry.get("title", "")
        for i, sec in enumerate(entry.get("sections", []), start=1):
            out[f"第{i}部分标题"] = sec.get("heading", "")
            out[f"第{i}部分内容"] = sec.get("text", "")
    return out


def compare_fields(change: dict[str, Any]) -> list[dict[str, str]]:
    """One change of :func:`compare_documents`, field by field in Chinese.

    Returns ``[{"label", "before", "after", "kind"}]`` in the entry's order, ``kind`` being
    ``added`` (empty before), ``removed`` (empty after), ``changed`` or ``same``; a field empty
    in both versions is left out.
    """
    before = _entry_fields(change["part"], change["before"])
    after = _entry_fields(change["part"], change["after"])
    labels = list(before) + [k for k in after if k not in before]
    rows = []
    for label in labels:
        old, new = before.get(label, ""), after.get(label, "")
        if not old and not new:
            continue
        kind = "same" if old == new else "added" if not old else "removed" if not new else "changed"
        rows.append({"label": label, "before": old, "after": new, "kind": kind})
    return rows
