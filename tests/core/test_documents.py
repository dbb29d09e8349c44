"""Every .docx template is A4 with the GB/T 9704-2012 layout and fonts; one escaping render path."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

import zeren
from zeren.core.documents import render_docx, safe_filename

SRC = Path(zeren.__file__).parent
TEMPLATES = sorted(SRC.rglob("*.docx"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM_TWIPS = 1440 / 25.4


def test_there_is_a_template_for_every_form_certificate_and_letter():
    names = {p.relative_to(SRC).as_posix() for p in TEMPLATES}
    assert "certificates/doc_templates/certificate.docx" in names
    assert "funds/doc_templates/notification.docx" in names
    assert len([n for n in names if n.startswith("cases/doc_templates/")]) == 15


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(SRC).as_posix())
def test_each_template_is_a4_with_official_margins_and_fonts(path):
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        styles = z.read("word/styles.xml").decode()
        fonts = z.read("word/fontTable.xml").decode()
    size = document.find(f".//{W}sectPr/{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    margins = document.find(f".//{W}sectPr/{W}pgMar")
    # GB/T 9704-2012 5.2.1: top 37 mm, left 28 mm, type area 156 x 225 mm
    for side, mm in {"top": 37, "bottom": 35, "left": 28, "right": 26}.items():
        assert abs(int(margins.get(f"{W}{side}")) - mm * MM_TWIPS) < 2, side
    grid = document.find(f".//{W}sectPr/{W}docGrid")
    assert grid.get(f"{W}linePitch") == "579"  # 225 mm / 22 lines (5.2.3)
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="方正小标宋简体"' in styles
    assert '<w:sz w:val="32"/>' in styles  # 三号 = 16 pt = 32 half-points
    assert '<w:sz w:val="44"/>' in styles  # 二号 = 22 pt
    for name in ("仿宋_GB2312", "方正小标宋简体"):
        assert re.search(rf'w:name="{name}"><w:altName w:val="Noto Sans CJK SC"/>', fonts)


def test_values_are_escaped_and_line_breaks_kept(tmp_path):
    from docx import Document

    path = SRC / "funds" / "doc_templates" / "notification.docx"
    body = render_docx(path, {"name": 'A&B <c> "d"\nE', "recoverable": ""})
    xml = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml").decode()
    assert "A&amp;B &lt;c&gt;" in xml and "<w:br/>" in xml
    out = tmp_path / "x.docx"
    out.write_bytes(body)
    assert any('A&B <c> "d"\nE' in p.text for p in Document(out).paragraphs)


def test_only_core_renders_docx_templates():
    """Every .docx render path goes through render_docx (autoescape=True)."""
    users = [
        p.relative_to(SRC).as_posix()
        for p in SRC.rglob("*.py")
        if "DocxTemplate(" in p.read_text(encoding="utf-8")
    ]
    assert users == ["core/documents.py"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("隆计罚决〔2026〕5号-行政处罚决定书.docx", "隆计罚决〔2026〕5号-行政处罚决定书.docx"),
        ("a/b\\c:d.pdf", "a-b-c-d.pdf"),
        ("..", "document"),
    ],
)
def test_file_names_keep_chinese_and_lose_path_characters(name, expected):
    assert safe_filename(name) == expected
