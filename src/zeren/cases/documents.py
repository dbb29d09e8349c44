"""The standard forms as .docx (docxtpl templates in ``forms/``) and PDF (WeasyPrint).

Both formats come from the same form description (``forms/spec.py``) and the same context
(:func:`document_context`): the data stored with the document when its step was recorded, plus
what is rendered from the case and the department's settings at the time of printing: the
party's full ID number (a reveal, logged), amounts in figures and capitals, the operative
sentence of a decision, where and how to pay, and the review body and court by name.

Layout, fonts, escaping and file names come from ``zeren.core.documents``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from zeren.cases import selectors
from zeren.cases.doc_templates.spec import FORMS
from zeren.cases.models import Case, CaseDocument, CaseKind
from zeren.core.documents import DOCX_TYPE, PDF_TYPE, render_docx, render_pdf, safe_filename
from zeren.core.fields import is_undecryptable
from zeren.core.money import yuan
from zeren.core.permissions import is_user
from zeren.core.security import log_event
from zeren.org.models import Department
from zeren.org.selectors import document_settings

FORMS_DIR = Path(__file__).parent / "doc_templates"
FORMATS = {"docx": DOCX_TYPE, "pdf": PDF_TYPE}
DECISIONS = {
    CaseDocument.Form.DECISION_PENALTY,
    CaseDocument.Form.DECISION_FEE,
    CaseDocument.Form.DECISION_ON_SPOT,
}


# -- what a decision says ------------------------------------------------------------------
def operative_sentence(
    *,
    fee: bool,
    fine: Decimal | None = None,
    confiscation: Decimal | None = None,
    warning: bool = False,
) -> str:
    """The operative sentence of a decision (行政处罚法第五十九条第一款第三项: 种类和依据).

    ``fee``: a 征收社会抚养费决定 (``fine`` is then the fee, yuan). Otherwise the penalties, in
    the order of 行政处罚法第九条: 警告, 罚款, 没收违法所得 (第二十八条: 有违法所得的应当予以没收).
    A new kind of penalty is one more keyword and one more line in ``items``. Raises
    ``ValueError`` when nothing was decided.
    """
    if fee:
        if fine is None:
            raise ValueError("征收决定没有金额")
        return f"决定对当事人征收社会抚养费{yuan(fine).phrase}。"
    items = []
    if warning:
        items.append("警告")
    if fine is not None and fine > 0:
        items.append(f"罚款{yuan(fine).phrase}")
    if confiscation is not None and confiscation > 0:
        items.append(f"没收违法所得{yuan(confiscation).phrase}")
    if not items:
        raise ValueError("处罚决定没有处罚种类")
    return "决定给予当事人以下行政处罚：" + "；".join(items) + "。"


def remedies_sentence(*, review_body: str, court: str) -> str:
    """How and by when the party may challenge the decision (行政处罚法第五十九条第一款第五项).

    60 days for administrative review before the county people's government (行政复议法 2023
    第二十条、第二十四条); 6 months for a suit in the people's court (行政诉讼法第四十六条).
    """
    return (
        f"如不服本决定，可以自收到本决定书之日起60日内向{review_body}申请行政复议，"
        f"也可以自收到本决定书之日起6个月内直接向{court}提起行政诉讼。"
        "行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外"
        "（行政处罚法第七十三条）。"
    )


def payment_sentence(case: Case, stored: str, department: Department | None) -> str:
    """The stored period (e.g. 自收到本决定书之日起15日内缴清（依据）) plus where to pay and the
    consequence of paying late (行政处罚法第六十七条、第七十二条; 社会抚养费征收管理办法第八条)."""
    settings = document_settings(department)
    where = (
        f"，缴至{settings.bank_name}（户名：{settings.account_name}，"
        f"账号：{settings.account_number}）"
        if settings.bank_name
        else "，到指定的银行或者通过电子支付系统缴纳"
    )
    text = stored.rstrip("。") + where + "。"
    if settings.payment_note:
        text += settings.payment_note.rstrip("。") + "。"
    book = selectors.rulebook(case.rule_set)
    key = "fee_late_rate" if case.kind == CaseKind.FEE else "fine_late_rate"
    if book.has(key):
        rate = book.get(key)
        if case.kind == CaseKind.FEE:
            text += (
                f"逾期不缴纳的，每月加收应缴金额千分之{rate_words(rate.value)}的滞纳金"
                f"（{rate.source}）。"
            )
        else:
            text += (
                f"到期不缴纳罚款的，每日按罚款数额的百分之{rate_words(rate.value)}加处罚款，"
                f"加处罚款的数额不超出罚款的数额（{rate.source}）。"
            )
    return text


def rate_words(value) -> str:
    """A whole rate written as the statutes write it: 3 → 三, 2 → 二, 15 → 十五, 20 → 二十
    (行政处罚法第七十二条“百分之三”); anything else keeps its figures."""
    digits = "零一二三四五六七八九"
    number = Decimal(str(value))
    if number != number.to_integral_value() or not 0 < number < 100:
        return str(value)
    n = int(number)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


# -- context -------------------------------------------------------------------------------
def _department(case: Case) -> Department | None:
    return (
        case.handler.department
        or Department.objects.filter(kind=Department.Kind.BUREAU).order_by("code").first()
    )


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def party_id(case: Case, *, what: str, actor: Any, request: Any = None) -> str:
    """The party's full ID number (or credit code) for a document: a logged reveal.

    A person's number needs ``people.reveal_person`` and the person in the actor's scope
    (``people.services.person_reveal``, which raises ``PermissionDenied`` otherwise and logs the
    refusal); the security-log row names the document (``what``). ``actor`` None is the
    command line, logged as such.
    """
    if case.party_kind != Case.PartyKind.PERSON or not case.person_id:
        return case.organisation_code
    from zeren.people.services import person_reveal

    if is_user(actor):
        plain = person_reveal(
            actor=actor, person=case.person, request=request, document=what, fields=["id_number"]
        )
        return plain["id_number"]
    from zeren.core.models import SecurityEvent

    log_event(
        SecurityEvent.Kind.REVEAL,
        username=str(actor or "命令行"),
        obj=case.person,
        detail={"fields": ["id_number"], "document": what},
    )
    return case.person.id_number


def document_context(doc: CaseDocument, *, id_number: str) -> dict[str, Any]:
    """Everything a form shows: stored data, full ID number, capitals, decision sentences.

    ``id_number`` is the party's full ID number or credit code (from :func:`party_id`).
    Amounts are yuan; ``amount_capitals`` is e.g. 壹万肆仟元整. Raises ValidationError when
    the stored content cannot be decrypted (the failure is already in the security log).
    """
    if is_undecryptable(doc.data):
        raise ValidationError(f"文书{doc.number}的内容无法解密（已记入安全日志），不能生成")
    case = doc.case
    form = FORMS[doc.form]
    data: dict[str, Any] = {**doc.data, "number": doc.number, "title": form["title"]}
    data["party_id"] = id_number
    if case.party_kind == Case.PartyKind.PERSON and case.person_id:
        data["party_address"] = case.person.address
    amount = _decimal(data.get("amount"))
    if amount is not None:
        data["amount"] = yuan(amount).figures
        data["amount_capitals"] = yuan(amount).capitals
    if doc.form in DECISIONS:
        department = _department(case)
        settings = document_settings(department)
        confiscation = case.gains if doc.form == CaseDocument.Form.DECISION_PENALTY else None
        data["operative"] = operative_sentence(
            fee=doc.form == CaseDocument.Form.DECISION_FEE,
            fine=amount,
            confiscation=confiscation,
        )
        data["payment"] = payment_sentence(case, data.get("payment", ""), department)
        data["remedies"] = remedies_sentence(review_body=settings.review_body, court=settings.court)
    return {k: ("" if v is None else v) for k, v in data.items()}


def document_name(doc: CaseDocument) -> str:
    """《行政处罚决定书》隆计罚决〔2026〕5号: how logs and messages name a document."""
    return f"《{FORMS[doc.form]['title']}》{doc.number}"


def _reveal(doc: CaseDocument, actor: Any, request: Any) -> str:
    return party_id(doc.case, what=document_name(doc), actor=actor, request=request)


def _rows(doc: CaseDocument, data: dict[str, Any]) -> dict[str, Any]:
    form = FORMS[doc.form]
    return {
        "doc": doc,
        "title": form["title"],
        "data": data,
        "fields": [(label, data.get(key, "")) for label, key in form["fields"]],
        "sections": [(heading, data.get(key, "")) for heading, key in form["sections"]],
        "entries": data.get(form["table"], []) if form.get("table") else None,
    }


def document_docx(doc: CaseDocument, *, actor: Any, request: Any = None) -> bytes:
    """The form as .docx (A4, GB/T 9704 layout); a reveal of the party's ID number."""
    context = document_context(doc, id_number=_reveal(doc, actor, request))
    return render_docx(FORMS_DIR / f"{doc.form}.docx", context)


def document_html(doc: CaseDocument, *, id_number: str) -> str:
    return render_to_string(
        "cases/documents/single.html", _rows(doc, document_context(doc, id_number=id_number))
    )


def document_pdf(doc: CaseDocument, *, actor: Any, request: Any = None) -> bytes:
    """The form as PDF (A4, GB/T 9704 layout, font embedded); a reveal of the ID number."""
    return render_pdf(document_html(doc, id_number=_reveal(doc, actor, request)))


def document_file(doc: CaseDocument, fmt: str, *, actor: Any, request: Any = None) -> bytes:
    """The form in ``fmt`` ("docx" or "pdf"); ``ValueError`` for another format."""
    if fmt == "docx":
        return document_docx(doc, actor=actor, request=request)
    if fmt == "pdf":
        return document_pdf(doc, actor=actor, request=request)
    raise ValueError(f"不支持的格式“{fmt}”，可选：docx、pdf")


def document_filename(doc: CaseDocument, fmt: str) -> str:
    """隆计罚决〔2026〕5号-行政处罚决定书.docx: the document's number, then its title."""
    return safe_filename(f"{doc.number}-{FORMS[doc.form]['title']}.{fmt}")


def case_file_filename(case: Case) -> str:
    return safe_filename(f"{case.number}-案卷.pdf")


def case_file_pdf(case: Case, *, actor: Any, request: Any = None) -> bytes:
    """The whole case file as one PDF: cover, catalogue with page numbers, every document.

    One reveal of the party's ID number, logged as the case file.
    """
    docs = list(case.documents.order_by("sequence"))
    id_number = party_id(case, what=f"{case.number}案卷", actor=actor, request=request)
    rows = [_rows(d, document_context(d, id_number=id_number)) for d in docs]
    html = render_to_string("cases/documents/case_file.html", {"case": case, "documents": rows})
    return render_pdf(html)
