"""Build the .docx templates (docxtpl) of the standard forms from ``spec.FORMS``.

Run ``uv run python src/zeren/cases/forms/build_templates.py`` after changing the spec; the
generated files are committed next to this script.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from spec import FORMS  # noqa: E402

FONT = "Noto Sans CJK SC"


def build_one(code: str, form: dict, out: Path) -> Path:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.font.size = Pt(11)

    head = doc.add_paragraph("{{ bureau }}")
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(form["title"])
    run.bold = True
    run.font.size = Pt(18)
    doc.add_paragraph("编号：{{ number }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT

    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, key in form["fields"]:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = "{{ " + key + " }}"

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

    for heading, key in form["sections"]:
        p = doc.add_paragraph()
        p.add_run(heading + "：").bold = True
        doc.add_paragraph("{{ " + key + " }}")

    doc.add_paragraph("")
    doc.add_paragraph("{{ bureau }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("{{ date }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path = out / f"{code}.docx"
    doc.save(path)
    return path


def build(out: Path = HERE) -> list[Path]:
    return [build_one(code, form, out) for code, form in FORMS.items()]


if __name__ == "__main__":
    for path in build():
        print(path.name)
