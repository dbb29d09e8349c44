"""Build report.docx, the docxtpl template of the annual duty report (年度履职情况报告).

Layout after GB/T 9704-2012 (党政机关公文格式): A4, margins 37 mm top, 35 mm bottom, 28 mm
left, 26 mm right; title in 2号 (22 pt) 小标宋, body in 3号 (16 pt) 仿宋, headings in 3号
黑体 (first level) and 楷体 (second level), page numbers in 4号 (14 pt) as "— 1 —".
Run ``uv run python src/zeren/ledger/doc_templates/build_template.py`` after changing the
wording; the generated file is committed next to this script.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from zeren.core.documents import official_document

OUT = Path(__file__).with_name("report.docx")


def _font(run_or_style, east_asia: str, size: float, *, bold: bool = False) -> None:
    run_or_style.font.name = east_asia
    run_or_style.font.size = Pt(size)
    run_or_style.font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asia)


def _para(doc, text: str, font: str = "仿宋_GB2312", size: float = 16, **kw):
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(size * 2) if kw.pop("indent", True) else None
    p.paragraph_format.line_spacing = Pt(28.95)  # 22 lines on the 225 mm text area
    _font(p.add_run(text), font, size, **kw)
    return p


def _page_number(section) -> None:
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("— "), "宋体", 14)
    run = footer.add_run()
    _font(run, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.text = text
        run._r.append(el)
    _font(footer.add_run(" —"), "宋体", 14)


def build(path: Path = OUT) -> Path:
    # The shared GB/T 9704 page: A4, margins, fonts and the 22-line grid.
    doc = official_document()
    section = doc.sections[0]
    _page_number(section)

    title = _para(doc, "{{ bureau }}{{ year }}年度履职情况报告", "方正小标宋简体", 22, indent=False)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(
        doc,
        "根据《{{ list_title }}》（第{{ version }}版），现将{{ year }}年度各项主要职责的履行情况"
        "报告如下。全年{{ total_items }}个具体工作事项中，履职{{ performed }}项、部分履职{{ partial }}项、"
        "未履职{{ silent }}项、不适用{{ not_applicable }}项；登记履职记录{{ records }}条，"
        "其中业务系统自动生成{{ automatic }}条。",
    )
    _para(doc, "{%p for d in duties %}", indent=False)
    _para(doc, "{{ d.heading }}", "黑体", 16)
    _para(doc, "{{ d.summary }}")
    _para(doc, "{%p for i in d.entries %}", indent=False)
    _para(doc, "{{ i.heading }}", "楷体_GB2312", 16)
    _para(doc, "{{ i.text }}")
    _para(doc, "{%p endfor %}", indent=False)
    _para(doc, "{%p endfor %}", indent=False)
    _para(doc, "未履职事项", "黑体", 16)
    _para(doc, "{{ silent_text }}")
    _para(doc, "")
    sign = _para(doc, "{{ bureau }}", indent=False)
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = _para(doc, "{{ date }}", indent=False)
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())
