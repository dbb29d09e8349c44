"""计生审查 (service 3): an agency's staff list, whole or nothing; a letter per person in time."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests import factories
from tests.conftest import login
from zeren.cases.models import Violation
from zeren.cases.services import case_file
from zeren.core.models import SecurityEvent
from zeren.core.spreadsheets import ImportFailed
from zeren.publicservices import documents
from zeren.publicservices.models import Application, ReviewPerson
from zeren.publicservices.selectors import applications_for
from zeren.publicservices.services import (
    agency_review_answer,
    agency_review_submit,
    review_person_check,
)

pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list[str]], header=("姓名", "身份证号", "审查事由")) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("名单")
    for r, values in enumerate([list(header), *rows]):
        for c, value in enumerate(values):
            sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def test_a_list_with_three_bad_rows_imports_nothing_and_names_them(today, partner):
    good = factories.id_number()
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    content = _xlsx(
        [
            ["张一", factories.id_number(), "晋升"],  # row 2
            ["张二", wrong_check, "晋升"],  # row 3: check digit
            ["张三", good, "评优"],  # row 4
            ["", factories.id_number(), "评优"],  # row 5: no name
            ["张五", good, "招录"],  # row 6: same person as row 4
        ]
    )
    with pytest.raises(ImportFailed) as failed:
        agency_review_submit(actor=partner, content=content)
    named = {(e.row, e.column) for e in failed.value.errors}
    assert named == {(3, "身份证号"), (5, "姓名"), (6, "身份证号")}
    messages = [str(e) for e in failed.value.errors]
    assert any("第3行「身份证号」：身份证号校验位错误" in m for m in messages)
    assert any("与第4行重复" in m for m in messages)
    assert failed.value.error_sheet  # the annotated copy to send back
    assert Application.objects.count() == 0 and ReviewPerson.objects.count() == 0


def test_a_list_without_the_columns_is_refused(today, partner):
    with pytest.raises(ImportFailed) as failed:
        agency_review_submit(actor=partner, content=_xlsx([["张一"]], header=("姓名",)))
    assert {e.column for e in failed.value.errors} == {"身份证号", "审查事由"}


def test_only_agency_accounts_submit(today, staff_a):
    with pytest.raises(PermissionDenied):
        agency_review_submit(actor=staff_a, content=_xlsx([]))


@pytest.fixture
def registered(admin_user, village_a, officer1, officer2, head, township_a):
    """Two registered persons, one with an enforcement case, and one person unknown here."""
    clean = factories.person(actor=admin_user, division=village_a, name="王清白")
    offender = factories.person(actor=admin_user, division=village_a, name="李有案")
    case = case_file(
        actor=officer1,
        kind="penalty",
        violation=Violation.objects.get(code="sex-identification"),
        township=township_a,
        officers=[officer1.officer, officer2.officer],
        filed_on=dt.date(2026, 3, 2),
        approved_by=head,
        act_date=dt.date(2026, 2, 20),
        facts="为孕妇进行非医学需要的胎儿性别鉴定",
        person=offender,
    )
    return clean, offender, case


def test_a_good_list_is_answered_in_time_with_a_letter_per_person(
    today, partner, migrant_clerk, registered
):
    clean, offender, case = registered
    content = _xlsx(
        [
            ["王清白", clean.id_number, "晋升"],
            ["李有案", offender.id_number, "评优"],
            ["赵外来", factories.id_number(), "招录"],
        ]
    )
    application = agency_review_submit(actor=partner, content=content)
    assert application.agency == partner.department
    assert application.receipt_code
    assert application.due_on == dt.date(2026, 12, 8)  # 5 working days from 2026-12-01
    persons = list(application.persons.all())
    assert [p.row for p in persons] == [2, 3, 4]

    with pytest.raises(ValidationError, match="尚未核查"):
        agency_review_answer(actor=migrant_clerk, application=application)
    before = SecurityEvent.objects.count()
    for p in persons:
        review_person_check(actor=migrant_clerk, person=p)
    assert SecurityEvent.objects.count() == before + 3  # every check is logged
    findings = [p.finding for p in application.persons.all()]
    assert findings == ["clear", "records", "no_record"]
    assert case.number in application.persons.get(row=3).details

    done = agency_review_answer(actor=migrant_clerk, application=application)
    assert done.status == "completed" and done.finished_on <= done.due_on
    assert not done.is_overdue
    for p in application.persons.all():
        assert documents.review_letter_pdf(p).startswith(b"%PDF")
        body = zipfile.ZipFile(io.BytesIO(documents.review_letter_docx(p))).read(
            "word/document.xml"
        )
        text = body.decode()
        assert p.name in text and p.get_finding_display() in text
        assert p.id_number not in text  # masked on the letter


def test_the_agency_sees_only_its_own_requests(today, partner, bureau, migrant_clerk):
    from tests.conftest import make_user
    from zeren.core.roles import Role
    from zeren.org.models import Department

    police = make_user(
        "gongan1", Role.PARTNER, department=Department.objects.get(code="longyao-gaj")
    )
    mine = agency_review_submit(
        actor=partner, content=_xlsx([["王一", factories.id_number(), "晋升"]])
    )
    theirs = agency_review_submit(
        actor=police, content=_xlsx([["王二", factories.id_number(), "晋升"]])
    )
    assert list(applications_for(partner)) == [mine]
    assert list(applications_for(police)) == [theirs]
    client = login(partner)
    assert client.get(reverse("publicservices-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("publicservices-detail", args=[mine.pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        review_person_check(actor=partner, person=mine.persons.get())


def test_the_pages_take_the_list_check_it_and_give_the_letters(
    today, partner, migrant_clerk, registered
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    clean, _, _ = registered
    agency = login(partner)
    upload = reverse("publicservices-review-upload")
    bad = _xlsx([["王一", "130525199001011234", "晋升"], ["", clean.id_number, ""]])
    page = agency.post(upload, {"file": SimpleUploadedFile("名单.xlsx", bad)}).content.decode()
    assert "整份未导入" in page and "第2行「身份证号」" in page and "第3行「姓名」" in page
    assert Application.objects.count() == 0

    good = _xlsx([["王清白", clean.id_number, "晋升"]])
    page = agency.post(upload, {"file": SimpleUploadedFile("名单.xlsx", good)}).content.decode()
    application = Application.objects.get()
    assert application.reference in page

    clerk = login(migrant_clerk)
    check = reverse("publicservices-review-check", args=[application.pk])
    clerk.post(check, {"action": "check"})
    clerk.post(check, {"action": "answer"})
    application.refresh_from_db()
    assert application.status == "completed"
    letter = agency.get(reverse("publicservices-review-letter", args=[application.pk, 2, "pdf"]))
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
