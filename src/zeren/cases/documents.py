"""The standard forms as .docx (docxtpl templates in ``forms/``) and PDF (WeasyPrint).

Both formats come from the same form description (``forms/spec.py``) and the document's data,
stored with the document when its step was recorded. PDFs use an installed CJK font
(Noto Sans CJK SC, else WenQuanYi Zen Hei) and embed it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from zeren.cases.forms.spec import FORMS
from zeren.cases.models import Case, CaseDocument

FORMS_DIR = Path(__file__).parent / "forms"


def _context(doc: CaseDocument) -> dict[str, Any]:
    form = FORMS[doc.form]
    data = {**doc.data, "number": doc.number, "title": form["title"]}
    return data


def _rows(doc: CaseDocument) -> dict[str, Any]:
    form = FORMS[doc.form]
    data = _context(doc)
    return {
        "doc": doc,
        "title": form["title"],
        "data": data,
        "fields": [(label, data.get(key, "")) for label, key in form["fields"]],
        "sections": [(heading, data.get(key, "")) for heading, key in form["sections"]],
        "entries": data.get(form["table"], []) if form.get("table") else None,
    }


def document_docx(doc: CaseDocument) -> bytes:
    from docxtpl import DocxTemplate

    template = DocxTemplate(FORMS_DIR / f"{doc.form}.docx")
    template.render(_context(doc))
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def document_html(doc: CaseDocument) -> str:
    return render_to_string("cases/documents/single.html", _rows(doc))


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def document_pdf(doc: CaseDocument) -> bytes:
    return _pdf(document_html(doc))


def case_file_pdf(case: Case) -> bytes:
    """The whole case file as one PDF: cover, catalogue with page numbers, every document."""
    docs = list(case.documents.order_by("sequence"))
    html = render_to_string(
        "cases/documents/case_file.html",
        {"case": case, "documents": [_rows(d) for d in docs]},
    )
    return _pdf(html)
