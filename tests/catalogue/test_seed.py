"""The seed list is a complete and exact transcription of the source document."""

from __future__ import annotations

import json
import re
from pathlib import Path

import zeren.catalogue

SEED_DIR = Path(zeren.catalogue.__file__).parent / "seed"
SEED = json.loads((SEED_DIR / "longyao.json").read_text(encoding="utf-8"))
# The source PDF's text with all white space removed (table columns interleave in it).
SOURCE = re.sub(r"\s+", "", (SEED_DIR / "source.txt").read_text(encoding="utf-8"))


def test_it_has_every_part_of_the_source():
    assert [d["number"] for d in SEED["duties"]] == list(range(1, 10))
    assert sum(len(d["work_items"]) for d in SEED["duties"]) == 25
    assert [s["number"] for s in SEED["services"]] == list(range(1, 13))
    assert [r["number"] for r in SEED["regimes"]] == [1, 2, 3, 4, 5]
    assert [d["department"] for d in SEED["boundaries"][0]["divisions"]] == [
        "人口和计划生育局",
        "卫生局",
        "公安局",
        "食药监局",
    ]


def test_every_text_stands_in_the_source_verbatim():
    for duty in SEED["duties"]:
        assert duty["text"] in SOURCE
        for item in duty["work_items"]:
            assert item["text"] in SOURCE
    for boundary in SEED["boundaries"]:
        assert boundary["matter"] in SOURCE and boundary["basis"] in SOURCE
        for division in boundary["divisions"]:
            assert division["department"] + division["duties"] in SOURCE
    for s in SEED["services"]:
        # A service row reads straight across: number, name, content, section, phone.
        assert f"{s['number']}{s['name']}{s['content']}{s['section']}{s['phone']}" in SOURCE
    for regime in SEED["regimes"]:
        assert regime["title"] in SOURCE
        for part in regime["sections"]:
            assert part["heading"] + part["text"] in SOURCE


def test_nothing_of_the_source_is_left_out():
    rest = SOURCE
    pieces = []
    for duty in SEED["duties"]:
        pieces += [duty["text"]] + [i["text"] for i in duty["work_items"]]
        pieces += [i["section"] for i in duty["work_items"]]
    for b in SEED["boundaries"]:
        pieces += [b["matter"], b["basis"]] + [
            d["department"] + d["duties"] for d in b["divisions"]
        ]
    pieces += [
        f"{s['number']}{s['name']}{s['content']}{s['section']}{s['phone']}"
        for s in SEED["services"]
    ]
    for r in SEED["regimes"]:
        pieces += [r["title"]] + [p["heading"] + p["text"] for p in r["sections"]]
    for piece in sorted(pieces, key=len, reverse=True):
        rest = rest.replace(piece, "|")
    # What remains is only table headers, page numbers and the index of section four.
    leftovers = {p for p in rest.split("|") if p}
    allowed = re.compile(
        r"^[\d（）一二三四五、]*(隆尧县计生局责任清单)?[一二三四、]*"
        r"(部门职责|与相关部门的职责边界|公共服务事项|事中事后监管制度)?"
        r"(序号|主要职责|具体工作事项|责任科室|备注|管理事项|相关部门|职责分工|相关依据|案例|"
        r"服务事项|主要内容|承办科室（单位）|联系电话|计划生育家庭奖励扶助金等类别事项监管|[\d（）一二三四五])*$"
    )
    assert all(allowed.match(p) for p in leftovers), leftovers


def test_texts_are_clean():
    def texts(node):
        if isinstance(node, dict):
            for v in node.values():
                yield from texts(v)
        elif isinstance(node, list):
            for v in node:
                yield from texts(v)
        elif isinstance(node, str):
            yield node

    for text in texts(SEED):
        assert "\n" not in text and "\r" not in text and text == text.strip()
        assert not re.search(
            r"(?<=[\u4e00-\u9fff，。；、])\s|\s(?=[\u4e00-\u9fff，。；、])", text
        ), text
