"""Deterministic demo data so a newcomer sees a living system.

Each capability adds a ``demo.py`` with ``load(rng, progress)``; steps run in order and are
idempotent (a step that finds its data present does nothing).
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable

DEMO_STEPS = [
    "zeren.org.demo",
    "zeren.people.demo",
    "zeren.permits.demo",
    "zeren.supervision.demo",
    "zeren.cases.demo",
    "zeren.funds.demo",
    "zeren.certificates.demo",
    "zeren.statistics.demo",
    "zeren.ledger.demo",
    "zeren.joint.demo",
]
DEMO_SEED = 20260101
DEMO_PASSWORD = "zeren-demo-2026"  # noqa: S105 (demo environments only, printed to the user)


def load_demo(progress: Callable[[str], None] = print) -> None:
    from zeren.core.audit import acting_as

    with acting_as("演示数据"):
        for module_name in DEMO_STEPS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name and module_name.startswith(exc.name):
                    continue
                raise
            module.load(random.Random(f"{DEMO_SEED}:{module_name}"), progress)
    progress(f"演示账号的密码均为：{DEMO_PASSWORD}（仅用于演示环境）")
