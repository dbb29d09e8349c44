"""Every standard form renders as .docx and PDF; PDFs embed a CJK font and read back."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from pypdf import PdfReader

from zeren.cases import documents, services
from zeren.cases.models import CaseDocument

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture
def full_case(file_case, walk, officer1, head, hearing_chair):
    """A penalty case through every form, with a hearing, a reminder and a court application."""
    case = walk(file_case(), "investigated")
    services.case_record_investigation(
        actor=officer1,
        case=case,
        form=CaseDocument.Form.INQUIRY,
        on=D("2026-03-06"),
        subject="证人王五",
        content="证实当事人做过鉴定",
        signatories=["王五"],
        recorded_by=list(case.officers.all()),
    )
    case = walk(case, "notified")
    services.case_request_hearing(actor=officer1, case=case, requested_on=D("2026-03-16"))
    case.refresh_from_db()
    services.case_schedule_hearing(
        actor=officer1,
        case=case,
        notice_on=D("2026-03-18"),
        hearing_on=D("2026-03-30"),
        place="局会议室",
        chair=hearing_chair,
    )
    case.refresh_from_db()
    services.case_record_hearing(
        actor=officer1,
        case=case,
        held_on=D("2026-03-30"),
        record="当事人到场陈述",
        signatories=["李四", "clerk"],
    )
    case.refresh_from_db()
    services.case_record_statement(actor=officer1, case=case, on=D("2026-03-30"), statement="认错")
    case.refresh_from_db()
    services.case_approve(
        actor=head,
        case=case,
        approved_on=D("2026-03-31"),
        collective_on=D("2026-03-31"),
        collective_minutes="局务会议同意",
        legal_review_on=D("2026-03-31"),
        legal_review_opinion="程序合法",
    )
    case.refresh_from_db()
    services.case_decide(actor=officer1, case=case, decided_on=D("2026-04-01"))
    case.refresh_from_db()
    services.case_serve_decision(
        actor=officer1,
        case=case,
        served_on=D("2026-04-02"),
        recipient="李四",
        recipient_role="本人",
        method="直接送达",
        signature="李四",
    )
    case.refresh_from_db()
    services.case_serve_reminder(actor=officer1, case=case, served_on=D("2026-04-20"))
    case.refresh_from_db()
    services.case_apply_court(actor=officer1, case=case, applied_on=D("2026-10-09"))
    case.refresh_from_db()
    services.case_close(
        actor=officer1, case=case, closed_on=D("2026-10-10"), summary="已申请强制执行"
    )
    case.refresh_from_db()
    services.case_archive(actor=officer1, case=case, archived_on=D("2026-10-20"))
    case.refresh_from_db()
    return case


@pytest.fixture
def fee_decision(file_case, walk, out_of_policy_birth, officer1, head):
    # Filed before the fee was repealed (2021-07-20): no fee case may be filed after it.
    case = file_case(
        kind="fee",
        violation=out_of_policy_birth,
        act_date=D("2020-05-01"),
        birth_date=D("2020-05-01"),
        filed_on=D("2021-07-01"),
    )
    services.case_record_investigation(
        actor=officer1,
        case=case,
        form="interview",
        on=D("2026-03-05"),
        subject="李四",
        content="……",
        signatories=["李四"],
        recorded_by=list(case.officers.all()),
    )
    services.case_serve_notice(
        actor=officer1,
        case=case,
        served_on=D("2026-03-10"),
        reasons="生育第三个子女",
        circumstances=[],
        amount=Decimal("60000"),
        base_income=Decimal("15000"),
    )
    services.case_record_statement(
        actor=officer1, case=case, on=D("2026-03-11"), statement="无异议", waive_hearing=True
    )
    case.refresh_from_db()
    services.case_approve(
        actor=head,
        case=case,
        approved_on=D("2026-03-12"),
        collective_on=D("2026-03-12"),
        collective_minutes="同意",
        legal_review_on=D("2026-03-12"),
        legal_review_opinion="同意",
    )
    case.refresh_from_db()
    services.case_decide(actor=officer1, case=case, decided_on=D("2026-03-13"))
    return case.documents.get(form=CaseDocument.Form.DECISION_FEE)


def _pdf_fonts(reader: PdfReader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            targets = [d.get_object() for d in descendants] if descendants else [font]
            for target in targets:
                descriptor = target.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(target.get("/BaseFont")))
    return fonts


def _check(doc: CaseDocument, party: str, amount: str | None) -> None:
    docx = Document(io.BytesIO(documents.document_docx(doc)))
    text = "\n".join(p.text for p in docx.paragraphs) + "\n".join(
        c.text for t in docx.tables for r in t.rows for c in r.cells
    )
    assert "{{" not in text and "{%" not in text, doc.form
    assert party in text, doc.form
    reader = PdfReader(io.BytesIO(documents.document_pdf(doc)))
    pdf_text = "".join(page.extract_text() for page in reader.pages)
    assert documents.FORMS[doc.form]["title"] in pdf_text
    assert party in pdf_text, doc.form
    if amount:
        assert amount in pdf_text and amount in text, doc.form
    fonts = _pdf_fonts(reader)
    names = {f.replace("-", "").replace(" ", "") for f in fonts}
    assert any("NotoSansCJK" in f or "WenQuanYi" in f for f in names), fonts


def test_every_form_renders_as_docx_and_pdf(full_case, fee_decision, decide_on_spot):
    on_spot = decide_on_spot(
        person=None,
        organisation_name="某某诊所",
        legal_representative="王五",
        signature="王五",
        amount=Decimal("1500"),
    ).documents.get()
    forms = set(full_case.documents.values_list("form", flat=True))
    assert forms | {fee_decision.form, on_spot.form} == set(CaseDocument.Form.values)
    without_amount = {"filing", "interview", "inquiry", "service", "catalogue"}
    for doc in full_case.documents.order_by("sequence"):
        _check(doc, "李四", None if doc.form in without_amount else "14000.00")
    _check(fee_decision, "李四", "60000.00")
    _check(on_spot, "某某诊所", "1500.00")


def test_the_whole_case_file_is_one_pdf_with_catalogue_and_page_numbers(full_case):
    reader = PdfReader(io.BytesIO(documents.case_file_pdf(full_case)))
    count = full_case.documents.count()
    assert len(reader.pages) >= count + 2
    toc = reader.pages[1].extract_text()
    assert "卷内目录" in toc
    # Each catalogue line ends with the page the document starts on (cover, catalogue first).
    first = reader.pages[2].extract_text()
    assert "立案审批表" in first
    assert f"第 3 页 / 共 {len(reader.pages)} 页" in first
    assert "行政处罚决定书" in toc and "送达回证" in toc
