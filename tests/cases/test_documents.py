"""Every standard form, rendered as .docx and PDF and read back, carries what the law requires.

The party's address and the case's facts contain ``&``, ``<``, quotes and a line break; each form
must show them verbatim, the party's full ID number, amounts in figures and capitals, and the
decisions their operative sentence, the review body, the court and the periods (60日 / 6个月).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from tests import factories
from tests.conftest import force_login, make_user
from zeren.cases import documents, services
from zeren.cases.models import CaseDocument
from zeren.cli import main
from zeren.core.models import SecurityEvent
from zeren.core.roles import Role

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
ADDRESS = '东王庄村A&B<3>号"北院"'
TRICKY = '鉴定费 500 & 其他 <甲> "乙"\n第二行：当事人签字'
FIRST, SECOND = TRICKY.split("\n")


@pytest.fixture
def party(admin_user, village_a):
    return factories.person(actor=admin_user, division=village_a, name="李四", address=ADDRESS)


@pytest.fixture
def full_case(file_case, walk, officer1, head, hearing_chair):
    """A penalty case through every form, with a hearing, a reminder and a court application."""
    case = walk(file_case(facts=TRICKY), "investigated")
    services.case_record_investigation(
        actor=officer1,
        case=case,
        form=CaseDocument.Form.INQUIRY,
        on=D("2026-03-06"),
        subject="证人王五",
        content=TRICKY,
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
        record=TRICKY,
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
    services.case_close(actor=officer1, case=case, closed_on=D("2026-10-10"), summary=TRICKY)
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
        facts=TRICKY,
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


def _docx_text(body: bytes) -> str:
    docx = Document(io.BytesIO(body))
    return "\n".join(
        [p.text for p in docx.paragraphs]
        + [p.text for t in docx.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    )


def _read(doc: CaseDocument, actor) -> tuple[str, str, PdfReader]:
    docx_text = _docx_text(documents.document_docx(doc, actor=actor))
    reader = PdfReader(io.BytesIO(documents.document_pdf(doc, actor=actor)))
    pdf_text = "\n".join(page.extract_text() for page in reader.pages)
    return docx_text, pdf_text, reader


SHOWS_TRICKY = {
    "filing",
    "inquiry",
    "notice",
    "approval",
    "hearing_record",
    "decision_penalty",
    "decision_fee",
    "court",
    "closure",
}


def _check(doc: CaseDocument, actor, *, party_id: str, amount: tuple[str, str] | None) -> None:
    docx_text, pdf_text, reader = _read(doc, actor)
    form = doc.form
    assert "{{" not in docx_text and "{%" not in docx_text, form
    assert documents.FORMS[form]["title"] in pdf_text and documents.FORMS[form]["title"] in (
        docx_text
    ), form
    for text in (docx_text, pdf_text):
        assert party_id in text, form
        assert "*" not in text, form  # nothing masked
    if form in SHOWS_TRICKY:
        # the docx keeps the line break as <w:br/> (python-docx reads it as "\n")
        assert TRICKY in docx_text, form
        assert re.search(re.escape(FIRST) + r"\s*\n\s*" + re.escape(SECOND), pdf_text), form
    if party_id != "91130525MA0ABCDE1X":
        assert ADDRESS in docx_text and ADDRESS in pdf_text, form
    if amount:
        figures, capitals = amount
        for text in (docx_text, pdf_text):
            assert figures in text and capitals in text, form
    box = reader.pages[0].mediabox  # A4 = 595.28 x 841.89 pt
    assert abs(float(box.width) - 595.28) < 1 and abs(float(box.height) - 841.89) < 1, form
    fonts = {f.replace("-", "").replace(" ", "") for f in _pdf_fonts(reader)}
    assert any("NotoSansCJK" in f or "NotoSerifCJK" in f or "WenQuanYi" in f for f in fonts)
    # No page carries only the signature block: the last page has text besides it.
    last = reader.pages[-1].extract_text()
    rest = re.sub(r"第 \d+ 页 / 共 \d+ 页|（印章）|\d{4}年\d{2}月\d{2}日|\s", "", last)
    rest = rest.replace(doc.data["bureau"], "")
    assert rest, (form, last)


def test_every_form_renders_as_docx_and_pdf_with_what_the_law_requires(
    full_case, fee_decision, decide_on_spot, officer1, party
):
    on_spot = decide_on_spot(
        person=None,
        organisation_name="某某诊所",
        organisation_code="91130525MA0ABCDE1X",
        legal_representative="王五",
        signature="王五",
        amount=Decimal("1500"),
    ).documents.get()
    forms = set(full_case.documents.values_list("form", flat=True))
    assert forms | {fee_decision.form, on_spot.form} == set(CaseDocument.Form.values)
    without_amount = {"filing", "interview", "inquiry", "service", "catalogue"}
    for doc in full_case.documents.order_by("sequence"):
        amount = None if doc.form in without_amount else ("14000.00", "壹万肆仟元整")
        _check(doc, officer1, party_id=party.id_number, amount=amount)
    _check(fee_decision, officer1, party_id=party.id_number, amount=("60000.00", "陆万元整"))
    _check(on_spot, officer1, party_id="91130525MA0ABCDE1X", amount=("1500.00", "壹仟伍佰元整"))


@pytest.mark.parametrize(
    ("form", "operative"),
    [
        (
            "decision_penalty",
            "决定给予当事人以下行政处罚：罚款人民币14000.00元（大写：壹万肆仟元整）。",
        ),
        ("decision_fee", "决定对当事人征收社会抚养费人民币60000.00元（大写：陆万元整）。"),
    ],
)
def test_a_decision_names_the_operative_decision_review_body_court_and_periods(
    form, operative, full_case, fee_decision, officer1
):
    doc = fee_decision if form == "decision_fee" else full_case.documents.get(form=form)
    docx_text, pdf_text, _ = _read(doc, officer1)
    flat_pdf = re.sub(r"\s", "", pdf_text)
    for expected in (
        operative,
        "60日内向隆尧县人民政府申请行政复议",
        "6个月内直接向隆尧县人民法院提起行政诉讼",
        "（印章）",
        "隆尧县人口和计划生育局",
        doc.number,
    ):
        assert expected in docx_text, expected
        assert re.sub(r"\s", "", expected) in flat_pdf, expected


def test_a_decision_confiscates_the_illegal_gains_entered():
    sentence = documents.operative_sentence(
        fee=False, fine=Decimal("30000"), confiscation=Decimal("5000.50"), warning=True
    )
    assert sentence == (
        "决定给予当事人以下行政处罚：警告；罚款人民币30000.00元（大写：叁万元整）；"
        "没收违法所得人民币5000.50元（大写：伍仟元伍角）。"
    )
    with pytest.raises(ValueError, match="没有处罚种类"):
        documents.operative_sentence(fee=False, fine=None)


def test_the_review_body_court_and_bank_are_the_departments_settings(fee_decision, officer1):
    from zeren.org.models import DocumentSettings

    settings = DocumentSettings.objects.get(department__code="longyao-jsj")
    settings.review_body = "邢台市某某人民政府"
    settings.court = "某某区人民法院"
    settings.bank_name = "某某银行隆尧支行"
    settings.account_name = "隆尧县非税收入专户"
    settings.account_number = "6222000011112222333"
    settings.save()
    docx_text, _, _ = _read(fee_decision, officer1)
    assert "向邢台市某某人民政府申请行政复议" in docx_text
    assert "向某某区人民法院提起行政诉讼" in docx_text
    assert (
        "缴至某某银行隆尧支行（户名：隆尧县非税收入专户，账号：6222000011112222333）" in docx_text
    )
    assert "千分之二的滞纳金" in docx_text


def test_generating_a_document_is_a_logged_reveal(full_case, officer1, bureau):
    doc = full_case.documents.get(form="decision_penalty")
    documents.document_docx(doc, actor=officer1)
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REVEAL).latest("pk")
    assert event.actor == officer1
    assert event.detail["document"] == f"《行政处罚决定书》{doc.number}"
    assert event.detail["fields"] == ["id_number"]

    viewer = make_user("viewer", Role.AUDITOR, department=bureau)
    viewer.user_permissions.add(Permission.objects.get(codename="view_casedocument"))
    viewer = type(viewer).objects.get(pk=viewer.pk)
    with pytest.raises(PermissionDenied):
        documents.document_pdf(doc, actor=viewer)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DENIED, actor=viewer).exists()


def test_downloads_have_chinese_file_names(client, full_case, officer1):
    doc = full_case.documents.get(form="decision_penalty")
    force_login(client, officer1)
    for fmt in ("docx", "pdf"):
        url = reverse("case-document", args=[full_case.pk, doc.sequence, fmt])
        response = client.get(url)
        assert response.status_code == 200
        name = f"{doc.number}-行政处罚决定书.{fmt}"
        assert name.startswith("隆计罚决〔2026〕")
        assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]


def test_the_api_downloads_with_the_same_name_and_reveal(client, full_case, officer1):
    doc = full_case.documents.get(form="decision_penalty")
    force_login(client, officer1)
    response = client.get(f"/api/cases/{full_case.pk}/documents/{doc.sequence}.pdf/")
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    name = quote(f"{doc.number}-行政处罚决定书.pdf")
    assert f"filename*=utf-8''{name}" in response["Content-Disposition"]
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REVEAL).latest("pk")
    assert event.detail["document"] == f"《行政处罚决定书》{doc.number}"


def test_the_whole_case_file_is_one_pdf_with_catalogue_and_page_numbers(full_case, officer1):
    reader = PdfReader(io.BytesIO(documents.case_file_pdf(full_case, actor=officer1)))
    count = full_case.documents.count()
    assert len(reader.pages) >= count + 2
    toc = reader.pages[1].extract_text() + reader.pages[2].extract_text()
    assert "卷内目录" in toc
    # Each catalogue line ends with the page the document starts on (after cover and catalogue).
    start = next(i for i, p in enumerate(reader.pages) if "立案审批表\n" in p.extract_text())
    first = reader.pages[start].extract_text()
    assert f"第 {start + 1} 页 / 共 {len(reader.pages)} 页" in first
    assert re.search(rf"1 立案审批表 .*?2026-03-02 {start + 1}\n", toc, re.S)
    flat = re.sub(r"\s", "", toc)
    assert "行政处罚决定书" in flat and "送达回证" in flat


def test_the_cli_writes_each_form_and_lists_them(full_case, fee_decision, tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["cases", "document", "--help"])
    help_text = capsys.readouterr().out
    for code, form in documents.FORMS.items():
        assert re.search(rf"^\s+{code}\s+{form['title']}$", help_text, re.M), code
    for doc in [*full_case.documents.all(), fee_decision]:
        for fmt in ("docx", "pdf"):
            out = tmp_path / f"{doc.form}.{fmt}"
            args = ["cases", "document", doc.case.number, "--form", doc.form]
            assert main([*args, "--format", fmt, "--output", str(out)]) == 0
            body = out.read_bytes()
            assert body[:4] == (b"PK\x03\x04" if fmt == "docx" else b"%PDF")
    assert main(["cases", "document", full_case.number, "--form", "decision_fee", "-o", "x"]) == 2
    assert "没有征收社会抚养费决定书" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("3", "三"),
        ("2", "二"),
        ("10", "十"),
        ("15", "十五"),
        ("20", "二十"),
        ("99", "九十九"),
        ("0.5", "0.5"),
        ("100", "100"),
    ],
)
def test_rates_are_written_in_words_as_the_statutes_write_them(value, words):
    # 行政处罚法第七十二条：“每日按罚款数额的百分之三加处罚款”.
    from decimal import Decimal

    from zeren.cases.documents import rate_words

    assert rate_words(Decimal(value)) == words
