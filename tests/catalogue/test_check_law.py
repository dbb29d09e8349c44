"""``zeren list check-law`` and the regime page show where the list conflicts with the law."""

from __future__ import annotations

import json

import pytest

from zeren.catalogue.models import RegimeSection
from zeren.catalogue.selectors import check_law, latest_published
from zeren.cli import main

pytestmark = pytest.mark.django_db


def _texts() -> list[str]:
    return list(RegimeSection.objects.order_by("pk").values_list("text", flat=True))


def test_check_law_names_the_two_conflicts(capsys):
    before = _texts()
    assert main(["list", "check-law", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    by_code = {c["code"]: c for c in doc["conflicts"]}
    assert set(by_code) == {"court-window", "revoke-cancel-swapped"}
    court = by_code["court-window"]
    assert "180日" in court["places"][0]["list_text"]
    assert "行政强制法第五十三条" in court["source"] and "3个月" in court["applied"]
    swapped = by_code["revoke-cancel-swapped"]
    assert {p["regime"] for p in swapped["places"]} == {1, 2}
    assert any("撤回" in p["law"] and "离婚" in p["list_text"] for p in swapped["places"])
    assert "行政许可法第八条" in swapped["source"]
    assert _texts() == before  # the list itself is not altered


def test_a_corrected_wording_is_no_longer_reported():
    section = RegimeSection.objects.get(text__contains="180")
    section.text = section.text.replace("180", "三个月").replace("法定起诉期限", "复议、诉讼期限")
    section.save()
    codes = {c["code"] for c in check_law(latest_published())["conflicts"]}
    assert codes == {"revoke-cancel-swapped"}


def test_the_regime_page_shows_the_conflict_beside_the_list(client):
    page = client.get("/regimes/2/").content.decode()
    assert 'id="law-conflicts"' in page
    assert "发现有离婚且未怀孕等情况的，依法撤销许可" in page and "撤回" in page
    assert "行政许可法第八条" in page
    assert 'id="law-conflicts"' not in client.get("/regimes/3/").content.decode()
