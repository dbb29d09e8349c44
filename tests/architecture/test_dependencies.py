"""The apps' dependency graph is the one docs/architecture.md draws.

Every ``zeren.<app>`` import between two apps is read from the source (migrations aside) and
must be an edge of ``ALLOWED``: the app it may import and which of that app's modules. A new
edge fails this test until it is added here *and* to the graph in docs/architecture.md, so the
document cannot drift from the code.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import zeren

SRC = Path(zeren.__file__).parent
DOC = SRC.parent.parent / "docs" / "architecture.md"

# Framework glue any app may use: the command line's setup and errors, the API's base classes.
GLUE = {("cli", ""), ("api", "views")}

PUBLIC = {"models", "rules", "selectors", "services"}

# app -> {app it may import: the modules it may import ("*" = any)}
ALLOWED: dict[str, dict[str, set[str]]] = {
    # core refers to the organisation's models by late import (the user's department and
    # jurisdiction) and renders portal's share form from a template tag.
    "core": {"org": {"models"}, "portal": {"forms"}},
    # Deactivating a user revokes its API tokens (late import of accounts' model).
    "org": {"core": {"*"}, "demo": {""}, "accounts": {"models"}},
    # My account: password, second factor, API tokens; staff accounts are org's.
    "accounts": {"core": {"*"}, "org": {"models", "services"}},
    "people": {"core": {"*"}, "org": {"models"}},
    "catalogue": {"core": {"*"}, "org": {"models"}},
    "permits": {"core": {"*"}, "org": {"models"}, "people": PUBLIC | {"demo"}},
    "cases": {"core": {"*"}, "org": {"models", "selectors"}, "people": PUBLIC},
    "funds": {"core": {"*"}, "org": {"models"}, "people": PUBLIC},
    "certificates": {"core": {"*"}, "org": {"models"}, "people": PUBLIC},
    # supervision inspects what permits granted and revokes through permits' services.
    "supervision": {
        "core": {"*"},
        "org": {"models"},
        "people": PUBLIC,
        "permits": PUBLIC | {""},
        "catalogue": {"models"},
    },
    # statistics reads the other capabilities for the township assessment; nothing imports it
    # but the portal.
    "statistics": {
        "core": {"*"},
        "org": {"models"},
        "people": PUBLIC,
        "cases": PUBLIC,
        "funds": PUBLIC,
        "supervision": PUBLIC,
    },
    # publicservices places applications with the list's sections, reuses the report form's
    # receipt codes (supervision.rules) and checks agencies' staff against persons, permits and
    # cases (计生审查); its monthly status counts the certificates of services 10-12.
    "publicservices": {
        "core": {"*"},
        "catalogue": PUBLIC,
        "supervision": {"rules"},
        "people": PUBLIC,
        "permits": PUBLIC,
        "cases": PUBLIC,
        "certificates": PUBLIC,
    },
    # ledger follows the list (catalogue) and borrows statistics' period parser; the
    # capabilities it records are watched by model label, never imported.
    "ledger": {
        "core": {"*"},
        "org": {"models"},
        "catalogue": {"models"},
        "statistics": {"rules"},
    },
    # joint opens matters under the list's boundaries; it links the bureau's case, inspection
    # task and report by foreign key only (no import).
    "joint": {"core": {"*"}, "org": {"models"}, "catalogue": {"models"}},
    "portal": {
        "core": {"*"},
        "org": {"models"},
        "people": PUBLIC,
        "catalogue": PUBLIC | {"documents"},
        "cases": PUBLIC,
        "certificates": PUBLIC,
        "funds": PUBLIC,
        "statistics": PUBLIC,
        "supervision": PUBLIC,
        "publicservices": PUBLIC,
    },
    "api": {"core": {"*"}, "org": {"models"}, "people": PUBLIC, "catalogue": PUBLIC},
    # Top-level modules: the command line, the demo loader, the URL root.
    "cli": {"core": {"*"}, "org": PUBLIC, "catalogue": PUBLIC, "demo": {""}},
    "demo": {"core": {"*"}},
    "urls": {"core": {"registry"}, "portal": {""}},
    # The WSGI entry point refuses to start with keys that do not match the database's.
    "wsgi": {"core": {"keys"}},
}


def _owner(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def imports() -> dict[tuple[str, str], set[str]]:
    """``{(app, imported app): {imported module, ...}}`` for every cross-app import."""
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        source = _owner(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
                if node.module == "zeren":
                    names = [f"zeren.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] != "zeren" or len(parts) < 2 or parts[1] == source:
                    continue
                edges[(source, parts[1])].add(parts[2] if len(parts) > 2 else "")
    return edges


def test_every_cross_app_import_is_an_allowed_edge():
    wrong = []
    for (source, target), modules in sorted(imports().items()):
        for module in sorted(modules):
            if (target, module) in GLUE:
                continue
            allowed = ALLOWED.get(source, {}).get(target)
            if allowed is None or ("*" not in allowed and module not in allowed):
                wrong.append(f"{source} -> zeren.{target}.{module}".rstrip("."))
    assert not wrong, "imports outside the allowed graph (see docs/architecture.md):\n" + "\n".join(
        wrong
    )


def test_the_allowed_graph_has_no_unused_edge():
    """An edge nobody uses any more is removed here and from the document."""
    used = {(s, t) for (s, t), mods in imports().items() if not all((t, m) in GLUE for m in mods)}
    declared = {(s, t) for s, targets in ALLOWED.items() for t in targets}
    assert declared - used == set()


def test_the_document_draws_every_edge():
    text = DOC.read_text(encoding="utf-8")
    graph = text.split("<!-- dependency-graph -->")[1]
    for source, targets in ALLOWED.items():
        line = next((ln for ln in graph.splitlines() if ln.strip().startswith(f"{source} ")), None)
        assert line is not None, f"docs/architecture.md draws no line for {source}"
        for target in targets:
            assert target in line.split("──►", 1)[1], f"{source} ──► {target} is not drawn"
