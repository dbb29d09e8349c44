"""`zeren list export` / `zeren list import`, in process and as a real command."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import zeren.catalogue
from zeren.catalogue.models import ListVersion
from zeren.cli import main

SEED = json.loads(
    (Path(zeren.catalogue.__file__).parent / "seed" / "longyao.json").read_text(encoding="utf-8")
)


@pytest.mark.django_db
def test_export_prints_the_whole_list_matching_the_seed(capsys):
    assert main(["list", "export", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    for part in ("duties", "boundaries", "services", "regimes"):
        assert doc[part] == SEED[part]


@pytest.mark.django_db
def test_export_xlsx_needs_an_output_file(capsys, tmp_path):
    assert main(["list", "export", "--format", "xlsx"]) == 2
    assert "--output" in capsys.readouterr().err
    out = tmp_path / "list.xlsx"
    assert main(["list", "export", "--format", "xlsx", "--output", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.django_db
def test_export_of_a_missing_version_is_a_clear_error(capsys):
    assert main(["list", "export", "--version", "7"]) == 2
    assert "没有第7版" in capsys.readouterr().err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"department": "隆尧县人口和计划生育局", "duties": [', "第1行"),
        (None, "services[2].section：未知科室“无此股”"),
    ],
)
def test_a_malformed_file_imports_nothing_and_names_the_place(tmp_path, capsys, content, message):
    if content is None:
        doc = copy.deepcopy(SEED)
        doc["services"][2]["section"] = "无此股"
        content = json.dumps(doc, ensure_ascii=False)
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    before = ListVersion.objects.count()
    assert main(["list", "import", str(path), "--publish", "--summary", "试"]) == 2
    assert message in capsys.readouterr().err
    assert ListVersion.objects.count() == before


@pytest.mark.django_db
def test_a_good_file_imports_and_publishes(tmp_path, capsys):
    doc = copy.deepcopy(SEED)
    doc["services"][0]["phone"] = "6664606"
    path = tmp_path / "good.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["list", "import", str(path), "--publish", "--summary", "更新电话"]) == 0
    assert "第2版" in capsys.readouterr().out
    assert main(["list", "export"]) == 0
    assert json.loads(capsys.readouterr().out)["services"][0]["phone"] == "6664606"


def test_the_installed_command_initialises_and_exports(tmp_path):
    """The real `zeren` entry point on a fresh data directory (what the README promises)."""
    env = {
        **os.environ,
        "ZEREN_DATA_DIR": str(tmp_path),
        "ZEREN_ADMIN_PASSWORD": "A-long-test-password-7",
    }
    env.pop("DATABASE_URL", None)
    zeren = [sys.executable, "-m", "zeren.cli"]
    init = subprocess.run([*zeren, "init"], env=env, capture_output=True, text=True, timeout=300)
    assert init.returncode == 0, init.stderr
    assert "责任清单：已发布第1版" in init.stdout
    exported = subprocess.run(
        [*zeren, "list", "export", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(exported.stdout)
    assert all(doc[p] == SEED[p] for p in ("duties", "boundaries", "services", "regimes"))
    assert (tmp_path / "zeren.sqlite3").exists()
    assert oct((tmp_path / "keys" / "sm4.key").stat().st_mode & 0o777) == "0o600"
