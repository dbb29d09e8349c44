"""Every query parameter an API view reads is declared in the schema.

A parameter missing from the schema is one schemathesis never sends and a client never learns
of (``GET /api/cases/{id}/deadlines/?today=x`` was a 500 for that reason). This test reads each
API module: a view method that reads ``request.query_params`` (itself or through a module
helper it calls) must declare each name in its ``extend_schema(parameters=[...])``, as an
``OpenApiParameter("name", ...)`` or through the serializer that validates the query.
Filter-set fields are declared by django-filter's schema extension and are not read by hand.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import zeren

SRC = Path(zeren.__file__).parent
API_MODULES = sorted([*SRC.glob("*/api.py"), SRC / "api" / "views.py"])


def _reads(node: ast.AST) -> set[str]:
    """Names read from ``query_params`` in ``node``: literals, or ``Serializer:<Name>``."""
    names: set[str] = set()
    for n in ast.walk(node):
        if (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr in ("get", "getlist")
            and isinstance(n.func.value, ast.Attribute)
            and n.func.value.attr == "query_params"
            and n.args
            and isinstance(n.args[0], ast.Constant)
        ):
            names.add(n.args[0].value)
        if isinstance(n, ast.Subscript) and getattr(n.value, "attr", "") == "query_params":
            names.add(getattr(n.slice, "value", "?"))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
            for kw in n.keywords:
                if kw.arg == "data" and getattr(kw.value, "attr", "") == "query_params":
                    names.add(f"Serializer:{n.func.id}")
    return names


def _declared(method: ast.FunctionDef) -> set[str]:
    names: set[str] = set()
    for dec in method.decorator_list:
        if not (isinstance(dec, ast.Call) and getattr(dec.func, "id", "") == "extend_schema"):
            continue
        for kw in dec.keywords:
            if kw.arg != "parameters" or not isinstance(kw.value, ast.List):
                continue
            for p in kw.value.elts:
                if isinstance(p, ast.Call) and p.args and isinstance(p.args[0], ast.Constant):
                    names.add(p.args[0].value)
                elif isinstance(p, ast.Name):
                    names.add(f"Serializer:{p.id}")
    return names


def _undeclared(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    helpers = {f.name: _reads(f) for f in tree.body if isinstance(f, ast.FunctionDef) and _reads(f)}
    missing = []
    for cls in (c for c in tree.body if isinstance(c, ast.ClassDef)):
        for method in (m for m in cls.body if isinstance(m, ast.FunctionDef)):
            read = _reads(method)
            for call in ast.walk(method):
                if isinstance(call, ast.Call) and getattr(call.func, "id", "") in helpers:
                    read |= helpers[call.func.id]
            for name in sorted(read - _declared(method)):
                missing.append(f"{path.relative_to(SRC)} {cls.name}.{method.name}: {name}")
    return missing


def test_the_reader_finds_what_views_read():
    """The check is not vacuous: it sees the parameters the API is known to read."""
    found = {
        name
        for path in API_MODULES
        for cls in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(cls, ast.ClassDef)
        for name in _reads(cls)
    }
    assert {"today", "period", "year", "version", "Serializer:LateFeeQuerySerializer"} <= found


@pytest.mark.parametrize("path", API_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_query_parameter_is_declared(path):
    missing = _undeclared(path)
    assert not missing, "declare with extend_schema(parameters=[...]):\n" + "\n".join(missing)


@pytest.mark.django_db
def test_the_deadlines_day_is_in_the_schema(public):
    schema = public.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/cases/{id}/deadlines/"]["get"]
    today = next(p for p in operation["parameters"] if p["name"] == "today")
    assert today["in"] == "query" and today["schema"]["format"] == "date"
    late_fee = schema["paths"]["/api/cases/late-fee/"]["get"]
    assert {p["name"] for p in late_fee["parameters"]} >= {"kind", "principal", "due", "on"}
