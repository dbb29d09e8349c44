"""Staff pages, downloads and the public verification page."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import quote

import docx
import pypdf
import pytest
from django.urls import reverse

from tests.certificates.conftest import register
from tests.conftest import login
from tests.factories import person
from zeren.certificates.models import Certificate
from zeren.certificates.rules import Status
from zeren.certificates.services import certificate_issue, certificate_revoke
from zeren.core.models import SecurityEvent


def test_township_staff_register_an_application_through_the_form(types, staff_a, husband, wife):
    client = login(staff_a)
    response = client.post(
        reverse("certificates-apply", args=["only_child"]),
        {
            "holder_id_number": husband.id_number,
            "spouse_id_number": wife.id_number.lower(),
            "applied_on": "2026-03-01",
            "fact_marriage_date": "2015-05-01",
            "fact_child_name": "王小明",
            "fact_child_birth_date": "2016-08-08",
        },
    )
    cert = Certificate.objects.get()
    assert response.status_code == 302
    assert cert.holder == husband and cert.spouse == wife and cert.status == Status.APPLIED


@pytest.mark.parametrize(
    ("holder", "message"),
    [("130525199001011235", "身份证号无效"), ("OUTSIDER", "不在您的管辖范围内")],
)
def test_the_form_refuses_bad_or_foreign_id_numbers(types, staff_a, outsider, holder, message):
    holder = outsider.id_number if holder == "OUTSIDER" else holder
    response = login(staff_a).post(
        reverse("certificates-apply", args=["migrant"]),
        {
            "holder_id_number": holder,
            "applied_on": "2026-03-01",
            "fact_marital_status": "已婚",
            "fact_children": "1",
            "fact_destination": "北京",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Certificate.objects.exists()


def test_section_staff_issue_from_the_detail_page(types, staff_a, section_staff, husband):
    cert = register(staff_a, types["migrant"], husband)
    response = login(section_staff).post(
        reverse("certificates-action", args=[cert.pk, "issue"]), {"on": "2026-03-02"}
    )
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.number == "隆婚育〔2026〕00001"


def test_township_staff_cannot_issue(types, staff_a, husband):
    cert = register(staff_a, types["migrant"], husband)
    response = login(staff_a).post(
        reverse("certificates-action", args=[cert.pk, "issue"]), {"on": "2026-03-02"}
    )
    assert response.status_code == 400
    cert.refresh_from_db()
    assert cert.number is None


def test_the_duplicate_refusal_is_shown_beside_the_form(honour, staff_a):
    response = login(staff_a).post(
        reverse("certificates-apply", args=["only_child"]),
        {
            "holder_id_number": honour.spouse.id_number,
            "spouse_id_number": honour.holder.id_number,
            "applied_on": "2026-03-01",
            "fact_marriage_date": "2015-05-01",
            "fact_child_name": "王小明",
            "fact_child_birth_date": "2016-08-08",
        },
    )
    assert response.status_code == 400
    assert "不能重复办理" in response.content.decode()


def test_staff_of_another_township_get_404(honour, staff_b, auditor):
    assert login(staff_b).get(reverse("certificates-detail", args=[honour.pk])).status_code == 404
    assert SecurityEvent.objects.filter(kind="denied", username="staff_b").exists()
    assert login(auditor).get(reverse("certificates-detail", args=[honour.pk])).status_code == 200


def test_the_register_lists_masked_numbers_and_filters(honour, staff_a, staff_b):
    page = login(staff_a).get(reverse("certificates-list"), {"status": "valid"})
    html = page.content.decode()
    assert honour.number in html and "王建国" in html
    assert honour.holder.id_number not in html
    assert honour.holder.id_number_masked in html
    other = login(staff_b).get(reverse("certificates-list")).content.decode()
    assert honour.number not in other


def test_the_pdf_shows_the_holders_full_numbers_and_free_of_charge(honour, staff_a):
    response = login(staff_a).get(reverse("certificates-download", args=[honour.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 1  # a certificate is one sheet, the issuer's block included
    text = "".join(p.extract_text() for p in pages)
    assert "王建国" in text and "李秀英" in text
    assert honour.number in text
    assert "免费办理" in text
    assert honour.holder.id_number in text and honour.spouse.id_number in text
    assert SecurityEvent.objects.filter(kind="export", object_id=str(honour.pk)).exists()
    reveals = SecurityEvent.objects.filter(kind="reveal", actor=staff_a)
    assert {e.object_id for e in reveals} == {str(honour.holder.pk), str(honour.spouse.pk)}
    assert all(e.detail["document"] == f"《{honour.type.name}》{honour.number}" for e in reveals)
    name = f"{honour.number}-{honour.type.name}.pdf"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]


def test_the_docx_shows_the_same_with_full_numbers_on_a4(honour, staff_a):
    response = login(staff_a).get(reverse("certificates-download", args=[honour.pk, "docx"]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    assert honour.number in text and "王建国" in text and "王小明" in text
    assert "免费办理" in text
    assert honour.holder.id_number in text and honour.spouse.id_number in text
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)


def test_a_certificate_keeps_special_characters_and_line_breaks(
    types, staff_a, section_staff, husband
):
    from zeren.certificates import documents

    destination = '北京市朝阳区A&B<路>"甲"号\n二单元'
    facts = {"marital_status": "已婚", "children": "1", "destination": destination}
    cert = register(staff_a, types["migrant"], husband, facts=facts)
    cert = certificate_issue(actor=section_staff, certificate=cert, on=dt.date(2026, 3, 2))
    document = docx.Document(io.BytesIO(documents.certificate_docx(cert, actor=staff_a)))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert destination in cells
    pdf = pypdf.PdfReader(io.BytesIO(documents.certificate_pdf(cert, actor=staff_a)))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert re.search(r'北京市朝阳区A&B<路>"甲"号\s*\n\s*二单元', text)
    assert husband.id_number in text


def test_a_user_without_the_reveal_permission_cannot_produce_a_certificate(honour, auditor):
    from django.core.exceptions import PermissionDenied

    from zeren.certificates import documents

    with pytest.raises(PermissionDenied):
        documents.certificate_docx(honour, actor=auditor)
    assert SecurityEvent.objects.filter(kind="denied", actor=auditor).exists()


def test_an_application_has_no_document_yet(types, staff_a, husband):
    cert = register(staff_a, types["migrant"], husband)
    response = login(staff_a).get(reverse("certificates-download", args=[cert.pk, "pdf"]))
    assert response.status_code == 404


def _verify(client, number, name, ip="192.0.2.1"):
    return client.post(
        reverse("certificates-verify"), {"number": number, "name": name}, REMOTE_ADDR=ip
    )


def test_public_verification_answers_valid_without_personal_data(honour, client):
    response = _verify(client, honour.number, "李秀英")
    html = response.content.decode()
    assert response.status_code == 200
    assert "核验结果：<strong>有效</strong>" in html
    assert "王建国" not in html and honour.holder.id_number_masked not in html
    assert "王小明" not in html


def test_wrong_name_and_unknown_number_get_the_same_page(honour, client):
    def page(number: str) -> str:
        html = _verify(client, number, "张三").content.decode()
        # Only the echoed number and the per-request CSRF tokens may differ.
        return re.sub(r"[A-Za-z0-9]{32,}", "", html.replace(number, ""))

    wrong_name, unknown = page(honour.number), page("隆光荣〔2026〕09999")
    assert "未查到" in wrong_name
    assert wrong_name == unknown


def test_public_verification_tells_revoked(honour, head, client):
    certificate_revoke(actor=head, certificate=honour, ground="deception", on=dt.date(2026, 4, 1))
    assert "已撤销" in _verify(client, honour.number, "王建国").content.decode()


def test_public_verification_is_rate_limited_per_address(honour, client, settings):
    settings.ZEREN_CERT_VERIFY_PER_HOUR = 2
    codes = [_verify(client, honour.number, "王建国").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert _verify(client, honour.number, "王建国", ip="192.0.2.9").status_code == 200


def test_the_application_form_asks_for_the_types_facts(types, staff_a):
    html = login(staff_a).get(reverse("certificates-apply", args=["only_child"])).content.decode()
    for label in ("持证人身份证号", "配偶身份证号", "结婚登记日期", "子女姓名", "子女出生日期"):
        assert label in html
    html = login(staff_a).get(reverse("certificates-apply", args=["migrant"])).content.decode()
    assert "流入地" in html and "配偶身份证号" not in html


def test_the_detail_page_offers_only_the_allowed_actions(honour, staff_a, section_staff):
    url = reverse("certificates-detail", args=[honour.pk])
    section = login(section_staff).get(url).content.decode()
    assert reverse("certificates-action", args=[honour.pk, "reissue"]) in section
    assert reverse("certificates-action", args=[honour.pk, "revoke"]) in section
    assert reverse("certificates-action", args=[honour.pk, "issue"]) not in section
    assert "有效" in section and "王小明" in section
    township = login(staff_a).get(url).content.decode()
    assert reverse("certificates-action", args=[honour.pk, "revoke"]) not in township
    assert reverse("certificates-download", args=[honour.pk, "pdf"]) in township


def test_auditor_may_view_but_not_download(honour, auditor):
    url = reverse("certificates-download", args=[honour.pk, "pdf"])
    assert login(auditor).get(url).status_code == 403


def test_reissue_from_the_page_points_to_the_new_certificate(honour, section_staff):
    response = login(section_staff).post(
        reverse("certificates-action", args=[honour.pk, "reissue"]),
        {"ground": "lost", "on": "2026-04-01"},
    )
    new = Certificate.objects.get(replaces=honour)
    assert response.status_code == 302 and response.url.endswith(f"/{new.pk}/")


def test_the_register_page_queries_do_not_grow_with_rows(
    types, staff_a, section_staff, village_a, django_assert_max_num_queries
):
    for i in range(30):
        p = person(actor=staff_a, division=village_a, name=f"流出{i}")
        certificate = register(staff_a, types["migrant"], p)
        if i % 2:
            certificate_issue(actor=section_staff, certificate=certificate)
    client = login(staff_a)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("certificates-list"))
    assert response.content.decode().count("流出") == 30
