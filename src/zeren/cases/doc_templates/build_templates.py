"""Build the .docx templates (docxtpl) of the standard forms from ``spec.FORMS``.

Run ``uv run python src/zeren/cases/doc_templates/build_templates.py`` after changing the spec; the
generated files are committed next to this script. The layout (A4, GB/T 9704-2012 margins,
仿宋 / 小标宋 with an open fallback font) comes from ``zeren.core.documents``.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from zeren.cases.doc_templates.spec import FORMS
from zeren.core.documents import add_title, keep_together, official_document, table_cell_font

HERE = Path(__file__).resolve().parent


def build_one(code: str, form: dict, out: Path) -> Path:
    doc = official_document()
    doc.add_paragraph("{{ bureau }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_title(doc, form["title"])
    doc.add_paragraph("{{ number }}").alignment = WD_ALIGN_PARAGRAPH.CENTER

    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, key in form["fields"]:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = "{{ " + key + " }}"
    table_cell_font(table)

    if form.get("table"):
        doc.add_paragraph("")
        rows = doc.add_table(rows=4, cols=4)
        rows.style = "Table Grid"
        for cell, text in zip(
            rows.rows[0].cells, ("序号", "文书编号", "文书名称", "日期"), strict=True
        ):
            cell.text = text
        rows.rows[1].cells[0].text = "{%tr for e in " + form["table"] + " %}"
        for cell, key in zip(
            rows.rows[2].cells, ("sequence", "number", "title", "date"), strict=True
        ):
            cell.text = "{{ e." + key + " }}"
        rows.rows[3].cells[0].text = "{%tr endfor %}"
        table_cell_font(rows)

    last: list = []
    for heading, key in form["sections"]:
        p = doc.add_paragraph()
        p.add_run(heading + "：").bold = True
        body = doc.add_paragraph("{{ " + key + " }}")
        body.paragraph_format.first_line_indent = body.style.font.size * 2
        last = [p, body]

    # The signature block is kept with the last text before it: never alone on a page.
    sign = [
        doc.add_paragraph(""),
        doc.add_paragraph("{{ bureau }}"),
        doc.add_paragraph("（印章）"),
        doc.add_paragraph("{{ date }}"),
    ]
    for p in sign[1:]:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    keep_together(last + sign[:-1])
    path = out / f"{code}.docx"
    doc.save(path)
    return path


def build(out: Path = HERE) -> list[Path]:
    return [build_one(code, form, out) for code, form in FORMS.items()]


if __name__ == "__main__":
    for path in build():
        print(path.name)
