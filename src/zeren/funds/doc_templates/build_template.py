"""Build notification.docx, the docxtpl template of the letter to an ineligible beneficiary.

Run ``uv run python src/zeren/funds/doc_templates/build_template.py`` after changing the wording;
the generated file is committed next to this script. Layout and fonts come from
``zeren.core.documents`` (A4, GB/T 9704-2012).
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from zeren.core.documents import add_title, keep_together, official_document

OUT = Path(__file__).with_name("notification.docx")


def build(path: Path = OUT) -> Path:
    doc = official_document()
    add_title(doc, "扶助资格核查结果告知书")
    doc.add_paragraph("编号：{{ number }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("{{ name }}（身份证号：{{ id_number }}）：")
    doc.add_paragraph(
        "　　经{{ year }}年度计划生育家庭扶助对象核查，您户籍所在地为{{ township }}{{ village }}，"
        "原享受{{ kind }}。核查发现：{{ finding }}。"
    )
    doc.add_paragraph(
        "　　根据县人口计生局扶助资金监管制度，您的扶助资格{{ status }}，"
        "自{{ effective }}起{{ consequence }}。"
    )
    doc.add_paragraph(
        "{% if recoverable %}　　经核算，应追回已发放的扶助金{{ recoverable }}元"
        "（大写：{{ recoverable_capitals }}），"
        "请于接到本告知书之日起三十日内到乡镇计生办退回。{% endif %}"
    )
    doc.add_paragraph(
        "　　如对核查结果有异议，可自收到本告知书之日起向乡镇计生办或县人口计生局提出，"
        "并提供相关证明材料。"
    )
    sign = [doc.add_paragraph("")]
    for line in ("{{ township }}人民政府（计生办）", "（印章）", "{{ date }}"):
        sign.append(doc.add_paragraph(line))
        sign[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.append(doc.add_paragraph(""))
    sign.append(doc.add_paragraph("当事人签收：____________    签收日期：____________"))
    # the signature and the receipt stay with the last paragraph of the text
    keep_together(doc.paragraphs[-len(sign) - 1 : -1])
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())
