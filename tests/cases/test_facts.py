"""Facts that can be true: dates not after today nor before the step they follow, two
certified officers on every record, a hearing chair who may chair (services, pages and API)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import ValidationError

from tests.cases.test_step_pages import act, snapshot
from tests.conftest import login
from zeren.cases import services
from zeren.cases.models import CaseDocument, Step
from zeren.core.facts import check_fact_date, fact_date_problem

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


# -- the rule ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("on", "after", "today", "refused_because"),
    [
        ("2026-11-10", None, "2026-11-10", None),  # today itself happened
        ("2026-11-11", None, "2026-11-10", "晚于今天"),  # tomorrow has not
        ("2026-11-09", "2026-11-09", "2026-11-10", None),  # same day as the step before
        ("2026-11-08", "2026-11-09", "2026-11-10", "早于决定日期2026-11-09"),
        ("2027-01-01", "2026-11-09", "2026-11-10", "晚于今天"),  # the future wins
    ],
)
def test_a_fact_date_is_not_after_today_nor_before_its_step(on, after, today, refused_because):
    problem = fact_date_problem(
        D(on), what="送达", after=D(after) if after else None, after_what="决定", today=D(today)
    )
    if refused_because is None:
        assert problem is None
    else:
        assert refused_because in problem


def test_today_is_the_day_in_shanghai_not_utc(monkeypatch):
    from django.utils import timezone

    # 2026-11-10 20:00 UTC is already 11 November 04:00 in Shanghai.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 10, 20, 0, tzinfo=dt.UTC))
    check_fact_date(D("2026-11-11"), what="送达")
    with pytest.raises(ValidationError, match="晚于今天（2026-11-11）"):
        check_fact_date(D("2026-11-12"), what="送达")


# -- cases: services -----------------------------------------------------------------------
def _tomorrow() -> dt.date:
    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=1)


def test_a_case_filed_tomorrow_is_refused(file_case):
    with pytest.raises(ValidationError, match="晚于今天"):
        file_case(filed_on=_tomorrow(), act_date=D("2026-02-20"))


def test_a_record_dated_tomorrow_is_refused(file_case, officers):
    case = file_case()
    with pytest.raises(ValidationError, match="晚于今天"):
        services.case_record_investigation(
            actor=case.handler,
            case=case,
            form=CaseDocument.Form.INQUIRY,
            on=_tomorrow(),
            subject="证人王五",
            content="……",
            signatories=["王五"],
            recorded_by=officers,
        )
    assert not case.documents.filter(form=CaseDocument.Form.INQUIRY).exists()


def test_a_service_before_the_decision_is_refused(file_case, walk, officer1):
    case = walk(file_case(), "decided")  # decided 2026-03-19
    with pytest.raises(ValidationError, match="早于决定日期"):
        services.case_serve_decision(
            actor=officer1,
            case=case,
            served_on=D("2026-03-18"),
            recipient="李四",
            recipient_role="本人",
            method="直接送达",
            signature="李四",
        )
    case.refresh_from_db()
    assert case.step == Step.DECIDED and case.served_on is None


def test_an_archive_before_the_closure_is_refused(file_case, walk, officer1):
    case = walk(file_case(), "served")
    services.case_record_payment(
        actor=officer1, case=case, paid_on=D("2026-03-25"), amount=case.amount, kind="principal"
    )
    case.refresh_from_db()
    services.case_close(actor=officer1, case=case, closed_on=D("2026-03-26"), summary="缴清")
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="早于结案日期2026-03-26"):
        services.case_archive(actor=officer1, case=case, archived_on=D("2026-03-24"))
    case.refresh_from_db()
    assert case.step == Step.CLOSED


def test_a_payment_follows_the_service_not_the_reminder(file_case, walk, officer1):
    case = walk(file_case(), "served")  # served 2026-03-20
    with pytest.raises(ValidationError, match="不能早于送达日期"):
        services.case_record_payment(
            actor=officer1, case=case, paid_on=D("2026-03-19"), amount=1, kind="principal"
        )
    with pytest.raises(ValidationError, match="晚于今天"):
        services.case_record_payment(
            actor=officer1, case=case, paid_on=_tomorrow(), amount=1, kind="principal"
        )
    assert not case.payments.exists()


# -- two officers on every record ----------------------------------------------------------
def test_a_one_signatory_inquiry_record_is_refused(file_case, officer1):
    case = file_case()
    for recorded_by in ([officer1.officer], [officer1.officer, officer1.officer]):
        with pytest.raises(ValidationError, match="执法人员不得少于两人"):
            services.case_record_investigation(
                actor=officer1,
                case=case,
                form=CaseDocument.Form.INQUIRY,
                on=D("2026-03-05"),
                subject="证人王五",
                content="……",
                signatories=["王五"],
                recorded_by=recorded_by,
            )
    assert not case.documents.filter(form=CaseDocument.Form.INQUIRY).exists()


def test_a_record_signed_by_an_officer_without_a_valid_certificate_is_refused(
    file_case, officer1, officer_expired
):
    case = file_case()
    case.officers.add(officer_expired.officer)
    with pytest.raises(ValidationError, match="没有有效的行政执法证"):
        services.case_record_investigation(
            actor=officer1,
            case=case,
            form=CaseDocument.Form.INQUIRY,
            on=D("2026-03-05"),
            subject="证人王五",
            content="……",
            signatories=["王五"],
            recorded_by=[officer1.officer, officer_expired.officer],
        )


def test_a_record_signed_by_an_officer_not_on_the_case_is_refused(
    file_case, officer1, hearing_chair
):
    case = file_case()
    with pytest.raises(ValidationError, match="不是本案执法人员"):
        services.case_record_investigation(
            actor=officer1,
            case=case,
            form=CaseDocument.Form.INQUIRY,
            on=D("2026-03-05"),
            subject="证人王五",
            content="……",
            signatories=["王五"],
            recorded_by=[officer1.officer, hearing_chair.officer],
        )


def test_a_one_signatory_record_is_refused_by_the_api(file_case, officer1, officers):
    case = file_case()
    body = {
        "form": "inquiry",
        "on": "2026-03-05",
        "subject": "证人王五",
        "content": "……",
        "signatories": ["王五"],
    }
    client = login(officer1)
    url = f"/api/cases/{case.pk}/records/"
    r = client.post(url, {**body, "recorded_by": [officer1.officer.pk]}, "application/json")
    assert r.status_code == 400
    assert "执法人员不得少于两人" in json.dumps(r.json(), ensure_ascii=False)
    tomorrow = {**body, "on": _tomorrow().isoformat(), "recorded_by": [o.pk for o in officers]}
    r = client.post(url, tomorrow, "application/json")
    assert r.status_code == 400 and "晚于今天" in json.dumps(r.json(), ensure_ascii=False)
    assert not case.documents.filter(form="inquiry").exists()
    r = client.post(url, {**body, "recorded_by": [o.pk for o in officers]}, "application/json")
    assert r.status_code == 200
    assert case.documents.filter(form="inquiry").count() == 1


def test_a_one_signatory_record_and_a_date_tomorrow_are_refused_on_the_page(
    file_case, officer1, officer2
):
    case = file_case()
    data = {
        "form": "inquiry",
        "on": "2026-03-05",
        "subject": "王五",
        "content": "……",
        "signatories": "王五",
        "recorded_by": [officer1.officer.pk],
    }
    client = login(officer1)
    assert "执法人员不得少于两人" in act(client, case, "record", data).content.decode()
    both = [officer1.officer.pk, officer2.officer.pk]
    r = act(client, case, "record", {**data, "recorded_by": both, "on": _tomorrow()})
    assert "晚于今天" in r.content.decode()
    assert not case.documents.filter(form="inquiry").exists()
    assert act(client, case, "record", {**data, "recorded_by": both}).status_code == 302


# -- the hearing chair ---------------------------------------------------------------------
@pytest.fixture
def heard_case(file_case, walk, officer1):
    case = walk(file_case(), "notified")
    services.case_request_hearing(actor=officer1, case=case, requested_on=D("2026-03-12"))
    case.refresh_from_db()
    return case


def _schedule(case, chair):
    return services.case_schedule_hearing(
        actor=case.handler,
        case=case,
        notice_on=D("2026-03-13"),
        hearing_on=D("2026-03-30"),
        place="局会议室",
        chair=chair,
    )


def test_an_administrator_cannot_chair_a_hearing(heard_case, admin_user):
    with pytest.raises(ValidationError, match="系统管理员账号不能担任听证主持人"):
        _schedule(heard_case, admin_user)
    heard_case.refresh_from_db()
    assert heard_case.hearing_chair is None


@pytest.mark.parametrize("who", ["partner", "section_staff", "head", "officer_expired"])
def test_only_a_certified_bureau_officer_off_the_case_chairs(heard_case, request, who):
    with pytest.raises(ValidationError, match="听证主持人"):
        _schedule(heard_case, request.getfixturevalue(who))


def test_a_certified_bureau_officer_off_the_case_chairs(heard_case, hearing_chair):
    _schedule(heard_case, hearing_chair)
    heard_case.refresh_from_db()
    assert heard_case.hearing_chair == hearing_chair


def test_the_chair_list_and_the_api_refuse_an_administrator(
    heard_case, officer1, admin_user, hearing_chair, partner
):
    client = login(officer1)
    page = client.get(f"/staff/cases/{heard_case.pk}/").content.decode()
    select = re.search(r'<select name="chair".*?</select>', page, re.S)[0]
    assert f'value="{hearing_chair.pk}"' in select
    assert f'value="{admin_user.pk}"' not in select and f'value="{partner.pk}"' not in select
    before = snapshot(heard_case)
    data = {"notice_on": "2026-03-13", "hearing_on": "2026-03-30", "place": "会议室"}
    r = act(client, heard_case, "hearing-schedule", {**data, "chair": admin_user.pk})
    assert r.status_code == 200 and snapshot(heard_case) == before
    url = f"/api/cases/{heard_case.pk}/hearing-schedule/"
    r = client.post(url, {**data, "chair": admin_user.pk}, "application/json")
    assert r.status_code == 400
    assert "系统管理员账号不能担任" in json.dumps(r.json(), ensure_ascii=False)
    assert snapshot(heard_case) == before
    r = client.post(url, {**data, "chair": hearing_chair.pk}, "application/json")
    assert r.status_code == 200


# -- voiding a wrong record ----------------------------------------------------------------
def test_a_wrong_record_is_voided_kept_and_listed_as_void_in_the_catalogue(
    file_case, walk, officer1
):
    case = walk(file_case(), "investigated")
    record = case.documents.get(form=CaseDocument.Form.INTERVIEW)
    with pytest.raises(ValidationError, match="请填写作废理由"):
        services.case_document_void(actor=officer1, document=record, reason=" ")
    services.case_document_void(
        actor=officer1, document=record, reason="被询问人姓名记错", on=D("2026-03-06")
    )
    record.refresh_from_db()
    assert record.voided_on == D("2026-03-06") and record.void_reason == "被询问人姓名记错"
    assert case.events.filter(action="void").count() == 1
    with pytest.raises(ValidationError, match="已于2026-03-06作废"):
        services.case_document_void(actor=officer1, document=record, reason="再次")
    # The investigation now has no valid record: the notice waits for a new one.
    with pytest.raises(ValidationError, match="尚无经签名的询问笔录"):
        walk(case, "notified")
    services.case_record_investigation(
        actor=officer1,
        case=case,
        form=CaseDocument.Form.INTERVIEW,
        on=D("2026-03-06"),
        subject="李四",
        content="重新询问",
        signatories=["李四"],
        recorded_by=list(case.officers.all()),
    )
    case = walk(case, "served")
    services.case_record_payment(
        actor=officer1, case=case, paid_on=D("2026-03-25"), amount=case.amount, kind="principal"
    )
    case.refresh_from_db()
    services.case_close(actor=officer1, case=case, closed_on=D("2026-03-26"), summary="缴清")
    case.refresh_from_db()
    catalogue = services.case_archive(actor=officer1, case=case, archived_on=D("2026-03-27"))
    entry = next(e for e in catalogue.data["entries"] if e["sequence"] == record.sequence)
    assert entry["title"] == "询问笔录（已作废）"
    assert entry["void"] == "2026-03-06作废：被询问人姓名记错"
    with pytest.raises(ValidationError, match="已归档"):
        services.case_document_void(
            actor=officer1,
            document=case.documents.get(form="interview", voided_on=None),
            reason="x",
        )


def test_only_records_can_be_voided(file_case, officer1):
    case = file_case()
    filing = case.documents.get(form=CaseDocument.Form.FILING)
    with pytest.raises(ValidationError, match="立案审批表不能作废"):
        services.case_document_void(actor=officer1, document=filing, reason="错")


def test_a_record_is_voided_through_the_page_and_the_api(file_case, walk, officer1):
    case = walk(file_case(), "investigated")
    record = case.documents.get(form=CaseDocument.Form.INTERVIEW)
    client = login(officer1)
    url = f"/staff/cases/{case.pk}/documents/{record.sequence}/void/"
    page = client.post(url, {"reason": "记错了"}, follow=True).content.decode()
    assert "请勾选“确认作废”" in page
    record.refresh_from_db()
    assert record.voided_on is None
    api = f"/api/cases/{case.pk}/documents/{record.sequence}/void/"
    r = client.post(api, {"reason": ""}, "application/json")
    assert r.status_code == 400
    r = client.post(api, {"reason": "记错了"}, "application/json")
    assert r.status_code == 200 and r.json()["document"]["void_reason"] == "记错了"
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "已作废" in page
