"""Build certificate.docx, the docxtpl template of a free certificate.

Run ``uv run python src/zeren/certificates/doc_templates/build_template.py`` after changing the wording;
the generated file is committed next to this script.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

OUT = Path(__file__).with_name("certificate.docx")


def build(path: Path = OUT) -> Path:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(12)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ type_name }}")
    run.bold = True
    run.font.size = Pt(20)

    doc.add_paragraph("证号：{{ number }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("{% for h in holders %}")
    doc.add_paragraph("{{ h.role }}：{{ h.name }}    身份证号：{{ h.id_number }}")
    doc.add_paragraph("{% endfor %}")
    doc.add_paragraph("{% for f in facts %}")
    doc.add_paragraph("{{ f.label }}：{{ f.value }}")
    doc.add_paragraph("{% endfor %}")
    doc.add_paragraph("所在乡镇：{{ township }}")
    doc.add_paragraph("有效期：{{ validity }}")
    doc.add_paragraph("发证日期：{{ issued_on }}")
    doc.add_paragraph("收费：{{ fee_statement }}")
    doc.add_paragraph("")
    for line in ("{{ issuer }}（{{ section }}）", "{{ issued_on }}"):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("")
    doc.add_paragraph("真伪核验：{{ verify_hint }}")
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())
