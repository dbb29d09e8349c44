"""The result letter (办理结果告知书) of an application as PDF (WeasyPrint) and .docx."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string

from zeren.publicservices.models import Application, ReviewPerson

ISSUER = "隆尧县人口和计划生育局"


def letter_context(application: Application) -> dict[str, Any]:
    """What the letter says; the applicant's phone never appears on it."""
    finished = application.finished_on
    return {
        "title": "办理结果告知书",
        "issuer": ISSUER,
        "section": application.section.name,
        "reference": application.reference,
        "applicant": application.applicant_name,
        "service": f"{application.service_number}. {application.service_name}",
        "content": application.content,
        "received_on": f"{application.received_on:%Y年%m月%d日}",
        "status": application.get_status_display(),
        "result": application.result,
        "finished_on": f"{finished:%Y年%m月%d日}" if finished else "",
        "fee": "本事项免费办理，不收取任何费用。",
    }


def letter_pdf(application: Application) -> bytes:
    from weasyprint import HTML

    html = render_to_string("publicservices/letter.html", letter_context(application))
    return HTML(string=html).write_pdf()


def letter_docx(application: Application) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    ctx = letter_context(application)
    doc = Document()
    heading = doc.add_heading(ctx["title"], level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"受理编号：{ctx['reference']}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"{ctx['applicant']}：")
    doc.add_paragraph(
        f"您于{ctx['received_on']}申请的“{ctx['service']}”（{ctx['content']}），"
        f"经{ctx['section']}办理，结果为：{ctx['status']}。"
    )
    doc.add_paragraph(ctx["result"])
    doc.add_paragraph(ctx["fee"])
    doc.add_paragraph(f"{ctx['issuer']}（{ctx['section']}）").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(ctx["finished_on"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def review_letter_context(person: ReviewPerson) -> dict[str, Any]:
    """One person's review result (ID number masked)."""
    a = person.application
    return {
        **letter_context(a),
        "title": "计划生育情况审查结果告知书",
        "person": person.name,
        "id_number": person.id_number_masked,
        "purpose": person.purpose,
        "finding": person.get_finding_display(),
        "details": person.details,
    }


def review_letter_pdf(person: ReviewPerson) -> bytes:
    from weasyprint import HTML

    html = render_to_string("publicservices/review_letter.html", review_letter_context(person))
    return HTML(string=html).write_pdf()


def review_letter_docx(person: ReviewPerson) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    ctx = review_letter_context(person)
    doc = Document()
    doc.add_heading(ctx["title"], level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"受理编号：{ctx['reference']}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"{ctx['applicant']}：")
    doc.add_paragraph(
        f"你单位{ctx['received_on']}提交的计划生育情况审查申请，经核查，"
        f"{ctx['person']}（身份证号{ctx['id_number']}，审查事由：{ctx['purpose']}）："
        f"{ctx['finding']}。"
    )
    doc.add_paragraph(ctx["details"])
    doc.add_paragraph(ctx["fee"])
    doc.add_paragraph(f"{ctx['issuer']}（{ctx['section']}）").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(ctx["finished_on"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
