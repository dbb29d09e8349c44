"""No number is taken as “the highest so far + 1” (issue 17, point 2).

Under concurrency two requests read the same highest number and both add one: the second
one's insert breaks the unique constraint (a 500) or, without one, a number is given twice.
Every numbered thing takes its number from ``core.sequences.next_value`` instead. This test
reads the source of every module and refuses an addition of a constant to anything derived
from a query (``Max``, ``aggregate``, ``count``, ``order_by``, ``first``/``last``/``latest``),
and reference numbers drawn at random (which collide).
"""

from __future__ import annotations

import ast
from pathlib import Path

import zeren

SOURCE = Path(zeren.__file__).parent
QUERY_CALLS = {"Max", "aggregate", "count", "order_by", "first", "last", "latest", "Count"}


def _modules() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts)


def _calls(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
    return names


def _is_constant_int(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int


def max_plus_one(tree: ast.AST) -> list[int]:
    """Line numbers of ``<query result> + <int>`` in ``tree``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            pairs = ((node.left, node.right), (node.right, node.left))
            for value, constant in pairs:
                if _is_constant_int(constant) and _calls(value) & QUERY_CALLS:
                    lines.append(node.lineno)
    return lines


def random_numbers(tree: ast.AST) -> list[int]:
    """Line numbers of numbers drawn with ``secrets.randbelow`` inside an f-string."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and "randbelow" in _calls(node):
            lines.append(node.lineno)
    return lines


def test_the_checks_recognise_what_they_forbid():
    bad = ast.parse(
        "n = (Case.objects.aggregate(m=Max('sequence'))['m'] or 0) + 1\n"
        "m = Report.objects.count() + 1\n"
        "k = 1 + Doc.objects.order_by('-number').first().number\n"
        "ref = f'JB{day:%Y%m%d}{secrets.randbelow(10**6):06d}'\n"
    )
    assert max_plus_one(bad) == [1, 2, 3]
    assert random_numbers(bad) == [4]
    good = ast.parse(
        "n = sequences.next_value(authority='a', kind='k', year=2026)\n"
        "page = int(request.GET.get('page', 1)) + 1\n"
    )
    assert max_plus_one(good) == [] and random_numbers(good) == []


def test_no_number_is_the_highest_plus_one_or_random():
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(SOURCE)
        found += [f"{rel}:{n} 最大值加一" for n in max_plus_one(tree)]
        found += [f"{rel}:{n} 随机编号" for n in random_numbers(tree)]
    assert found == [], "编号须取自 core.sequences.next_value：\n" + "\n".join(found)
