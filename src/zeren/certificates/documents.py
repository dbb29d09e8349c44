"""The certificate document as PDF (WeasyPrint) and .docx (docxtpl); ID numbers masked."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from docxtpl import DocxTemplate

from zeren.certificates.models import Certificate

DOCX_TEMPLATE = Path(__file__).with_name("doc_templates") / "certificate.docx"
ISSUER = "隆尧县人口和计划生育局"


def document_context(cert: Certificate) -> dict[str, Any]:
    """What the document shows: never a full identity number."""
    couple = cert.spouse is not None
    holders = [
        {
            "role": "持证人" if not couple else "夫妻一方",
            "name": p.name,
            "id_number": p.id_number_masked,
        }
        for p in cert.holders
    ]
    return {
        "type_name": cert.type.name,
        "number": cert.number or "（未发证）",
        "holders": holders,
        "facts": [{"label": label, "value": value} for label, value in cert.fact_rows()],
        "township": cert.township.name,
        "validity": (f"至 {cert.expires_on:%Y年%m月%d日}" if cert.expires_on else "长期有效"),
        "issued_on": f"{cert.issued_on:%Y年%m月%d日}" if cert.issued_on else "",
        "fee_statement": f"免费办理（{cert.type.fee_statement}，收费 {cert.fee or 0:.2f} 元）",
        "issuer": ISSUER,
        "section": cert.type.section_name,
        "verify_hint": "登录本系统公众页面“证件核验”，输入证号和持证人姓名",
    }


def certificate_pdf(cert: Certificate) -> bytes:
    from weasyprint import HTML

    html = render_to_string("certificates/document.html", document_context(cert))
    return HTML(string=html).write_pdf()


def certificate_docx(cert: Certificate) -> bytes:
    doc = DocxTemplate(str(DOCX_TEMPLATE))
    doc.render(document_context(cert))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
