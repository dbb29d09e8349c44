"""Adding a capability needs no edit outside its folder: a test app proves it.

``tests/registration/sample`` is a folder with apps.py, urls.py, api.py, cli.py, demo.py and
home.py; installing it (the one line a settings file needs for an app kept outside the zeren
package; packages of zeren are found by settings themselves) gives it pages, an API
endpoint, a verb, a demo step and a home card.
"""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import zeren.api.urls
import zeren.urls
from tests.conftest import login
from zeren.cli import main
from zeren.demo import demo_steps


def _reload_urls() -> None:
    importlib.reload(zeren.api.urls)
    importlib.reload(zeren.urls)
    clear_url_caches()


@pytest.fixture
def sample_installed():
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.registration.sample"]):
        _reload_urls()
        yield
    _reload_urls()


def test_the_zeren_packages_are_installed_without_being_listed():
    source = (importlib.import_module("zeren").__path__[0]) + "/settings.py"
    text = open(source, encoding="utf-8").read()
    assert '"zeren.ledger"' not in text and '"zeren.joint"' not in text
    assert {"zeren.ledger", "zeren.joint"} <= set(settings.INSTALLED_APPS)


def test_a_new_capability_is_one_folder(sample_installed, head, capsys):
    client = login(head)
    assert reverse("sample-page") == "/staff/sample/"
    assert client.get("/staff/sample/").content.decode() == "示例能力的页面"
    assert client.get("/api/sample/").json() == {"sample": "示例"}
    assert main(["sample"]) == 0
    assert "示例能力的命令" in capsys.readouterr().out
    assert demo_steps()[-1] == "tests.registration.sample.demo"
    assert "示例能力卡片" in client.get("/staff/").content.decode()


def test_without_it_nothing_of_it_remains(head):
    assert "tests.registration.sample.demo" not in demo_steps()
    assert login(head).get("/staff/sample/").status_code == 404
