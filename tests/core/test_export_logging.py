"""Issue 10, point 3 and finding 9: every export leaves a security-log row with its row count.

The first test finds every export endpoint in the code (a view that answers with a file:
``Content-Disposition: attachment``, ``core.documents.attachment``, ``FileResponse``, or a
module's own download helper) and checks that it writes an ``export`` row whose detail has
``rows``; a new export without it fails here. The others call exports through the client
and compare the logged count with what the file holds."""

from __future__ import annotations

import ast
import io
import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.factories import person
from zeren.core.exports import xlsx_data_rows
from zeren.core.models import SecurityEvent

SRC = Path(__file__).resolve().parents[2] / "src" / "zeren"
MARKER_CALLS = {"attachment", "FileResponse"}

# Downloads that carry no recorded data (blank import templates): no export row needed.
EXEMPT = {
    "funds/views.py:import_template": "空白导入模板，不含任何记录",
    "permits/views.py:permit_import_view": "空白导入模板（?template=1），不含任何记录",
}


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _builds_a_file(fn: ast.FunctionDef, helpers: set[str]) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and _name(node) in MARKER_CALLS | helpers:
            return True
        if isinstance(node, ast.Constant) and "attachment;" in str(node.value):
            return True
    return False


def _logs_rows(fn: ast.FunctionDef, wrappers: set[str]) -> bool:
    """A ``log_event(...EXPORT, detail={..., "rows": ...})`` call, or a call of a module
    wrapper that does so with a ``rows`` argument."""
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        if _name(node) in wrappers:
            return True
        if _name(node) != "log_event" or not node.args:
            continue
        kind = node.args[0]
        if not (isinstance(kind, ast.Attribute) and kind.attr == "EXPORT"):
            continue
        for kw in node.keywords:
            if kw.arg == "detail" and isinstance(kw.value, ast.Dict):
                keys = {k.value for k in kw.value.keys if isinstance(k, ast.Constant)}
                if "rows" in keys:
                    return True
    return False


def export_endpoints() -> dict[str, bool]:
    """``{"app/module.py:function": logs its row count}`` for every export in the code."""
    found: dict[str, bool] = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if "migrations" in rel or rel in ("core/documents.py", "core/exports.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
        functions += [
            m
            for c in tree.body
            if isinstance(c, ast.ClassDef)
            for m in c.body
            if isinstance(m, ast.FunctionDef)
        ]
        helpers = {f.name for f in functions if f.name.startswith("_") and _builds_a_file(f, set())}
        wrappers = {
            f.name
            for f in functions
            if f.name.startswith("_")
            and _logs_rows(f, set())
            # passed the count, or builds the file itself and counts what it wrote
            and ("rows" in {a.arg for a in f.args.args} or _builds_a_file(f, set()))
        }
        for f in functions:
            if f.name.startswith("_") or not _builds_a_file(f, helpers):
                continue
            found[f"{rel}:{f.name}"] = _logs_rows(f, wrappers)
    return found


def test_every_export_endpoint_logs_its_row_count():
    endpoints = export_endpoints()
    # the discovery works: the known exports of several apps are among those found
    for known in (
        "portal/staff_views.py:person_export",
        "funds/views.py:batch_bank_file",
        "funds/views.py:platform_export",
        "statistics/views.py:dashboard",
        "supervision/views.py:dashboard",
        "cases/api.py:file_pdf",
        "ledger/views.py:report",
        "publicservices/views.py:public_letter",
    ):
        assert known in endpoints, known
    assert set(EXEMPT) <= set(endpoints), "an exemption names no export any more"
    missing = sorted(e for e, logged in endpoints.items() if not logged and e not in EXEMPT)
    assert missing == [], f"exports without a row count in the security log: {missing}"


def _last_export() -> SecurityEvent:
    return SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).latest("pk")


@pytest.mark.django_db
def test_the_persons_export_logs_the_rows_it_holds(staff_a, village_a):
    for name in ("甲", "乙", "丙"):
        person(actor=staff_a, division=village_a, name=name)
    response = login(staff_a).get("/staff/persons/export.xlsx")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    assert _last_export().detail["rows"] == len(sheet.to_python()) - 1 == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/staff/statistics/?format=xlsx&period=2026",
        "/staff/statistics/?format=json&period=2026",
        "/staff/statistics/assessment/?format=json&year=2026",
        "/staff/supervision/?format=json",
        "/staff/supervision/?format=xlsx",
        "/staff/funds/indicators.xlsx?year=2026",
    ],
)
def test_statistics_supervision_and_funds_exports_log_their_row_count(url, head, village_a):
    response = login(head).get(url)
    assert response.status_code == 200, url
    event = _last_export()
    assert event.actor == head and isinstance(event.detail["rows"], int)
    if "format=json" in url:
        assert event.detail["rows"] == len(json.loads(response.content))
    elif "funds" in url:
        assert event.detail["rows"] == xlsx_data_rows(response.content)
    else:
        assert event.detail["rows"] >= 1
