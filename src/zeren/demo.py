"""Deterministic demo data so a newcomer sees a living system.

Each capability adds a ``demo.py`` with ``load(rng, progress)`` (found by
``zeren.core.registry``); steps run in the order of ``INSTALLED_APPS`` and are idempotent
(a step that finds its data present does nothing).
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable

DEMO_SEED = 20260101
DEMO_PASSWORD = "zeren-demo-2026"  # noqa: S105 (demo environments only, printed to the user)


def demo_steps() -> list[str]:
    """Each installed app's ``demo`` module, in the order of ``INSTALLED_APPS``."""
    from zeren.core import registry

    return registry.module_names("demo")


def load_demo(progress: Callable[[str], None] = print) -> None:
    from zeren.core.audit import acting_as

    with acting_as("演示数据"):
        for module_name in demo_steps():
            module = importlib.import_module(module_name)
            module.load(random.Random(f"{DEMO_SEED}:{module_name}"), progress)
    progress(f"演示账号的密码均为：{DEMO_PASSWORD}（仅用于演示环境）")
