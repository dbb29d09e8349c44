"""The command line, exactly as the issue states it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.funds.conftest import make_beneficiary
from tests.funds.test_import import good_row, sheet
from zeren.cli import main
from zeren.funds.models import Beneficiary, Verification

pytestmark = pytest.mark.django_db(transaction=False)


def test_import_open_status_and_export(tmp_path, capsys, village_a, village_b):
    good = tmp_path / "ok.xlsx"
    good.write_bytes(sheet([good_row(n) for n in range(10)]))
    assert main(["funds", "import", str(good)]) == 0
    assert "已导入扶助对象 10 人" in capsys.readouterr().out

    bad_rows = [good_row(n) for n in range(10, 20)]
    bad_rows[4][3] = "郊区"
    bad = tmp_path / "bad.xlsx"
    assert main(["funds", "import", str(bad), "--errors", str(tmp_path / "e.xlsx")]) == 2
    bad.write_bytes(sheet(bad_rows))
    assert main(["funds", "import", str(bad), "--errors", str(tmp_path / "e.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "第6行「城乡」：应为 城镇 或 农村" in err and "未导入任何数据" in err
    assert (tmp_path / "e.xlsx").exists()
    assert Beneficiary.objects.count() == 10

    make_beneficiary(village=village_b, name="乙")
    assert main(["funds", "campaign", "open", "--year", "2026", "--kind", "full"]) == 0
    assert "新增核查对象 11 人" in capsys.readouterr().out
    assert main(["funds", "campaign", "open", "--year", "2026", "--kind", "full"]) == 0
    assert "新增核查对象 0 人" in capsys.readouterr().out
    Verification.objects.filter(township=village_b.parent).update(
        outcome="confirmed", recorded_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    )

    assert main(["funds", "campaign", "status", "--year", "2026", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == [
        {"township": "130525100", "kind": "full", "total": 10, "done": 0, "coverage": 0.0},
        {"township": "130525101", "kind": "full", "total": 1, "done": 1, "coverage": 1.0},
    ]

    out = tmp_path / "platform.csv"
    assert main(["funds", "export-platform", "--year", "2026", "-o", str(out)]) == 0
    assert "1 人" in capsys.readouterr().out
    assert "乙" in out.read_text(encoding="utf-8-sig")


def test_status_of_a_year_without_campaigns_is_an_empty_list(capsys):
    assert main(["funds", "campaign", "status", "--year", "2030", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_export_without_a_full_campaign_fails_clearly(capsys):
    assert main(["funds", "export-platform", "--year", "2030"]) == 2
    assert "尚未发起全面核查" in capsys.readouterr().err
