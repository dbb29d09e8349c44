"""Each shared idea is written once: the old private copies cannot come back.

The review that led to ``core.scope.townships_for`` found "the townships this user sees"
written eight times, with copies that already disagreed. This test reads the source and fails
on a new copy: a function about townships or visible divisions outside ``core.scope``, or a
jurisdiction path filter written by hand outside ``core``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import zeren

SRC = Path(zeren.__file__).parent
CORE = SRC / "core"


def _sources():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, path.read_text(encoding="utf-8")


def test_no_private_copy_of_townships_for():
    copies = []
    for path, text in _sources():
        if path == CORE / "scope.py":
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and re.search(
                r"townships|visible_divisions", node.name
            ):
                copies.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
    assert not copies, "use zeren.core.scope.townships_for / divisions_for:\n" + "\n".join(copies)


def test_no_hand_written_jurisdiction_filter_outside_core():
    pattern = re.compile(r"path__startswith=\w*\.?jurisdiction\.path|path__startswith=j\.path")
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path, text in _sources()
        if CORE not in path.parents
        for n, line in enumerate(text.splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not found, "filter by scope through zeren.core.scope:\n" + "\n".join(found)


PERMISSIONS = CORE / "permissions.py"


def _is_has_perm_refusal(node: ast.If) -> bool:
    """``if not x.has_perm(...) [or ...]: raise PermissionDenied(...)``: a hand-written check."""
    tests = node.test.values if isinstance(node.test, ast.BoolOp) else [node.test]
    refuses = any(
        isinstance(t, ast.UnaryOp)
        and isinstance(t.op, ast.Not)
        and isinstance(t.operand, ast.Call)
        and isinstance(t.operand.func, ast.Attribute)
        and t.operand.func.attr == "has_perm"
        for t in tests
    )
    first = node.body[0]
    raises = (
        isinstance(first, ast.Raise)
        and isinstance(first.exc, ast.Call)
        and getattr(first.exc.func, "id", "") == "PermissionDenied"
    )
    return refuses and raises


def test_no_private_require_wrapper():
    """Services check their actor through ``core.permissions.require``, never a local copy."""
    copies = []
    for path, text in _sources():
        if path == PERMISSIONS:
            continue
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef) and node.name in ("_require", "require"):
                copies.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
    assert not copies, "use zeren.core.permissions.require:\n" + "\n".join(copies)


def test_services_do_not_check_permissions_by_hand():
    found = []
    for path, text in _sources():
        if path.name != "services.py":
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.If) and _is_has_perm_refusal(node):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not found, "use zeren.core.permissions.require:\n" + "\n".join(found)


DATES = CORE / "dates.py"
DATE_HELPER = re.compile(r"^_(date|day|parse_date|date_or_today|today)$")
READS_INPUT = ("views.py", "api.py", "cli.py", "forms.py", "security_cli.py")


def test_no_private_date_parser():
    """Typed dates are read by ``core.dates`` (one set of forms, one Chinese message)."""
    copies = []
    for path, text in _sources():
        if path == DATES:
            continue
        if path.name == "imports.py":  # spreadsheet cells: core.spreadsheets.cell_date
            continue
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef) and DATE_HELPER.match(node.name):
                copies.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
        if path.name in READS_INPUT:
            copies += [
                f"{path.relative_to(SRC)}:{n} fromisoformat/strptime"
                for n, line in enumerate(text.splitlines(), start=1)
                if "fromisoformat(" in line or "strptime(" in line
            ]
    assert not copies, "use zeren.core.dates (parse_date, DateField, cli_date):\n" + "\n".join(
        copies
    )


def test_no_private_copy_of_show_refusal():
    """A service's refusal is put on a form by ``core.forms.show_refusal``."""
    copies = []
    for path, text in _sources():
        if path == CORE / "forms.py":
            continue
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef) and re.fullmatch(
                r"_(errors_to_form|form_errors|refusal_to_form)", node.name
            ):
                copies.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
    assert not copies, "use zeren.core.forms.show_refusal:\n" + "\n".join(copies)


def test_no_private_copy_of_actor_name_or_the_event_date_check():
    """The name an event records for its actor (``core.permissions.actor_name``) and the
    check that an event follows the object's last (``core.facts.check_after_last_event``)."""
    copies = []
    for path, text in _sources():
        if path in (PERMISSIONS, CORE / "facts.py"):
            continue
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef) and node.name == "actor_name":
                copies.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
        for n, line in enumerate(text.splitlines(), start=1):
            by_hand = "get_username() if" in line and 'else str(actor or "系统")' in line
            if by_hand or 'order_by("-effective_date").first()' in line:
                copies.append(f"{path.relative_to(SRC)}:{n}")
    assert not copies, "use core.permissions.actor_name / core.facts:\n" + "\n".join(copies)
