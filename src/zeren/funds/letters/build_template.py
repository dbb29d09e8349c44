"""Build notification.docx, the docxtpl template of the letter to an ineligible beneficiary.

Run ``uv run python src/zeren/funds/letters/build_template.py`` after changing the wording;
the generated file is committed next to this script.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

OUT = Path(__file__).with_name("notification.docx")


def build(path: Path = OUT) -> Path:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(12)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("扶助资格核查结果告知书")
    run.bold = True
    run.font.size = Pt(18)

    doc.add_paragraph("编号：{{ number }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("{{ name }}（身份证号：{{ id_number }}）：")
    doc.add_paragraph(
        "    经{{ year }}年度计划生育家庭扶助对象核查，您户籍所在地为{{ township }}{{ village }}，"
        "原享受{{ kind }}。核查发现：{{ finding }}。"
    )
    doc.add_paragraph(
        "    根据县人口计生局扶助资金监管制度，您的扶助资格{{ status }}，"
        "自{{ effective }}起{{ consequence }}。"
    )
    doc.add_paragraph(
        "{% if recoverable %}    经核算，应追回已发放的扶助金{{ recoverable }}元，"
        "请于接到本告知书之日起三十日内到乡镇计生办退回。{% endif %}"
    )
    doc.add_paragraph(
        "    如对核查结果有异议，可自收到本告知书之日起向乡镇计生办或县人口计生局提出，"
        "并提供相关证明材料。"
    )
    doc.add_paragraph("")
    for line in ("{{ township }}人民政府（计生办）", "{{ date }}"):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("")
    doc.add_paragraph("当事人签收：____________    签收日期：____________")
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())
