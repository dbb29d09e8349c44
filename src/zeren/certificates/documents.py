"""The certificate document as PDF (WeasyPrint) and .docx (docxtpl): A4, GB/T 9704 layout.

A certificate is handed to its holders and shown to other offices, so it carries each holder's
full ID number; producing it is a reveal (``people.reveal_person``, logged naming the
certificate) through ``people.services.person_reveal``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from zeren.certificates.models import Certificate
from zeren.core.documents import render_docx, render_pdf, safe_filename
from zeren.core.models import SecurityEvent
from zeren.core.permissions import is_user
from zeren.core.security import log_event

DOCX_TEMPLATE = Path(__file__).with_name("doc_templates") / "certificate.docx"
ISSUER = "隆尧县人口和计划生育局"


def document_name(cert: Certificate) -> str:
    """《婚育情况证明》隆婚育〔2026〕00001: how logs name the certificate."""
    return f"《{cert.type.name}》{cert.number or '（未发证）'}"


def holder_id_numbers(cert: Certificate, *, actor: Any, request: Any = None) -> list[str]:
    """The holders' full ID numbers, in order; one logged reveal per holder.

    Raises ``PermissionDenied`` (logged) when ``actor`` may not reveal; ``actor`` None is the
    command line, logged as such.
    """
    from zeren.people.services import person_reveal

    numbers = []
    for person in cert.holders:
        if is_user(actor):
            plain = person_reveal(
                actor=actor,
                person=person,
                request=request,
                document=document_name(cert),
                fields=["id_number"],
            )
            numbers.append(plain["id_number"])
        else:
            log_event(
                SecurityEvent.Kind.REVEAL,
                username=str(actor or "命令行"),
                obj=person,
                detail={"fields": ["id_number"], "document": document_name(cert)},
            )
            numbers.append(person.id_number)
    return numbers


def document_context(cert: Certificate, *, id_numbers: list[str]) -> dict[str, Any]:
    """What the document shows; ``id_numbers`` from :func:`holder_id_numbers`."""
    couple = cert.spouse is not None
    holders = [
        {
            "role": "持证人" if not couple else "夫妻一方",
            "name": p.name,
            "id_number": number,
        }
        for p, number in zip(cert.holders, id_numbers, strict=True)
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


def certificate_pdf(cert: Certificate, *, actor: Any, request: Any = None) -> bytes:
    ids = holder_id_numbers(cert, actor=actor, request=request)
    html = render_to_string("certificates/document.html", document_context(cert, id_numbers=ids))
    return render_pdf(html)


def certificate_docx(cert: Certificate, *, actor: Any, request: Any = None) -> bytes:
    ids = holder_id_numbers(cert, actor=actor, request=request)
    return render_docx(DOCX_TEMPLATE, document_context(cert, id_numbers=ids))


def certificate_filename(cert: Certificate, fmt: str) -> str:
    """隆婚育〔2026〕00001-婚育情况证明.pdf"""
    return safe_filename(f"{cert.number}-{cert.type.name}.{fmt}")
