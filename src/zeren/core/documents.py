"""Official documents: one layout (GB/T 9704-2012) and one way to render, for every app.

The .docx templates are built by each app's ``build_template(s).py`` on :func:`official_document`
and rendered by :func:`render_docx`; the PDFs are HTML that includes
``documents/_official_style.html`` and is rendered by :func:`render_pdf`.

Layout (GB/T 9704-2012《党政机关公文格式》5.1-5.2): A4 paper (210 x 297 mm = 11906 x 16838
twips); top margin 37 mm, left 28 mm, type area 156 x 225 mm, so bottom 35 mm and right 26 mm;
text in 3号 (16 pt) 仿宋, titles in 2号 (22 pt) 小标宋; "一般每面排22行，每行排28个字" (the
standard says 22 lines of 28 characters; the line pitch is 225 mm / 22 = 28.95 pt).

Fonts: runs name 仿宋_GB2312 / 方正小标宋简体 (what a government office PC has); the font table
gives an open CJK font as the alternative name so a PC without them still prints Chinese, and
the PDFs embed the open font.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
LATIN_FONT = "Times New Roman"
FALLBACK_FONT = "Noto Sans CJK SC"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 14  # 四号: tables of fields, allowed by 5.2.2 ("特定情况可以作适当调整")
A4_TWIPS = (11906, 16838)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINE_PITCH_TWIPS = 579  # 225 mm / 22 lines


def _fonts(rpr: Any, east_asia: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _font_table(doc: Any) -> None:
    """Declare the office fonts with the open CJK font as their alternative name."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    part = doc.part.part_related_by(RT.FONT_TABLE)
    from lxml import etree

    root = etree.fromstring(part.blob)
    for name in (BODY_FONT, TITLE_FONT):
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), FALLBACK_FONT)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "roman" if name == BODY_FONT else "script")
        font.extend([alt, charset, family])
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def official_document() -> Any:
    """A python-docx Document with the GB/T 9704 page, fonts and a 22-line grid.

    Styles: ``Normal`` (仿宋 16 pt, fixed 28.95 pt lines), ``Title`` (小标宋 22 pt, centred),
    ``Table Grid`` cells use ``Normal`` at 14 pt via :func:`table_cell_font`.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, Twips

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Twips(v) for v in A4_TWIPS)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))

    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_PITCH_TWIPS)
    fmt.space_before = fmt.space_after = Pt(0)

    title = doc.styles["Title"]
    title.base_style = normal
    title.font.size = Pt(TITLE_PT)
    title.font.bold = False
    title.font.color.rgb = None
    _fonts(title.element.get_or_add_rPr(), TITLE_FONT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(TITLE_PT * 1.5)
    title.paragraph_format.space_after = Pt(BODY_PT)
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    _font_table(doc)
    return doc


def add_title(doc: Any, text: str) -> Any:
    return doc.add_paragraph(text, style="Title")


def table_cell_font(table: Any) -> None:
    """Tables of fields in 四号 with single spacing, so a long value does not overflow."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                for run in p.runs:
                    run.font.size = Pt(TABLE_PT)


def keep_together(paragraphs: list[Any]) -> None:
    """Keep each paragraph with the next, so a signature block never stands alone on a page."""
    for p in paragraphs:
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.keep_together = True


def render_docx(template: Path | str, context: dict[str, Any]) -> bytes:
    """Render a docxtpl template with every value XML-escaped; ``\\n`` becomes a line break.

    Values may contain ``&``, ``<``, ``>`` and quotes: docxtpl's ``autoescape`` escapes them
    (without it the text after them is lost), and docxtpl turns a newline inside a value into
    ``<w:br/>``. This is the only place the project renders .docx templates.
    """
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(template))
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(html: str) -> bytes:
    """Render HTML (which includes ``documents/_official_style.html``) to a PDF, fonts embedded."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def attachment(body: bytes, filename: str, content_type: str) -> Any:
    """An HTTP download whose Chinese file name survives (RFC 6266 / RFC 5987 ``filename*``)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    return response


def safe_filename(name: str) -> str:
    """A file name without path separators or control characters; Chinese is kept."""
    cleaned = "".join("-" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)
    return cleaned.strip(" .") or "document"


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
