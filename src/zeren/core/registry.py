"""Apps register themselves: a capability is one folder.

The URL root, the API router, the command line, the demo loader and the staff home page ask
this module which installed apps bring which piece, by convention of module names:

| module | what it brings |
|---|---|
| ``urls`` / ``public_urls`` | staff pages at ``/staff/<label>/``, public pages at ``/<label>/`` |
| ``api`` | ``register(router)`` for its viewsets |
| ``cli`` | ``register(subparsers)`` for its verbs |
| ``demo`` | ``load(rng, progress)``, run in the order of ``INSTALLED_APPS`` |
| ``home`` | ``PERMISSION``, ``TEMPLATE`` and ``context(user, today)`` for a staff home card |
| ``panels`` | ``panels(user, obj) -> [{"template", "context"}]``: sections another app shows on an object's page (``{% object_panels obj %}``) |

An app takes part if it is a package of ``zeren`` or its AppConfig says
``zeren_capability = True`` (an app kept elsewhere). Settings install every package of
``zeren`` that has an ``apps.py``.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

# The URL root mounts these itself.
ROOTS = {"zeren.portal", "zeren.api", "zeren.accounts"}  # accounts: /staff/account/


def _takes_part(name: str, config: object | None = None) -> bool:
    return name.startswith("zeren.") or bool(getattr(config, "zeren_capability", False))


def app_names() -> list[str]:
    """The installed apps that take part, in the order of ``INSTALLED_APPS``.

    Works before ``django.setup()`` (the command line builds its parser from it) by reading
    the settings; after it, from the app registry.
    """
    from django.apps import apps

    if apps.ready:
        return [c.name for c in apps.get_app_configs() if _takes_part(c.name, c)]
    from django.conf import settings

    names = []
    for entry in settings.INSTALLED_APPS:
        module = entry.rsplit(".apps.", 1)[0]
        if module.startswith("zeren."):
            names.append(module)
        else:
            try:
                config_module = importlib.import_module(f"{module}.apps")
            except ModuleNotFoundError:
                continue
            if any(getattr(v, "zeren_capability", False) for v in vars(config_module).values()):
                names.append(module)
    return names


def _has(module_name: str) -> bool:
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False


def module_names(submodule: str) -> list[str]:
    """``<app>.<submodule>`` for every taking-part app that has one."""
    return [f"{n}.{submodule}" for n in app_names() if _has(f"{n}.{submodule}")]


def modules(submodule: str) -> list[ModuleType]:
    """The imported ``<app>.<submodule>`` modules (see :func:`module_names`)."""
    return [importlib.import_module(name) for name in module_names(submodule)]


def url_modules() -> list[tuple[str, str, str]]:
    """``(label, module, kind)`` for each app's staff (``urls``) and public (``public_urls``)
    pages; the URL root's own apps are left out."""
    from django.apps import apps

    found = []
    for name in app_names():
        if name in ROOTS:
            continue
        label = next(c.label for c in apps.get_app_configs() if c.name == name)
        for kind in ("urls", "public_urls"):
            if _has(f"{name}.{kind}"):
                found.append((label, f"{name}.{kind}", kind))
    return found
