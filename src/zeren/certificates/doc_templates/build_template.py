"""Build certificate.docx, the docxtpl template of a free certificate.

Run ``uv run python src/zeren/certificates/doc_templates/build_template.py`` after changing the
wording; the generated file is committed next to this script. Layout and fonts come from
``zeren.core.documents`` (A4, GB/T 9704-2012).
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from zeren.core.documents import add_title, keep_together, official_document, table_cell_font

OUT = Path(__file__).with_name("certificate.docx")


def build(path: Path = OUT) -> Path:
    doc = official_document()
    add_title(doc, "{{ type_name }}")
    doc.add_paragraph("证号：{{ number }}").alignment = WD_ALIGN_PARAGRAPH.CENTER

    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    rows = [
        ("{%tr for h in holders %}", ""),
        ("{{ h.role }}", "{{ h.name }}　身份证号：{{ h.id_number }}"),
        ("{%tr endfor %}", ""),
        ("{%tr for f in facts %}", ""),
        ("{{ f.label }}", "{{ f.value }}"),
        ("{%tr endfor %}", ""),
        ("所在乡镇", "{{ township }}"),
        ("有效期", "{{ validity }}"),
        ("发证日期", "{{ issued_on }}"),
        ("收费", "{{ fee_statement }}"),
    ]
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
    table_cell_font(table)

    sign = [
        doc.add_paragraph(""),
        doc.add_paragraph("{{ issuer }}（{{ section }}）"),
        doc.add_paragraph("（印章）"),
        doc.add_paragraph("{{ issued_on }}"),
    ]
    for p in sign[1:]:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    keep_together(sign)
    doc.add_paragraph("")
    doc.add_paragraph("真伪核验：{{ verify_hint }}")
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())
