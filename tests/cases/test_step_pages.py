"""Working a case in the staff pages: each form calls its service and shows its refusal."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import login, make_user
from zeren.cases import services
from zeren.cases.models import Case, CaseDocument, CaseEvent, Step
from zeren.core.roles import Role

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
HTMX = {"HTTP_HX_REQUEST": "true"}


def act(client, case: Case, action: str, data: dict, **headers):
    return client.post(f"/staff/cases/{case.pk}/act/{action}/", data, **headers)


def snapshot(case: Case) -> tuple:
    """What a refused step must leave untouched."""
    case.refresh_from_db()
    return (
        case.step,
        case.updated_at if hasattr(case, "updated_at") else None,
        CaseEvent.objects.filter(case=case).count(),
        CaseDocument.objects.filter(case=case).count(),
        case.served_on,
        case.hearing_requested_on,
    )


def filing_data(party, township, officers, violation, head, **overrides) -> dict:
    data = {
        "kind": "penalty",
        "party_kind": "person",
        "id_number": party.id_number,
        "violation": violation.pk,
        "facts": "为孕妇进行非医学需要的胎儿性别鉴定",
        "act_date": "2026-02-20",
        "township": township.pk,
        "officers": [o.pk for o in officers],
        "filed_on": "2026-03-02",
        "approved_by": head.pk,
    }
    data.update(overrides)
    return data


def test_a_case_is_walked_from_filing_to_archive_through_the_pages(
    officer1, officer2, head, party, township_a, officers, sex_identification, hearing_chair
):
    client = login(officer1)
    page = client.get("/staff/cases/new/")
    assert page.status_code == 200 and "立案" in page.content.decode()

    r = client.post(
        "/staff/cases/new/",
        filing_data(party, township_a, officers, sex_identification, head),
    )
    assert r.status_code == 302, r.content.decode()
    case = Case.objects.get()
    assert r["Location"] == f"/staff/cases/{case.pk}/"
    assert (case.person, case.rule_set.code, case.handler) == (party, "apl-2021", officer1)

    def ok(action: str, data: dict, user=officer1, htmx: bool = False) -> str:
        c = client if user is officer1 else login(user)
        response = act(c, case, action, data, **(HTMX if htmx else {}))
        body = response.content.decode()
        if htmx:
            assert response.status_code == 200
            assert "已完成" in body and "alert-danger" not in body, body
            assert "<html" not in body  # only the step panel comes back
        else:
            assert response.status_code == 302, body
        case.refresh_from_db()
        return body

    # The investigation page offers the records and the notice, not the head's approval.
    detail = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert 'hx-target="#step-panel"' in detail
    assert f"/staff/cases/{case.pk}/act/record/" in detail
    assert "/act/approve/" not in detail
    assert "法定幅度：10000.00～30000.00" in detail  # the calculator beside the amount

    ok(
        "record",
        {
            "form": "interview",
            "on": "2026-03-05",
            "subject": "李四",
            "content": "问：是否做过胎儿性别鉴定？答：做过一次。",
            "signatories": "李四、officer1、officer2",
            "recorded_by": [officer1.officer.pk, officer2.officer.pk],
        },
    )
    ok(
        "notice",
        {
            "served_on": "2026-03-10",
            "reasons": "违法事实清楚，证据确凿",
            "circumstances": ["积极配合调查、如实陈述"],
            "amount": "14000",
        },
    )
    assert case.step == Step.NOTIFIED and case.grade == "lenient"
    detail = client.get(f"/staff/cases/{case.pk}/").content.decode()
    # The hearing window with its rule, source and arithmetic (five working days in 2021 law).
    assert "2026-03-17" in detail and "行政处罚法第六十四条" in detail
    assert "2026-03-10起算（当日不计）后第5个工作日" in detail

    body = ok("hearing-request", {"requested_on": "2026-03-12"}, htmx=True)
    assert case.step == Step.HEARING and "听证通知" in body
    # 2026-03-13 is at least seven working days before 2026-03-25.
    ok(
        "hearing-schedule",
        {
            "notice_on": "2026-03-13",
            "hearing_on": "2026-03-25",
            "place": "县卫生健康局会议室",
            "chair": hearing_chair.pk,
        },
        htmx=True,
    )
    ok(
        "hearing-record",
        {
            "held_on": "2026-03-25",
            "record": "当事人陈述了违法经过，对事实无异议",
            "signatories": "李四、head",
        },
    )
    ok("statement", {"on": "2026-03-25", "statement": "当事人认错，请求从轻"})
    assert case.hearing_held_on == D("2026-03-25")

    # The head sees the approval form; 14,000 yuan is a large amount, and a hearing was held.
    head_page = login(head).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "/act/approve/" in head_page and "较大数额" in head_page
    assert "行政处罚法第五十八条" in head_page  # when legal review is needed, and why
    ok(
        "approve",
        {
            "approved_on": "2026-03-26",
            "collective_on": "2026-03-26",
            "collective_minutes": "局务会议讨论，同意罚款14000元",
            "legal_review_on": "2026-03-26",
            "legal_review_opinion": "事实清楚，程序合法，适用法律正确",
        },
        user=head,
    )
    assert case.step == Step.APPROVED and case.approved_by == head
    ok("decide", {"decided_on": "2026-03-27"})
    assert case.decision_number.startswith("隆计罚决〔2026〕")
    ok(
        "serve",
        {
            "served_on": "2026-03-30",
            "recipient": "李四",
            "recipient_role": "本人",
            "method": "直接送达",
            "signature": "李四",
        },
    )
    assert case.step == Step.SERVED and case.due_on is not None
    ok("payment", {"paid_on": "2026-04-03", "amount": "14000", "kind": "principal"})
    assert case.paid_off_on == D("2026-04-03")
    ok("close", {"closed_on": "2026-04-07", "summary": "当事人已缴清罚款，结案"})
    ok("archive", {"on": "2026-04-10"})
    assert case.step == Step.ARCHIVED

    actions = list(case.events.values_list("action", flat=True))
    assert actions == [
        "file",
        "interview",
        "notice",
        "hearing_requested",
        "hearing_notice",
        "hearing",
        "statement",
        "approve",
        "decide",
        "serve",
        "payment",
        "close",
        "archive",
    ]
    forms = list(case.documents.order_by("sequence").values_list("form", flat=True))
    assert forms[0] == "filing" and forms[-1] == "catalogue"
    final = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "案件已归档" in final and "结案归档" in final


def test_filing_refusal_is_shown_and_nothing_is_written(
    officer1, head, party, township_a, officers, sex_identification
):
    client = login(officer1)
    r = client.post(
        "/staff/cases/new/",
        filing_data(party, township_a, officers[:1], sex_identification, head),
    )
    assert r.status_code == 200
    assert "执法人员不得少于两人" in r.content.decode()
    r = client.post(
        "/staff/cases/new/",
        filing_data(party, township_a, officers, sex_identification, head, act_date="2023-01-10"),
    )
    assert "已超过处罚时效" in r.content.decode()
    r = client.post(
        "/staff/cases/new/",
        filing_data(
            party,
            township_a,
            officers,
            sex_identification,
            head,
            party_kind="organisation",
            id_number="",
            organisation_name="某诊所",
        ),
    )
    assert "单位当事人须填写法定代表人" in r.content.decode()
    r = client.post(
        "/staff/cases/new/",
        filing_data(
            party, township_a, officers, sex_identification, head, id_number="110101199003077777"
        ),
    )
    assert "没有找到该身份证号的登记人员" in r.content.decode()
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_an_organisation_is_filed_with_its_legal_representative(
    officer1, head, party, township_a, officers, sex_identification
):
    r = login(officer1).post(
        "/staff/cases/new/",
        filing_data(
            party,
            township_a,
            officers,
            sex_identification,
            head,
            party_kind="organisation",
            id_number="",
            organisation_name="某某诊所",
            organisation_code="91130525MA0000000X",
            legal_representative="王五",
        ),
    )
    assert r.status_code == 302
    case = Case.objects.get()
    assert (case.person, case.organisation_name, case.legal_representative) == (
        None,
        "某某诊所",
        "王五",
    )
    # The proof of service offers the recipients the law allows for an organisation.
    assert "法定代表人" in login(officer1).get(f"/staff/cases/{case.pk}/").content.decode()


def test_the_township_is_limited_to_the_users_jurisdiction(
    officer1, head, party, township_a, township_b, officers, sex_identification, bureau
):
    # An officer of the county bureau may choose every township of the county.
    choices = login(officer1).get("/staff/cases/new/").context["form"].fields["township"]
    assert {township_a, township_b} <= set(choices.queryset)
    # An officer posted to township B may file only there.
    posted = make_user("officer_b", Role.OFFICER, department=bureau, township=township_b)
    choices = login(posted).get("/staff/cases/new/").context["form"].fields["township"]
    assert list(choices.queryset) == [township_b]
    r = login(posted).post(
        "/staff/cases/new/",
        filing_data(party, township_a, officers, sex_identification, head),
    )
    assert r.status_code == 200 and "township" in r.context["form"].errors
    assert not Case.objects.exists()


def test_the_person_lookup_finds_the_party_by_exact_id_number(officer1, party):
    client = login(officer1)
    r = client.post("/staff/cases/new/person/", {"id_number": party.id_number}, **HTMX)
    body = r.content.decode()
    assert "李四" in body and party.id_number not in body  # masked
    r = client.post("/staff/cases/new/person/", {"id_number": party.id_number[:-1]}, **HTMX)
    assert "没有找到" in r.content.decode()


def test_serving_an_unapproved_decision_is_refused_on_the_page(file_case, walk, officer1):
    case = walk(file_case(), "stated")
    before = snapshot(case)
    data = {
        "served_on": "2026-03-20",
        "recipient": "李四",
        "recipient_role": "本人",
        "method": "直接送达",
        "signature": "李四",
    }
    r = act(login(officer1), case, "serve", data)
    body = r.content.decode()
    assert r.status_code == 200
    assert "未经负责人审批，不得送达" in body and "未作任何记录" in body
    assert 'id="act-serve"' in body  # shown next to the form that was refused
    assert snapshot(case) == before
    # The same through htmx: only the panel comes back, with the reason.
    r = act(login(officer1), case, "serve", data, **HTMX)
    assert "<html" not in r.content.decode()
    assert "未经负责人审批，不得送达" in r.content.decode()
    assert snapshot(case) == before


def test_a_late_hearing_request_is_refused_on_the_page(file_case, walk, officer1):
    case = walk(file_case(), "notified")
    before = snapshot(case)
    r = act(login(officer1), case, "hearing-request", {"requested_on": "2026-03-18"}, **HTMX)
    body = r.content.decode()
    assert r.status_code == 200
    assert "听证申请逾期" in body and "2026-03-17" in body
    assert snapshot(case) == before and case.step == Step.NOTIFIED


def test_a_hearing_date_too_soon_is_refused_on_the_page(file_case, walk, officer1, hearing_chair):
    case = walk(file_case(), "notified")
    act(login(officer1), case, "hearing-request", {"requested_on": "2026-03-12"})
    before = snapshot(case)
    r = act(
        login(officer1),
        case,
        "hearing-schedule",
        {
            "notice_on": "2026-03-13",
            "hearing_on": "2026-03-16",
            "place": "会议室",
            "chair": hearing_chair.pk,
        },
    )
    assert "听证日期过近" in r.content.decode()
    assert snapshot(case) == before
    case.refresh_from_db()
    assert case.hearing_on is None


def test_a_form_error_is_shown_beside_its_field(file_case, officer1):
    case = file_case()
    r = act(login(officer1), case, "record", {"form": "interview", "on": "not a date"})
    body = r.content.decode()
    assert r.status_code == 200 and "invalid-feedback" in body
    assert case.events.count() == 1


def test_township_staff_of_another_township_get_404(file_case, staff_b):
    case = file_case()
    client = login(staff_b)
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 404
    r = act(client, case, "decide", {"decided_on": "2026-03-19"})
    assert r.status_code == 404
    assert case.events.count() == 1


def test_users_without_the_permission_get_403(file_case, walk, staff_a, officer1):
    case = walk(file_case(), "stated")
    # Township staff follow their township's cases but may not work them.
    client = login(staff_a)
    page = client.get(f"/staff/cases/{case.pk}/")
    assert page.status_code == 200 and "/act/" not in page.content.decode()
    assert act(client, case, "statement", {"on": "2026-03-12", "statement": "x"}).status_code == 403
    assert client.get("/staff/cases/new/").status_code == 403
    # An officer may not approve: that is the head's.
    r = act(
        login(officer1),
        case,
        "approve",
        {"approved_on": "2026-03-18", "collective_on": "2026-03-18", "collective_minutes": "x"},
    )
    assert r.status_code == 403
    case.refresh_from_db()
    assert case.step == Step.NOTIFIED and case.approved_on is None


def test_pages_have_no_inline_scripts_or_handlers(file_case, walk, officer1, head):
    case = walk(file_case(), "notified")
    pages = [
        login(officer1).get("/staff/cases/new/").content.decode(),
        login(officer1).get(f"/staff/cases/{case.pk}/").content.decode(),
        login(head).get(f"/staff/cases/{case.pk}/").content.decode(),
    ]
    # Date inputs carry ISO dates, the only value a browser's date picker accepts.
    assert re.search(r'type="date" name="on" value="\d{4}-\d{2}-\d{2}"', pages[1])
    for html in pages:
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert not re.search(r"\son[a-z]+=", html)


def test_the_calculator_recomputes_for_the_chosen_circumstances(file_case, officer1):
    case = file_case()
    r = login(officer1).post(
        f"/staff/cases/{case.pk}/calculator/",
        {"circumstances": ["一年内再次实施同类违法行为"], "amount": "31000"},
        **HTMX,
    )
    body = r.content.decode()
    assert "24000.00～30000.00" in body  # the aggravated grade
    assert "超出法定幅度" in body


def test_recusal_is_declared_and_decided_on_the_page(file_case, officer1, officer2, head):
    case = file_case()
    client = login(officer1)
    r = act(
        client,
        case,
        "recusal",
        {
            "officer": officer2.officer.pk,
            "declared_by": "当事人",
            "on": "2026-03-04",
            "reason": "系当事人近亲属",
        },
    )
    assert r.status_code == 302
    recusal = case.recusals.get()
    # Only the head decides, and the officer's page does not offer it.
    assert "/act/recusal-decision/" not in client.get(f"/staff/cases/{case.pk}/").content.decode()
    head_client = login(head)
    assert "/act/recusal-decision/" in head_client.get(f"/staff/cases/{case.pk}/").content.decode()
    data = {"recusal": recusal.pk, "granted": "1", "on": "2026-03-05"}
    assert act(client, case, "recusal-decision", data).status_code == 403
    assert act(head_client, case, "recusal-decision", data).status_code == 302
    assert list(case.officers.all()) == [officer1.officer]
    # With one officer left the investigation cannot go on; the page says why.
    r = act(
        client,
        case,
        "record",
        {
            "form": "inquiry",
            "on": "2026-03-06",
            "subject": "王五",
            "content": "……",
            "signatories": "王五",
            "recorded_by": [officer1.officer.pk],
        },
    )
    assert "执法人员不得少于两人" in r.content.decode()
    assert not case.documents.filter(form="inquiry").exists()
    # The officer who stepped aside cannot be added back.
    r = act(client, case, "officer", {"officer": officer2.officer.pk, "on": "2026-03-06"})
    assert "已在本案回避" in r.content.decode()


def test_enforcement_reminder_court_and_instalments_on_the_page(file_case, walk, officer1, head):
    case = walk(file_case(), "served")  # fine 14,000 due 2026-04-07
    client = login(officer1)
    # Instalments are the head's, within the payment period, and must add up.
    plan = {"on": "2026-04-01", "plan": "2026-05-01 7000\n2026-06-01 6000"}
    assert act(client, case, "instalments", plan).status_code == 403
    r = act(login(head), case, "instalments", plan)
    assert "各期金额之和应等于应缴金额14000.00元" in r.content.decode()
    r = act(login(head), case, "instalments", {**plan, "plan": "2026-05-01 7000\n6-1 7000"})
    assert "第2行" in r.content.decode()
    plan["plan"] = "2026-05-01 7000\n2026-06-01 7000"
    assert act(login(head), case, "instalments", plan).status_code == 302
    case.refresh_from_db()
    assert case.due_on == D("2026-06-01") and case.instalments.count() == 2
    # No reminder before the first instalment falls due; once it is missed, the reminder;
    # then the court within its window.
    r = act(client, case, "reminder", {"on": "2026-04-20"})
    assert "缴纳期限2026-05-01尚未届满，不能催告" in r.content.decode()
    assert act(client, case, "reminder", {"on": "2026-05-20"}).status_code == 302
    r = act(client, case, "court", {"on": "2026-06-20"})
    assert "尚未到可以申请强制执行的日期" in r.content.decode()
    case.refresh_from_db()
    assert case.court_applied_on is None
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "申请法院强制执行" in page and "最早" in page


def test_the_head_extends_the_decision_period_and_files_are_reviewed(
    file_case, walk, officer1, head, section_staff
):
    case = walk(file_case(), "investigated")
    data = {"days": "30", "reason": "案情复杂，需补充鉴定", "on": "2026-03-06"}
    assert act(login(officer1), case, "extend", data).status_code == 403
    assert act(login(head), case, "extend", data).status_code == 302
    case.refresh_from_db()
    assert case.decision_extension_days == 30
    page = login(officer1).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "经批准延长30日" in page

    case = walk(case, "served")
    client = login(officer1)
    act(client, case, "payment", {"paid_on": "2026-03-25", "amount": "14000", "kind": "principal"})
    act(client, case, "close", {"closed_on": "2026-03-26", "summary": "缴清结案"})
    case.refresh_from_db()
    assert case.step == Step.CLOSED
    scores = {f"score_{key}": top for key, _, top in services.CHECKLIST}
    review = {"period": "2026H1", "reviewed_on": "2026-06-30", **scores}
    assert act(client, case, "review", review).status_code == 403
    r = act(login(section_staff), case, "review", {**review, "score_archive": "6"})
    assert "应在0～5之间" in r.content.decode()
    assert act(login(section_staff), case, "review", review).status_code == 302
    assert case.reviews.get().total == 100
