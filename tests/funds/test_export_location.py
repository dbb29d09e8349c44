"""The platform export lands under the data directory unless told otherwise (issue 10, finding 12)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.funds.conftest import make_beneficiary
from zeren.cli import main
from zeren.funds.models import Verification

pytestmark = pytest.mark.django_db(transaction=False)


def test_export_platform_writes_under_the_data_directory_by_default(
    tmp_path, monkeypatch, settings, capsys, village_b
):
    settings.DATA_DIR = tmp_path / "data"
    workdir = tmp_path / "checkout"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    make_beneficiary(village=village_b, name="乙")
    assert main(["funds", "campaign", "open", "--year", "2026", "--kind", "full"]) == 0
    Verification.objects.filter(township=village_b.parent).update(
        outcome="confirmed", recorded_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    )
    assert main(["funds", "export-platform", "--year", "2026"]) == 0

    written = tmp_path / "data" / "exports" / "platform-2026.csv"
    assert "乙" in written.read_text(encoding="utf-8-sig")
    assert str(written) in capsys.readouterr().out
    assert list(workdir.iterdir()) == []
    assert (written.parent.stat().st_mode & 0o777) == 0o700
